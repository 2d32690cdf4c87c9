import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CONNECTION_EVENT_TYPES } from '../../domain/connection-events.js';
import type { ConnectionEventPage } from '../../control/index.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { pathId } from './ibm-identity.js';
import { limitOf, PageLinkSchema, PageQuery } from './ibm-pagination.js';

export const ConnectionEventSchema = Type.Object({
  id: Type.String({ description: 'Increases with every event recorded.' }),
  created_at: Type.String({ format: 'date-time' }),
  type: Type.Enum([...CONNECTION_EVENT_TYPES]),
  message: Type.String(),
  cause: Type.Optional(Type.String({ description: 'Who or what caused it: a user and the API it used, the agent, the peer, dead peer detection, a rekey.' })),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const ConnectionEventCollection = Type.Object({
  events: Type.Array(ConnectionEventSchema),
  first: PageLinkSchema,
  limit: Type.Integer(),
  next: Type.Optional(PageLinkSchema),
  total_count: Type.Integer(),
});

/** The IBM-style collection of one page of events, newest first. */
export function eventCollection(page: ConnectionEventPage, href: string, limit: number) {
  const link = (start?: string) => `${href}?${start ? `start=${encodeURIComponent(start)}&` : ''}limit=${limit}`;
  return {
    events: page.items.map((e) => ({
      id: e.id,
      created_at: e.createdAt,
      type: e.type,
      message: e.message,
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
      ...(e.details !== undefined ? { details: e.details } : {}),
    })),
    first: { href: link() },
    limit,
    ...(page.next !== undefined ? { next: { href: link(page.next) } } : {}),
    total_count: page.total,
  };
}

/** GET /vpn_gateways/{gw}/connections/{id}/events: a Causeway extension, the connection's event timeline. */
export function connectionEventRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/vpn_gateways/:gw/connections/:id/events',
    {
      schema: {
        tags: ['VPN gateway connections'],
        summary: "List a connection's events, newest first (Causeway extension)",
        description:
          'What happened to the tunnel, with time and cause: created, applied, IKE/CHILD SA up, rekeyed and down, status reasons, configuration changes, resets, member failovers.',
        params: Type.Object({ gw: Type.String(), id: Type.String() }),
        querystring: Type.Object(PageQuery),
        response: { 200: ConnectionEventCollection, ...ERRORS },
      },
    },
    async (req) => {
      const gw = pathId(req.params.gw, 'vpn_gateway');
      const id = pathId(req.params.id, 'connection');
      const limit = limitOf(req.query);
      const page = await d.control.connections.events(req.actor, gw, id, { limit, ...(req.query.start !== undefined ? { start: req.query.start } : {}) });
      return eventCollection(page, `${d.refs.connection(gw, id)}/events`, limit);
    },
  );
}
