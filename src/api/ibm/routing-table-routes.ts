import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RoutingTableView } from '../../control/index.js';
import { NoContent, VersionQuery } from './ibm-common-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { pathId } from './ibm-identity.js';
import { collectionSchema, limitOf, PageQuery, pageEnvelope, pageRequest } from './ibm-pagination.js';
import { onlyFalse, routeInput, routePatch, routeToWire, routingTableIdOf, routingTableToWire } from './routing-table-mapper.js';
import {
  INGRESS_KEYS,
  RoutePatch,
  RoutePrototype,
  RouteSchema,
  RoutingTableIdentity,
  RoutingTablePatch,
  RoutingTablePrototype,
  RoutingTableSchema,
} from './routing-table-schema.js';

/** /vpcs/{vpc}/routing_tables, their routes, the VPC's default table and a subnet's table. */
export function routingTableRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { refs, control } = d;
  const tags = ['VPC routing tables'];
  const VpcParams = Type.Object({ vpc: Type.String() });
  const TableParams = Type.Object({ vpc: Type.String(), id: Type.String() });
  const RouteParams = Type.Object({ vpc: Type.String(), rt: Type.String(), id: Type.String() });
  const vpcOf = (p: { vpc: string }) => pathId(p.vpc, 'vpc');
  const tableOf = (raw: string) => pathId(raw, 'routing_table');
  const routeOf = (raw: string) => pathId(raw, 'route');
  const tableWire = (v: RoutingTableView) => routingTableToWire(refs, v.table.accountId, v);
  const tables = '/vpcs/:vpc/routing_tables';

  app.get(
    tables,
    {
      schema: {
        tags,
        summary: 'List the routing tables of a VPC',
        params: VpcParams,
        querystring: Type.Object({ ...PageQuery, is_default: Type.Optional(Type.Boolean()) }),
        response: { 200: collectionSchema('routing_tables', RoutingTableSchema), ...ERRORS },
      },
    },
    async (req) => {
      const vpc = vpcOf(req.params);
      const q = req.query;
      const page = await control.routingTables.list(req.actor, vpc, pageRequest(q), q.is_default === undefined ? {} : { isDefault: q.is_default });
      return pageEnvelope('routing_tables', page, tableWire, `${refs.base}/vpcs/${vpc}/routing_tables`, limitOf(q), {
        is_default: q.is_default === undefined ? undefined : String(q.is_default),
      });
    },
  );

  app.post(
    tables,
    {
      schema: {
        tags,
        summary: 'Create a routing table (and its first routes)',
        params: VpcParams,
        querystring: VersionQuery,
        body: RoutingTablePrototype,
        response: { 201: RoutingTableSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const vpc = vpcOf(req.params);
      const b = req.body;
      onlyFalse(b, INGRESS_KEYS);
      const routes = (b.routes ?? []).map((r) => routeInput(refs, r));
      const v = await control.atomically(async (cp) => {
        const made = await cp.routingTables.create(req.actor, vpc, b.name !== undefined ? { name: b.name } : {});
        for (const r of routes) await cp.routes.create(req.actor, vpc, made.table.id, r);
        return routes.length > 0 ? cp.routingTables.get(req.actor, vpc, made.table.id) : made;
      });
      return reply.code(201).send(tableWire(v));
    },
  );

  app.get(
    `${tables}/:id`,
    { schema: { tags, summary: 'Retrieve a routing table', params: TableParams, querystring: VersionQuery, response: { 200: RoutingTableSchema, ...ERRORS } } },
    async (req) => tableWire(await control.routingTables.get(req.actor, vpcOf(req.params), tableOf(req.params.id))),
  );

  app.patch(
    `${tables}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a routing table (name)',
        params: TableParams,
        querystring: VersionQuery,
        body: RoutingTablePatch,
        response: { 200: RoutingTableSchema, ...ERRORS },
      },
    },
    async (req) => {
      onlyFalse(req.body, INGRESS_KEYS);
      const v = await control.routingTables.update(
        req.actor,
        vpcOf(req.params),
        tableOf(req.params.id),
        req.body.name !== undefined ? { name: req.body.name } : {},
      );
      return tableWire(v);
    },
  );

  app.delete(
    `${tables}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a routing table (not the default one, nor one that routes subnets)',
        params: TableParams,
        querystring: VersionQuery,
        response: { 204: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      await control.routingTables.remove(req.actor, vpcOf(req.params), tableOf(req.params.id));
      return reply.code(204).send();
    },
  );

  app.get(
    '/vpcs/:vpc/default_routing_table',
    {
      schema: {
        tags,
        summary: "Retrieve a VPC's default routing table",
        params: VpcParams,
        querystring: VersionQuery,
        response: { 200: RoutingTableSchema, ...ERRORS },
      },
    },
    async (req) => tableWire(await control.routingTables.default(req.actor, vpcOf(req.params))),
  );

  // ---- routes ----
  const routes = '/vpcs/:vpc/routing_tables/:rt/routes';
  const RtParams = Type.Object({ vpc: Type.String(), rt: Type.String() });
  app.get(
    routes,
    {
      schema: {
        tags,
        summary: 'List the routes of a routing table',
        params: RtParams,
        querystring: Type.Object(PageQuery),
        response: { 200: collectionSchema('routes', RouteSchema), ...ERRORS },
      },
    },
    async (req) => {
      const vpc = vpcOf(req.params);
      const rt = tableOf(req.params.rt);
      const page = await control.routes.list(req.actor, vpc, rt, pageRequest(req.query));
      return pageEnvelope('routes', page, (v) => routeToWire(refs, v), `${refs.base}/vpcs/${vpc}/routing_tables/${rt}/routes`, limitOf(req.query));
    },
  );
  app.post(
    routes,
    {
      schema: { tags, summary: 'Create a route', params: RtParams, querystring: VersionQuery, body: RoutePrototype, response: { 201: RouteSchema, ...ERRORS } },
    },
    async (req, reply) => {
      const v = await control.routes.create(req.actor, vpcOf(req.params), tableOf(req.params.rt), routeInput(refs, req.body));
      return reply.code(201).send(routeToWire(refs, v));
    },
  );
  app.get(
    `${routes}/:id`,
    { schema: { tags, summary: 'Retrieve a route', params: RouteParams, querystring: VersionQuery, response: { 200: RouteSchema, ...ERRORS } } },
    async (req) => routeToWire(refs, await control.routes.get(req.actor, vpcOf(req.params), tableOf(req.params.rt), routeOf(req.params.id))),
  );
  app.patch(
    `${routes}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a route (name, priority, next hop)',
        params: RouteParams,
        querystring: VersionQuery,
        body: RoutePatch,
        response: { 200: RouteSchema, ...ERRORS },
      },
    },
    async (req) =>
      routeToWire(refs, await control.routes.update(req.actor, vpcOf(req.params), tableOf(req.params.rt), routeOf(req.params.id), routePatch(refs, req.body))),
  );
  app.delete(
    `${routes}/:id`,
    { schema: { tags, summary: 'Delete a route', params: RouteParams, querystring: VersionQuery, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      await control.routes.remove(req.actor, vpcOf(req.params), tableOf(req.params.rt), routeOf(req.params.id));
      return reply.code(204).send();
    },
  );

  // ---- a subnet's routing table ----
  const SubnetParams = Type.Object({ id: Type.String() });
  app.get(
    '/subnets/:id/routing_table',
    {
      schema: {
        tags,
        summary: "Retrieve a subnet's routing table",
        params: SubnetParams,
        querystring: VersionQuery,
        response: { 200: RoutingTableSchema, ...ERRORS },
      },
    },
    async (req) => tableWire(await control.routingTables.ofSubnet(req.actor, pathId(req.params.id, 'subnet'))),
  );
  app.put(
    '/subnets/:id/routing_table',
    {
      schema: {
        tags,
        summary: "Replace a subnet's routing table (201)",
        params: SubnetParams,
        querystring: VersionQuery,
        body: RoutingTableIdentity,
        response: { 201: RoutingTableSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const subnet = pathId(req.params.id, 'subnet');
      const tableId = routingTableIdOf(refs, req.body);
      return reply.code(201).send(tableWire(await control.routingTables.setForSubnet(req.actor, subnet, tableId)));
    },
  );
}
