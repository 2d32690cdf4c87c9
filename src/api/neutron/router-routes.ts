import type { FastifyInstance } from 'fastify';
import { addRouterInterface, removeRouterInterface, type InterfaceInfo } from '../../control/neutron-interface-commands.js';
import {
  createRouter, getRouterView, listRouterViews, removeRouter, updateRouter, type GatewayInput, type RouterView,
} from '../../control/router-commands.js';
import { PUBLIC_SUBNET_ID } from '../../domain/neutron-core.js';
import type { Actor } from '../../domain/tenancy.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, invalidInput } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, str, uuid, unwrap, type Body } from './neutron-request.js';
import { asBool, asList, collectionUrl, core, coreTime, fixedAttr, forbidden, pathIdOr404 } from './network-wire.js';

/** Routers (Neutron-only records: interfaces join subnets, the external gateway holds a public-pool address) and their interfaces. */

export function routerWire(v: RouterView): Record<string, unknown> {
  const r = v.router;
  const gw = r.externalNetworkId === null ? null : {
    network_id: r.externalNetworkId, enable_snat: true,
    external_fixed_ips: r.externalIp === null ? [] : [{ subnet_id: PUBLIC_SUBNET_ID, ip_address: r.externalIp }],
  };
  // No `routes` key: tempest's router cleanup then skips a PUT of routes (extra routes are not supported).
  return {
    id: r.id, name: r.name, description: r.description, ...ownerFields(r.accountId), admin_state_up: r.adminStateUp, status: 'ACTIVE',
    external_gateway_info: gw, availability_zone_hints: [], availability_zones: [], tags: [],
    created_at: coreTime(r.createdAt), updated_at: coreTime(r.updatedAt),
  };
}

/** external_gateway_info: undefined = not given, null = none / clear ({} or null), else the gateway asked for. */
function gatewayOf(b: Body, actor: Actor): GatewayInput | null | undefined {
  const v = b['external_gateway_info'];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidInput('external_gateway_info', `'${JSON.stringify(v)}' is not a dictionary`);
  const g = v as Body;
  if (Object.keys(g).length === 0) return null;
  const extra = Object.keys(g).filter((k) => !['network_id', 'enable_snat', 'external_fixed_ips'].includes(k));
  if (extra.length > 0) throw invalidInput('external_gateway_info', `Unexpected keys supplied: ${extra.join(', ')}`);
  if (g['network_id'] === undefined || g['network_id'] === null) throw invalidInput('external_gateway_info', "Validation of dictionary's keys failed. Expected keys: {'network_id'}");
  const networkId = uuid(g, 'network_id')!;
  const snat = bool(g, 'enable_snat');
  const rawIps = asList(g['external_fixed_ips']);
  if (rawIps !== undefined && !Array.isArray(rawIps)) throw invalidInput('external_fixed_ips', `'${JSON.stringify(rawIps)}' is not a list`);
  const fixedIps = (rawIps as unknown[] | undefined)?.map((ip) => {
    if (typeof ip !== 'object' || ip === null || Array.isArray(ip)) throw invalidInput('external_fixed_ips', `'${JSON.stringify(ip)}' is not a dictionary`);
    const e = ip as Body;
    const bad = Object.keys(e).filter((k) => k !== 'subnet_id' && k !== 'ip_address');
    if (bad.length > 0) throw invalidInput('external_fixed_ips', `Unexpected keys supplied: ${bad.join(', ')}`);
    const subnetId = uuid(e, 'subnet_id');
    const ipAddress = str(e, 'ip_address', 45);
    if (ipAddress !== undefined && !actor.isAdmin) throw forbidden('(rule:update_router:external_gateway_info:external_fixed_ips) is disallowed by policy');
    return { ...(subnetId ? { subnetId } : {}), ...(ipAddress ? { ipAddress } : {}) };
  });
  return { networkId, ...(snat !== undefined ? { enableSnat: snat } : {}), ...(fixedIps ? { fixedIps } : {}) };
}

function checkFixed(b: Body): void {
  bool(b, 'admin_state_up');
  fixedAttr(b, 'distributed', [false], asBool);
  fixedAttr(b, 'ha', [false], asBool);
  fixedAttr(b, 'flavor_id', [null]);
  fixedAttr(b, 'availability_zone_hints', [[]], asList);
  fixedAttr(b, 'routes', [[]], asList);
}

const interfaceWire = (i: InterfaceInfo): Record<string, unknown> => ({
  id: i.routerId, ...ownerFields(i.accountId), subnet_id: i.subnetId, subnet_ids: [i.subnetId], port_id: i.portId, network_id: i.networkId,
});

/** The bare body of add/remove_router_interface ({"subnet_id": …} or {"port_id": …}, not wrapped). */
function interfaceBody(body: unknown): { subnetId?: string; portId?: string } {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Bad router request: Either subnet_id or port_id must be specified.');
  const b = body as Body;
  const extra = Object.keys(b).filter((k) => k !== 'subnet_id' && k !== 'port_id');
  if (extra.length > 0) throw badRequest(`Unrecognized attribute(s) '${extra.join(', ')}'`);
  const subnetId = uuid(b, 'subnet_id');
  const portId = uuid(b, 'port_id');
  return { ...(subnetId ? { subnetId } : {}), ...(portId ? { portId } : {}) };
}

const RO = ['id', 'status', 'tags', 'created_at', 'updated_at', 'revision_number', 'availability_zones'];
const COMMON = ['name', 'description', 'admin_state_up', 'external_gateway_info', 'distributed', 'ha'];

export function routerRoutes(app: FastifyInstance, deps: NeutronDeps): void {
  const { control } = deps;
  const routerId = (raw: string): string => pathIdOr404(raw, 'RouterNotFound', 'Router');

  app.get('/routers', async (req) => core(async () =>
    listResponse(req, 'routers', (await listRouterViews(control, actorOf(req))).map(routerWire), collectionUrl(deps.publicUrl, 'routers'))));

  app.get<{ Params: { id: string } }>('/routers/:id', async (req) => core(async () =>
    ({ router: pick(routerWire(await getRouterView(control, actorOf(req), routerId(req.params.id))), fieldsOf(req)) })));

  app.post('/routers', async (req, reply) => core(async () => {
    const actor = actorOf(req);
    const b = unwrap(req, 'router');
    checkKeys(b, [...COMMON, 'flavor_id', 'availability_zone_hints', 'tenant_id', 'project_id'], 'POST', [...RO, 'routes']);
    checkFixed(b);
    const gateway = gatewayOf(b, actor) ?? null;
    const input = { accountId: ownerOf(actor, b), name: str(b, 'name') ?? '', description: str(b, 'description') ?? '', adminStateUp: bool(b, 'admin_state_up') ?? true, gateway };
    return reply.code(201).send({ router: routerWire(await createRouter(control, actor, input)) });
  }));

  app.put<{ Params: { id: string } }>('/routers/:id', async (req) => core(async () => {
    const actor = actorOf(req);
    const id = routerId(req.params.id);
    const b = unwrap(req, 'router');
    checkKeys(b, [...COMMON, 'routes'], 'PUT', [...RO, 'tenant_id', 'project_id', 'flavor_id', 'availability_zone_hints']);
    checkFixed(b);
    const gateway = gatewayOf(b, actor);
    const name = str(b, 'name');
    const description = str(b, 'description');
    const adminStateUp = bool(b, 'admin_state_up');
    const patch = { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}), ...(adminStateUp !== undefined ? { adminStateUp } : {}), ...(gateway !== undefined ? { gateway } : {}) };
    return { router: routerWire(await updateRouter(control, actor, id, patch)) };
  }));

  app.delete<{ Params: { id: string } }>('/routers/:id', async (req, reply) => core(async () => {
    await removeRouter(control, actorOf(req), routerId(req.params.id));
    return reply.code(204).send();
  }));

  app.put<{ Params: { id: string } }>('/routers/:id/add_router_interface', async (req) => core(async () => {
    const id = routerId(req.params.id);
    const by = interfaceBody(req.body);
    if (by.portId !== undefined && by.subnetId !== undefined) throw badRequest('Bad router request: Cannot specify both subnet-id and port-id.');
    if (by.portId !== undefined) throw badRequest('Bad router request: adding an interface by port_id is not supported; give subnet_id.');
    if (by.subnetId === undefined) throw badRequest('Bad router request: Either subnet_id or port_id must be specified.');
    return interfaceWire(await addRouterInterface(control, actorOf(req), id, by.subnetId));
  }));

  app.put<{ Params: { id: string } }>('/routers/:id/remove_router_interface', async (req) => core(async () => {
    const id = routerId(req.params.id);
    return interfaceWire(await removeRouterInterface(control, actorOf(req), id, interfaceBody(req.body)));
  }));
}
