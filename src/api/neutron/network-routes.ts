import type { FastifyInstance } from 'fastify';
import { createNetwork, removeNetwork, updateNetwork } from '../../control/neutron-network-commands.js';
import { getNetworkView, listNetworkViews, publicNetworkOwner, type NetworkView } from '../../control/neutron-queries.js';
import { PUBLIC_NETWORK_ID, PUBLIC_NETWORK_NAME, PUBLIC_SUBNET_ID } from '../../domain/neutron-core.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, str, unwrap } from './neutron-request.js';
import { asBool, asList, collectionUrl, core, coreTime, fixedAttr, forbidden, pathIdOr404 } from './network-wire.js';

/** Networks: a network is a VPC (same id); plus the built-in external network `public`. */

interface NetworkShape {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  readonly subnetIds: readonly string[];
  readonly createdAt: number;
  readonly external: boolean;
}

function networkWire(n: NetworkShape): Record<string, unknown> {
  return {
    id: n.id, name: n.name, ...ownerFields(n.accountId), admin_state_up: true, mtu: 1500, status: 'ACTIVE', subnets: [...n.subnetIds],
    shared: n.external, availability_zone_hints: [], availability_zones: [], ipv4_address_scope: null, ipv6_address_scope: null,
    'router:external': n.external, description: '', port_security_enabled: true, tags: [],
    created_at: coreTime(n.createdAt), updated_at: coreTime(n.createdAt),
  };
}

const fromView = (v: NetworkView): NetworkShape => ({ id: v.vpc.id, name: v.vpc.name, accountId: v.vpc.accountId, subnetIds: v.subnetIds, createdAt: v.vpc.createdAt, external: false });

/** The built-in external network as the API shows it. */
export async function publicNetworkWire(deps: NeutronDeps): Promise<Record<string, unknown>> {
  const owner = await publicNetworkOwner(deps.control);
  return networkWire({ id: PUBLIC_NETWORK_ID, name: PUBLIC_NETWORK_NAME, accountId: owner.accountId, subnetIds: [PUBLIC_SUBNET_ID], createdAt: owner.createdAt, external: true });
}

/** Attributes with the one value Causeway has (POST and PUT). */
function checkFixed(b: Record<string, unknown>): void {
  for (const k of ['admin_state_up', 'shared', 'port_security_enabled', 'router:external']) bool(b, k);
  fixedAttr(b, 'admin_state_up', [true], asBool);
  fixedAttr(b, 'shared', [false], asBool);
  fixedAttr(b, 'port_security_enabled', [true], asBool);
  fixedAttr(b, 'mtu', [1500], (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));
  fixedAttr(b, 'description', ['', null]);
  fixedAttr(b, 'availability_zone_hints', [[]], asList);
  if ('router:external' in b && asBool(b['router:external']) === true) {
    throw badRequest('Only the built-in external network (public) is supported; networks created through the API are internal.');
  }
  fixedAttr(b, 'router:external', [false], asBool);
}

const RO = ['id', 'status', 'subnets', 'tags', 'created_at', 'updated_at', 'revision_number', 'availability_zones', 'ipv4_address_scope', 'ipv6_address_scope'];
const COMMON = ['name', 'admin_state_up', 'shared', 'router:external', 'mtu', 'description', 'port_security_enabled'];

export function networkRoutes(app: FastifyInstance, deps: NeutronDeps): void {
  const { control } = deps;
  const netId = (raw: string): string => pathIdOr404(raw, 'NetworkNotFound', 'Network');
  const show = async (actorReq: Parameters<typeof actorOf>[0], id: string): Promise<Record<string, unknown>> =>
    id === PUBLIC_NETWORK_ID ? publicNetworkWire(deps) : networkWire(fromView(await getNetworkView(control, actorOf(actorReq), id)));

  app.get('/networks', async (req) => core(async () => {
    const items = [await publicNetworkWire(deps), ...(await listNetworkViews(control, actorOf(req))).map((v) => networkWire(fromView(v)))];
    items.sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    return listResponse(req, 'networks', items, collectionUrl(deps.publicUrl, 'networks'));
  }));

  app.get<{ Params: { id: string } }>('/networks/:id', async (req) => core(async () =>
    ({ network: pick(await show(req, netId(req.params.id)), fieldsOf(req)) })));

  app.post('/networks', async (req, reply) => core(async () => {
    const actor = actorOf(req);
    const b = unwrap(req, 'network');
    checkKeys(b, [...COMMON, 'availability_zone_hints', 'tenant_id', 'project_id'], 'POST', RO);
    checkFixed(b);
    const name = str(b, 'name');
    const accountId = ownerOf(actor, b);
    const vpc = await createNetwork(control, actor, { accountId, ...(name ? { name } : {}) });
    return reply.code(201).send({ network: networkWire({ id: vpc.id, name: vpc.name, accountId: vpc.accountId, subnetIds: [], createdAt: vpc.createdAt, external: false }) });
  }));

  app.put<{ Params: { id: string } }>('/networks/:id', async (req) => core(async () => {
    const actor = actorOf(req);
    const id = netId(req.params.id);
    const b = unwrap(req, 'network');
    checkKeys(b, COMMON, 'PUT', [...RO, 'tenant_id', 'project_id', 'availability_zone_hints']);
    if (id === PUBLIC_NETWORK_ID) {
      if (Object.keys(b).length === 0) return { network: await publicNetworkWire(deps) };
      throw forbidden(`The built-in external network ${id} cannot be changed.`);
    }
    checkFixed(b);
    const name = str(b, 'name');
    await updateNetwork(control, actor, id, { ...(name !== undefined ? { name } : {}) });
    return { network: await show(req, id) };
  }));

  app.delete<{ Params: { id: string } }>('/networks/:id', async (req, reply) => core(async () => {
    const id = netId(req.params.id);
    if (id === PUBLIC_NETWORK_ID) throw forbidden(`The built-in external network ${id} cannot be deleted.`);
    await removeNetwork(control, actorOf(req), id);
    return reply.code(204).send();
  }));
}
