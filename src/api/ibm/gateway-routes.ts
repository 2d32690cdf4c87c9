import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GATEWAY_MODES } from '../../domain/gateway.js';
import { parseId } from '../../domain/ids.js';
import { GatewayPatch, GatewayPrototype, GatewaySchema } from './gateway-schema.js';
import { gatewayToWire } from './gateway-mapper.js';
import { IdParams, NoContent, VersionQuery } from './ibm-common-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { ibmInvalid } from './ibm-errors.js';
import { identityId, pathId } from './ibm-identity.js';
import { collectionSchema, PageQuery, pageEnvelope, limitOf, pageRequest } from './ibm-pagination.js';

const SORTS = ['created_at', '-created_at', 'name', '-name'] as const;

/** /vpn_gateways and their advertised CIDRs. */
export function gatewayRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { refs, control } = d;
  const tags = ['VPN gateways'];
  const gwId = (raw: string): string => pathId(raw, 'vpn_gateway');

  const ListQuery = Type.Object({
    ...PageQuery,
    'resource_group.id': Type.Optional(Type.String({ maxLength: 64 })),
    sort: Type.Optional(Type.Enum([...SORTS], { default: '-created_at', description: 'created_at or name; prefix - for descending. Default -created_at.' })),
    mode: Type.Optional(Type.Enum([...GATEWAY_MODES])),
  });

  app.get(
    '/vpn_gateways',
    { schema: { tags, summary: 'List VPN gateways', querystring: ListQuery, response: { 200: collectionSchema('vpn_gateways', GatewaySchema), ...ERRORS } } },
    async (req) => {
      const q = req.query;
      const sort = q.sort ?? '-created_at';
      const rg = q['resource_group.id'];
      const rgId = rg === undefined ? undefined : (parseId(rg) ?? 'none');
      const page = await control.gateways.list(
        req.actor,
        { ...(rgId ? { resourceGroupId: rgId } : {}), ...(q.mode ? { mode: q.mode } : {}) },
        pageRequest(q, sort.replace('-', '') as 'created_at' | 'name', sort.startsWith('-')),
      );
      return pageEnvelope('vpn_gateways', page, (v) => gatewayToWire(refs, req.ibm.version, v), `${refs.base}/vpn_gateways`, limitOf(q), {
        'resource_group.id': rg,
        sort: q.sort,
        mode: q.mode,
      });
    },
  );

  app.post(
    '/vpn_gateways',
    { schema: { tags, summary: 'Create a VPN gateway', querystring: VersionQuery, body: GatewayPrototype, response: { 201: GatewaySchema, ...ERRORS } } },
    async (req, reply) => {
      const b = req.body;
      const v = await control.gateways.create(req.actor, {
        subnetId: identityId(b.subnet, 'subnet', 'subnets', 'subnet', refs.base),
        mode: b.mode ?? 'route',
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.resource_group ? { resourceGroupId: parseId(b.resource_group.id) ?? b.resource_group.id } : {}),
        ...(b.local_asn !== undefined ? { localAsn: b.local_asn } : {}),
        ...(b.advertised_cidrs !== undefined ? { advertisedCidrs: b.advertised_cidrs } : {}),
      });
      return reply.code(201).send(gatewayToWire(refs, req.ibm.version, v));
    },
  );

  app.get(
    '/vpn_gateways/:id',
    { schema: { tags, summary: 'Retrieve a VPN gateway', params: IdParams, querystring: VersionQuery, response: { 200: GatewaySchema, ...ERRORS } } },
    async (req) => gatewayToWire(refs, req.ibm.version, await control.gateways.get(req.actor, gwId(req.params.id))),
  );

  app.patch(
    '/vpn_gateways/:id',
    {
      schema: {
        tags,
        summary: 'Update a VPN gateway (name, local_asn)',
        params: IdParams,
        querystring: VersionQuery,
        body: GatewayPatch,
        response: { 200: GatewaySchema, ...ERRORS },
      },
    },
    async (req) => {
      const id = gwId(req.params.id);
      const v = await control.gateways.update(req.actor, id, {
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
        ...(req.body.local_asn !== undefined ? { localAsn: req.body.local_asn } : {}),
      });
      return gatewayToWire(refs, req.ibm.version, v);
    },
  );

  app.delete(
    '/vpn_gateways/:id',
    {
      schema: {
        tags,
        summary: 'Delete a VPN gateway and its connections (asynchronous, 202)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 202: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      await control.gateways.remove(req.actor, gwId(req.params.id));
      return reply.code(202).send();
    },
  );

  // ---- service connections: made by a transit gateway, which this lab has none of; read-only ----
  const ServiceConnection = Type.Object({ id: Type.String(), created_at: Type.String(), lifecycle_state: Type.String(), status: Type.String() });
  app.get(
    '/vpn_gateways/:id/service_connections',
    {
      schema: {
        tags,
        summary: 'List service connections (made by transit gateways; none here)',
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: collectionSchema('service_connections', ServiceConnection), ...ERRORS },
      },
    },
    async (req) => {
      const id = gwId(req.params.id);
      await control.gateways.get(req.actor, id);
      return pageEnvelope(
        'service_connections',
        { items: [], total: 0 },
        (x: never) => x,
        `${refs.base}/vpn_gateways/${id}/service_connections`,
        limitOf(req.query),
      );
    },
  );
  app.get(
    '/vpn_gateways/:gw/service_connections/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a service connection',
        params: Type.Object({ gw: Type.String(), id: Type.String() }),
        querystring: VersionQuery,
        response: { 200: ServiceConnection, ...ERRORS },
      },
    },
    async (req) => {
      await control.gateways.get(req.actor, gwId(req.params.gw));
      throw ibmInvalid('id', `Service connection '${req.params.id.slice(0, 80)}' was not found.`, 'vpn_gateway_service_connection_not_found', 'parameter', 404);
    },
  );

  // ---- advertised CIDRs (route mode) ----
  app.get(
    '/vpn_gateways/:id/advertised_cidrs',
    {
      schema: {
        tags,
        summary: 'List advertised CIDRs (route mode)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 200: Type.Object({ advertised_cidrs: Type.Array(Type.String()) }), ...ERRORS },
      },
    },
    async (req) => {
      const v = await control.gateways.get(req.actor, gwId(req.params.id));
      if (v.gateway.mode !== 'route') throw ibmInvalid('vpn_gateway', 'Advertised CIDRs apply to route-mode gateways only.', 'mode_mismatch', 'parameter');
      return { advertised_cidrs: [...v.gateway.advertisedCidrs] };
    },
  );
  const CidrParams = Type.Object({ id: Type.String(), cidr: Type.String() });
  const SplitParams = Type.Object({ id: Type.String(), prefix: Type.String(), len: Type.String() });
  for (const [path, params, cidrOf] of [
    ['/vpn_gateways/:id/advertised_cidrs/:cidr', CidrParams, (p: Record<string, string>) => p['cidr']!],
    ['/vpn_gateways/:id/advertised_cidrs/:prefix/:len', SplitParams, (p: Record<string, string>) => `${p['prefix']}/${p['len']}`],
  ] as const) {
    app.get(
      path,
      { schema: { tags, summary: 'Check an advertised CIDR (204 if present)', params, querystring: VersionQuery, response: { 204: NoContent, ...ERRORS } } },
      async (req, reply) => {
        const p = req.params as Record<string, string>;
        await control.gateways.advertisedCidr(req.actor, gwId(p['id']!), cidrOf(p), 'check');
        return reply.code(204).send();
      },
    );
    app.put(
      path,
      {
        config: { bodyless: true },
        schema: {
          tags,
          summary: 'Add an advertised CIDR (201 added, 204 already there)',
          params,
          querystring: VersionQuery,
          response: { 201: NoContent, 204: NoContent, ...ERRORS },
        },
      },
      async (req, reply) => {
        const p = req.params as Record<string, string>;
        const r = await control.gateways.advertisedCidr(req.actor, gwId(p['id']!), cidrOf(p), 'add');
        return reply.code(r === 'added' ? 201 : 204).send();
      },
    );
    app.delete(
      path,
      { schema: { tags, summary: 'Remove an advertised CIDR', params, querystring: VersionQuery, response: { 204: NoContent, ...ERRORS } } },
      async (req, reply) => {
        const p = req.params as Record<string, string>;
        await control.gateways.advertisedCidr(req.actor, gwId(p['id']!), cidrOf(p), 'remove');
        return reply.code(204).send();
      },
    );
  }
}
