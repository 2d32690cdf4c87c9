import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../../domain/tenancy.js';
import type { CidrSide } from '../../control/index.js';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_PEER_CONFIG_FORMAT, PEER_CONFIG_FORMATS } from '../../domain/peer-config-formats.js';
import { connectionCollection, connectionInput, connectionPatch, connectionToWire, etag, parseIfMatch, patchHasArray } from './connection-mapper.js';
import { ConnectionPatch, ConnectionPrototype, ConnectionSchema } from './connection-schema.js';
import { NoContent, VersionQuery } from './ibm-common-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { ibmInvalid } from './ibm-errors.js';
import { pathId } from './ibm-identity.js';
import { collectionSchema, PageQuery, limitOf, pageRequest } from './ibm-pagination.js';

/** /vpn_gateways/{gw}/connections and the CIDR sub-resources, in both the current and the legacy paths. */
export function connectionRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { refs, control } = d;
  const tags = ['VPN gateway connections'];
  const base = '/vpn_gateways/:gw/connections';
  const GwParams = Type.Object({ gw: Type.String() });
  const ConnParams = Type.Object({ gw: Type.String(), id: Type.String() });
  const ids = (p: { gw: string; id?: string }) => ({
    gw: pathId(p.gw, 'vpn_gateway'),
    id: p.id === undefined ? '' : pathId(p.id, 'connection'),
  });
  const ifMatch = (h: string | string[] | undefined): number | '*' | undefined => parseIfMatch(Array.isArray(h) ? h[0] : h);

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List the connections of a VPN gateway',
        params: GwParams,
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.Enum(['up', 'down'])) }),
        response: { 200: collectionSchema('connections', ConnectionSchema), ...ERRORS },
      },
    },
    async (req) => {
      const { gw } = ids(req.params);
      const page = await control.connections.list(
        req.actor,
        { gatewayId: gw, ...(req.query.status ? { status: req.query.status } : {}) },
        pageRequest(req.query),
      );
      return connectionCollection(d, req.ibm.version, page, `${refs.base}/vpn_gateways/${gw}/connections`, limitOf(req.query), { status: req.query.status });
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a connection',
        params: GwParams,
        querystring: VersionQuery,
        body: ConnectionPrototype,
        response: { 201: ConnectionSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const { gw } = ids(req.params);
      const v = await control.connections.create(req.actor, gw, connectionInput({ version: req.ibm.version, base: refs.base }, req.body));
      return reply
        .code(201)
        .header('etag', etag(v.connection))
        .send(connectionToWire(refs, req.ibm.version, v));
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Retrieve a connection (with ETag)',
        params: ConnParams,
        querystring: VersionQuery,
        response: { 200: ConnectionSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const { gw, id } = ids(req.params);
      const v = await control.connections.get(req.actor, gw, id);
      return reply.header('etag', etag(v.connection)).send(connectionToWire(refs, req.ibm.version, v));
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a connection (JSON merge patch; If-Match honoured)',
        params: ConnParams,
        querystring: VersionQuery,
        body: ConnectionPatch,
        response: { 200: ConnectionSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const { gw, id } = ids(req.params);
      const match = ifMatch(req.headers['if-match']);
      if (match === undefined && patchHasArray(req.body)) {
        throw ibmInvalid(
          'If-Match',
          'A PATCH that sets an array (tunnels, local.ike_identities) needs an If-Match header with the ETag from GET.',
          'if_match_required',
          'header',
          428,
        );
      }
      // The patch is merged into the connection as read in the same transaction that writes it.
      const v = await control.atomically(async (cp) => {
        const cur = await cp.connections.get(req.actor, gw, id);
        return cp.connections.update(req.actor, gw, id, connectionPatch({ version: req.ibm.version, base: refs.base }, req.body, cur.connection), {
          ifMatch: match,
        });
      });
      return reply.header('etag', etag(v.connection)).send(connectionToWire(refs, req.ibm.version, v));
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a connection (asynchronous, 202; If-Match honoured)',
        params: ConnParams,
        querystring: VersionQuery,
        response: { 202: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      const { gw, id } = ids(req.params);
      const match = ifMatch(req.headers['if-match']);
      await control.connections.remove(req.actor, gw, id, match === undefined ? {} : { ifMatch: match });
      return reply.code(202).send();
    },
  );

  app.post(
    `${base}/:id/reset`,
    {
      config: { bodyless: true },
      schema: {
        tags,
        summary: 'Reset a connection: re-initiate its tunnel with new SAs (a Causeway extension; asynchronous, 202)',
        params: ConnParams,
        querystring: VersionQuery,
        response: { 202: ConnectionSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const { gw, id } = ids(req.params);
      const v = await control.connections.reset(req.actor, gw, id);
      return reply
        .code(202)
        .header('etag', etag(v.connection))
        .send(connectionToWire(refs, req.ibm.version, v));
    },
  );

  app.get(
    `${base}/:id/peer_config`,
    {
      schema: {
        tags,
        summary: `The configuration the peer device needs (mirror of this connection), as text: ?format=${PEER_CONFIG_FORMATS.join('|')}`,
        params: ConnParams,
        querystring: Type.Object({
          version: Type.Optional(Type.String()),
          generation: Type.Optional(Type.Integer()),
          format: Type.Optional(Type.Enum(PEER_CONFIG_FORMATS, { default: DEFAULT_PEER_CONFIG_FORMAT })),
        }),
        response: { 200: Type.String({ description: 'The configuration text (text/plain)' }), ...ERRORS },
      },
    },
    async (req, reply) => {
      const { gw, id } = ids(req.params);
      if (!d.renderPeerConfig) throw new DomainError('mode_mismatch', 'This server renders no peer configuration.');
      const text = d.renderPeerConfig(await control.connections.desired(req.actor, gw, id), req.query.format ?? DEFAULT_PEER_CONFIG_FORMAT);
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );

  // ---- CIDR sub-resources (policy mode). Current paths and the legacy ones, accepted at every version. ----
  const cidrTags = ['VPN gateway connection CIDRs'];
  for (const side of ['local', 'peer'] as const satisfies readonly CidrSide[]) {
    app.get(
      `${base}/:id/${side}/cidrs`,
      {
        schema: {
          tags: cidrTags,
          summary: `List ${side} CIDRs`,
          params: ConnParams,
          querystring: VersionQuery,
          response: { 200: Type.Object({ cidrs: Type.Array(Type.String()) }), ...ERRORS },
        },
      },
      async (req) => {
        const { gw, id } = ids(req.params);
        return { cidrs: [...(await control.connections.cidrs(req.actor, gw, id, side))] };
      },
    );
    app.get(
      `${base}/:id/${side}_cidrs`,
      {
        schema: {
          tags: cidrTags,
          summary: `List ${side} CIDRs (legacy path)`,
          params: ConnParams,
          querystring: VersionQuery,
          response: { 200: Type.Object({ [`${side}_cidrs`]: Type.Array(Type.String()) }), ...ERRORS },
        },
      },
      async (req) => {
        const { gw, id } = ids(req.params);
        return { [`${side}_cidrs`]: [...(await control.connections.cidrs(req.actor, gw, id, side))] };
      },
    );
    const one = Type.Object({ gw: Type.String(), id: Type.String(), cidr: Type.String() });
    const two = Type.Object({ gw: Type.String(), id: Type.String(), prefix: Type.String(), len: Type.String() });
    const variants = [
      { path: `${base}/:id/${side}/cidrs/:cidr`, params: one, legacy: false },
      { path: `${base}/:id/${side}/cidrs/:prefix/:len`, params: two, legacy: false },
      { path: `${base}/:id/${side}_cidrs/:prefix/:len`, params: two, legacy: true },
      { path: `${base}/:id/${side}_cidrs/:cidr`, params: one, legacy: true },
    ];
    for (const { path, params, legacy } of variants) {
      const cidrOf = (p: Record<string, string>): string => p['cidr'] ?? `${p['prefix']}/${p['len']}`;
      const run = async (p: Record<string, string>, actor: Actor, op: 'check' | 'add' | 'remove') => {
        const { gw, id } = ids({ gw: p['gw']!, id: p['id']! });
        return control.connections.cidr(actor, gw, id, side, cidrOf(p), op);
      };
      const note = legacy ? ' (legacy path)' : '';
      app.get(
        path,
        {
          schema: {
            tags: cidrTags,
            summary: `Check a ${side} CIDR: 204 if set, 404 if not${note}`,
            params,
            querystring: VersionQuery,
            response: { 204: NoContent, ...ERRORS },
          },
        },
        async (req, reply) => {
          await run(req.params, req.actor, 'check');
          return reply.code(204).send();
        },
      );
      app.put(
        path,
        {
          config: { bodyless: true },
          schema: {
            tags: cidrTags,
            summary: `Set a ${side} CIDR: ${legacy ? '204' : '201 if added, 204 if already set'}${note}`,
            params,
            querystring: VersionQuery,
            response: { 201: NoContent, 204: NoContent, ...ERRORS },
          },
        },
        async (req, reply) => {
          const r = await run(req.params, req.actor, 'add');
          return reply.code(!legacy && r === 'added' ? 201 : 204).send();
        },
      );
      app.delete(
        path,
        { schema: { tags: cidrTags, summary: `Remove a ${side} CIDR${note}`, params, querystring: VersionQuery, response: { 204: NoContent, ...ERRORS } } },
        async (req, reply) => {
          await run(req.params, req.actor, 'remove');
          return reply.code(204).send();
        },
      );
    }
  }
}
