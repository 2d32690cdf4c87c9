import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ControlPlane, ExternalGatewayInput, InterfaceInfo, RouterRoute, RouterView } from '../../control/index.js';
import type { Actor } from '../../domain/tenancy.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID } from './neutron-core-wire.js';
import { badRequest, echo, forbidden, invalidInput, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, str, uuid, unwrap, type Body } from './neutron-request.js';
import { asBool, asList, collectionUrl, coreTime, fixedAttr, pathIdOr404 } from './network-wire.js';
import { ERRORS, IdParams, keysOf, LIST_DESCRIPTION, ListQuery, NETWORKING_TAGS, NoContent, ShowQuery } from './neutron-common-schema.js';
import {
  ExtraRoutesBody,
  InterfaceBody,
  InterfaceSchema,
  type InterfaceWire,
  RouterCreate,
  RouterList,
  RouterOne,
  RouterShown,
  RouterUpdate,
  type RouterWire,
} from './router-schema.js';

/** Routers (Neutron-only records: interfaces join subnets, the external gateway holds a public-pool address) and their interfaces. */

export function routerWire(v: RouterView): RouterWire {
  const r = v.router;
  const gw =
    r.externalNetworkId === null
      ? null
      : {
          network_id: r.externalNetworkId,
          enable_snat: true,
          external_fixed_ips: r.externalIp === null ? [] : [{ subnet_id: PUBLIC_SUBNET_ID, ip_address: r.externalIp }],
        };
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    ...ownerFields(r.accountId),
    admin_state_up: r.adminStateUp,
    status: 'ACTIVE',
    external_gateway_info: gw,
    availability_zone_hints: [],
    availability_zones: [],
    routes: v.routes.map((x) => ({ destination: x.destination, nexthop: x.nexthop })),
    tags: [],
    created_at: coreTime(r.createdAt),
    updated_at: coreTime(r.updatedAt),
  };
}

/** external_gateway_info as asked: undefined = not given, null = none / clear ({} or null), else the network and address asked for. */
interface GatewayAsk {
  readonly networkId: string;
  readonly enableSnat?: boolean;
  readonly fixedIps?: readonly { readonly subnetId?: string; readonly ipAddress?: string }[];
}

function gatewayOf(b: Body, actor: Actor): GatewayAsk | null | undefined {
  const v = b['external_gateway_info'];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidInput('external_gateway_info', `'${echo(v)}' is not a dictionary`);
  const g = v as Body;
  if (Object.keys(g).length === 0) return null;
  const extra = Object.keys(g).filter((k) => !['network_id', 'enable_snat', 'external_fixed_ips'].includes(k));
  if (extra.length > 0) throw invalidInput('external_gateway_info', `Unexpected keys supplied: ${echo(extra.join(', '))}`);
  if (g['network_id'] === undefined || g['network_id'] === null)
    throw invalidInput('external_gateway_info', "Validation of dictionary's keys failed. Expected keys: {'network_id'}");
  const networkId = uuid(g, 'network_id')!;
  const snat = bool(g, 'enable_snat');
  const rawIps = asList(g['external_fixed_ips']);
  if (rawIps !== undefined && !Array.isArray(rawIps)) throw invalidInput('external_fixed_ips', `'${echo(rawIps)}' is not a list`);
  const fixedIps = (rawIps as unknown[] | undefined)?.map((ip) => {
    if (typeof ip !== 'object' || ip === null || Array.isArray(ip)) throw invalidInput('external_fixed_ips', `'${echo(ip)}' is not a dictionary`);
    const e = ip as Body;
    const bad = Object.keys(e).filter((k) => k !== 'subnet_id' && k !== 'ip_address');
    if (bad.length > 0) throw invalidInput('external_fixed_ips', `Unexpected keys supplied: ${echo(bad.join(', '))}`);
    const subnetId = uuid(e, 'subnet_id');
    const ipAddress = str(e, 'ip_address', 45);
    if (ipAddress !== undefined && !actor.isAdmin) throw forbidden('(rule:update_router:external_gateway_info:external_fixed_ips) is disallowed by policy');
    return { ...(subnetId ? { subnetId } : {}), ...(ipAddress ? { ipAddress } : {}) };
  });
  return { networkId, ...(snat !== undefined ? { enableSnat: snat } : {}), ...(fixedIps ? { fixedIps } : {}) };
}

/**
 * Neutron's rules for the external gateway, which the domain knows as "on the public network, maybe at
 * an address": only `public` is external (a project's own network is not), SNAT is always on, one fixed
 * IP on the public subnet. Runs inside the command's transaction (`cp`): the network lookup is consistent with it.
 */
async function externalGateway(cp: ControlPlane, actor: Actor, gw: GatewayAsk | null | undefined): Promise<ExternalGatewayInput | null | undefined> {
  if (gw === undefined || gw === null) return gw;
  if (gw.networkId !== PUBLIC_NETWORK_ID) {
    const own = await cp.vpcs.get(actor, gw.networkId).then(
      () => true,
      () => false,
    );
    if (own) throw badRequest(`Bad router request: Network ${gw.networkId} is not an external network.`);
    throw notFound('NetworkNotFound', `Network ${gw.networkId} could not be found.`);
  }
  if (gw.enableSnat === false)
    throw badRequest('Invalid input for external_gateway_info. Reason: enable_snat false is not supported; the gateway always translates.');
  const fixed = gw.fixedIps ?? [];
  if (fixed.length > 1) throw badRequest('Invalid input for external_gateway_info. Reason: a router gateway has one external fixed IP.');
  const ask = fixed[0];
  if (ask?.subnetId !== undefined && ask.subnetId !== PUBLIC_SUBNET_ID) {
    throw badRequest(`Bad router request: Subnet ${ask.subnetId} is not on the external network ${PUBLIC_NETWORK_ID}.`);
  }
  return ask?.ipAddress !== undefined ? { address: ask.ipAddress } : {};
}

function checkFixed(b: Body): void {
  bool(b, 'admin_state_up');
  fixedAttr(b, 'distributed', [false], asBool);
  fixedAttr(b, 'ha', [false], asBool);
  fixedAttr(b, 'flavor_id', [null]);
  fixedAttr(b, 'availability_zone_hints', [[]], asList);
}

/**
 * Neutron's `routes` (type:hostroutes): a list (null = none) of {destination, nexthop}, no duplicates.
 * The CIDR and the address are the domain's to check (router-routes.ts in control).
 */
function routesOf(v: unknown): RouterRoute[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw invalidInput('routes', `'${echo(v)}' is not a list`);
  const out: RouterRoute[] = [];
  const seen = new Set<string>();
  for (const e of v as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw invalidInput('routes', `'${echo(e)}' is not a dictionary`);
    const keys = Object.keys(e).sort();
    if (keys.length !== 2 || keys[0] !== 'destination' || keys[1] !== 'nexthop') {
      throw invalidInput(
        'routes',
        `Validation of dictionary's keys failed. Expected keys: {'destination', 'nexthop'} Provided keys: {${keys.map((k) => `'${echo(k)}'`).join(', ')}}`,
      );
    }
    const r = e as Body;
    if (typeof r['destination'] !== 'string' || typeof r['nexthop'] !== 'string') throw invalidInput('routes', `'${echo(e)}' is not a valid route`);
    const route = { destination: r['destination'], nexthop: r['nexthop'] };
    const key = `${route.destination}|${route.nexthop}`;
    if (seen.has(key)) throw invalidInput('routes', `Duplicate hostroute '${echo(e)}'`);
    seen.add(key);
    out.push(route);
  }
  return out;
}

const routeKey = (r: RouterRoute): string => `${r.destination}|${r.nexthop}`;

const interfaceWire = (i: InterfaceInfo): InterfaceWire => ({
  id: i.routerId,
  ...ownerFields(i.accountId),
  subnet_id: i.subnetId,
  subnet_ids: [i.subnetId],
  port_id: i.portId,
  network_id: i.networkId,
});

/** The bare body of add/remove_router_interface ({"subnet_id": …} or {"port_id": …}, not wrapped). */
function interfaceBody(body: unknown): { subnetId?: string; portId?: string } {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('Bad router request: Either subnet_id or port_id must be specified.');
  const b = body as Body;
  const extra = Object.keys(b).filter((k) => k !== 'subnet_id' && k !== 'port_id');
  if (extra.length > 0) throw badRequest(`Unrecognized attribute(s) '${echo(extra.join(', '))}'`);
  const subnetId = uuid(b, 'subnet_id');
  const portId = uuid(b, 'port_id');
  return { ...(subnetId ? { subnetId } : {}), ...(portId ? { portId } : {}) };
}

/** What a POST and a PUT accept and refuse as read-only: the body schemas' attributes. */
const CREATE = keysOf(RouterCreate);
const UPDATE = keysOf(RouterUpdate);
const tags = NETWORKING_TAGS;
const interfaceSchema = (summary: string) => ({ tags, summary, params: IdParams, body: InterfaceBody, response: { 200: InterfaceSchema, ...ERRORS } });

export function routerRoutes(fastify: FastifyInstance, deps: NeutronDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const routerId = (raw: string): string => pathIdOr404(raw, 'RouterNotFound', 'Router');

  app.get(
    '/routers',
    { schema: { tags, summary: 'List routers', description: LIST_DESCRIPTION, querystring: ListQuery, response: { 200: RouterList, ...ERRORS } } },
    async (req) => listResponse(req, 'routers', (await control.routers.list(actorOf(req))).map(routerWire), collectionUrl(deps.publicUrl, 'routers')),
  );

  app.get(
    '/routers/:id',
    { schema: { tags, summary: 'Show a router', params: IdParams, querystring: ShowQuery, response: { 200: RouterShown, ...ERRORS } } },
    async (req) => ({ router: pick(routerWire(await control.routers.get(actorOf(req), routerId(req.params.id))), fieldsOf(req)) }),
  );

  app.post(
    '/routers',
    {
      schema: { tags, summary: 'Create a router (with an external gateway on `public` or none)', body: RouterCreate, response: { 201: RouterOne, ...ERRORS } },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'router');
      checkKeys(b, CREATE.allowed, 'POST', CREATE.readOnly);
      checkFixed(b);
      const ask = gatewayOf(b, actor) ?? null;
      const input = {
        accountId: ownerOf(actor, b),
        name: str(b, 'name') ?? '',
        description: str(b, 'description') ?? '',
        adminStateUp: bool(b, 'admin_state_up') ?? true,
      };
      const view = await control.atomically(async (cp) =>
        cp.routers.create(actor, { ...input, externalGateway: (await externalGateway(cp, actor, ask)) ?? null }),
      );
      return reply.code(201).send({ router: routerWire(view) });
    },
  );

  app.put(
    '/routers/:id',
    {
      schema: {
        tags,
        summary: 'Update a router: name, description, admin state, external gateway, extra routes',
        params: IdParams,
        body: RouterUpdate,
        response: { 200: RouterOne, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const id = routerId(req.params.id);
      const b = unwrap(req, 'router');
      checkKeys(b, UPDATE.allowed, 'PUT', UPDATE.readOnly);
      checkFixed(b);
      const ask = gatewayOf(b, actor);
      const name = str(b, 'name');
      const description = str(b, 'description');
      const adminStateUp = bool(b, 'admin_state_up');
      const patch = {
        ...(name !== undefined ? { name } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(adminStateUp !== undefined ? { adminStateUp } : {}),
      };
      const routes = b['routes'] === undefined ? undefined : routesOf(b['routes']);
      const view = await control.atomically(async (cp) => {
        await cp.routers.get(actor, id);
        const externalGatewayInput = await externalGateway(cp, actor, ask);
        if (routes !== undefined) await cp.routers.setRoutes(actor, id, routes);
        return cp.routers.update(actor, id, { ...patch, ...(externalGatewayInput !== undefined ? { externalGateway: externalGatewayInput } : {}) });
      });
      return { router: routerWire(view) };
    },
  );

  app.delete(
    '/routers/:id',
    { schema: { tags, summary: 'Delete a router (no interfaces left)', params: IdParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      await control.routers.remove(actorOf(req), routerId(req.params.id));
      return reply.code(204).send();
    },
  );

  // extraroute-atomic: add or remove some routes, the others stay (`openstack router add/remove route`).
  for (const [op, summary] of [
    ['add_extraroutes', 'Add extra routes (already present ones are kept once)'],
    ['remove_extraroutes', 'Remove extra routes (missing ones are ignored)'],
  ] as const) {
    app.put(
      `/routers/:id/${op}`,
      { schema: { tags, summary, params: IdParams, body: ExtraRoutesBody, response: { 200: RouterOne, ...ERRORS } } },
      async (req) => {
        const actor = actorOf(req);
        const id = routerId(req.params.id);
        const b = unwrap(req, 'router');
        checkKeys(b, ['routes'], 'PUT');
        const given = routesOf(b['routes'] ?? null);
        const view = await control.atomically(async (cp) => {
          const cur = (await cp.routers.get(actor, id)).routes;
          const drop = new Set(given.map(routeKey));
          const next =
            op === 'add_extraroutes'
              ? [...cur, ...given.filter((g) => !cur.some((c) => routeKey(c) === routeKey(g)))]
              : cur.filter((c) => !drop.has(routeKey(c)));
          await cp.routers.setRoutes(actor, id, next);
          return cp.routers.get(actor, id);
        });
        return { router: routerWire(view) };
      },
    );
  }

  app.put('/routers/:id/add_router_interface', { schema: interfaceSchema('Attach a subnet to a router (by subnet_id)') }, async (req) => {
    const id = routerId(req.params.id);
    const by = interfaceBody(req.body);
    if (by.portId !== undefined && by.subnetId !== undefined) throw badRequest('Bad router request: Cannot specify both subnet-id and port-id.');
    if (by.portId !== undefined) throw badRequest('Bad router request: adding an interface by port_id is not supported; give subnet_id.');
    if (by.subnetId === undefined) throw badRequest('Bad router request: Either subnet_id or port_id must be specified.');
    return interfaceWire(await control.routers.addInterface(actorOf(req), id, by.subnetId));
  });

  app.put('/routers/:id/remove_router_interface', { schema: interfaceSchema('Detach a subnet from a router (by subnet_id or port_id)') }, async (req) => {
    const id = routerId(req.params.id);
    return interfaceWire(await control.routers.removeInterface(actorOf(req), id, interfaceBody(req.body)));
  });
}
