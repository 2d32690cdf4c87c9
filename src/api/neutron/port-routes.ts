import type { FastifyInstance } from 'fastify';
import { getPortView, listPortViews, type PortView } from '../../control/neutron-queries.js';
import { macOf, ROUTER_INTERFACE_OWNER } from '../../domain/neutron-core.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, conflict } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { ownerFields } from './neutron-request.js';
import { collectionUrl, core, coreTime, pathIdOr404, withoutQuery } from './network-wire.js';

/**
 * Ports, read-only: each router interface is a port (device_id = the router, device_owner
 * network:router_interface, one fixed IP = the subnet's gateway_ip). The gateway port is not listed.
 */

export function portWire(p: PortView): Record<string, unknown> {
  return {
    id: p.portId, name: '', network_id: p.networkId, ...ownerFields(p.accountId), mac_address: macOf(p.portId), admin_state_up: true,
    status: 'ACTIVE', device_id: p.routerId, device_owner: ROUTER_INTERFACE_OWNER, fixed_ips: [{ subnet_id: p.subnetId, ip_address: p.ipAddress }],
    allowed_address_pairs: [], extra_dhcp_opts: [], security_groups: [], description: '', port_security_enabled: false,
    'binding:vnic_type': 'normal', tags: [], created_at: coreTime(p.createdAt), updated_at: coreTime(p.createdAt),
  };
}

/** `fixed_ips=subnet_id=X` / `fixed_ips=ip_address=Y` (repeatable; all must hold), as the SDK sends them. */
function fixedIpFilter(raw: unknown): (p: PortView) => boolean {
  const wanted = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map(String);
  const tests = wanted.map((w) => {
    const eq = w.indexOf('=');
    const key = eq < 0 ? '' : w.slice(0, eq);
    const value = w.slice(eq + 1);
    if (key === 'subnet_id') return (p: PortView) => p.subnetId === value;
    if (key === 'ip_address') return (p: PortView) => p.ipAddress === value;
    if (key === 'ip_address_substr') return (p: PortView) => p.ipAddress.includes(value);
    throw badRequest(`Invalid fixed_ips filter '${w}': expected subnet_id=, ip_address= or ip_address_substr=`);
  });
  return (p) => tests.every((t) => t(p));
}

export function portRoutes(app: FastifyInstance, deps: NeutronDeps): void {
  const { control } = deps;
  const portId = (raw: string): string => pathIdOr404(raw, 'PortNotFound', 'Port');

  app.get('/ports', async (req) => core(async () => {
    const keep = fixedIpFilter((req.query as Record<string, unknown>)['fixed_ips']);
    const items = (await listPortViews(control, actorOf(req))).filter(keep).map(portWire);
    return listResponse(withoutQuery(req, ['fixed_ips']), 'ports', items, collectionUrl(deps.publicUrl, 'ports'));
  }));

  app.get<{ Params: { id: string } }>('/ports/:id', async (req) => core(async () =>
    ({ port: pick(portWire(await getPortView(control, actorOf(req), portId(req.params.id))), fieldsOf(req)) })));

  app.post('/ports', async () => {
    throw badRequest('Creating ports is not supported: ports are router interfaces (PUT /v2.0/routers/{id}/add_router_interface).');
  });

  app.put<{ Params: { id: string } }>('/ports/:id', async (req) => core(async () => {
    const p = await getPortView(control, actorOf(req), portId(req.params.id));
    throw badRequest(`Port ${p.portId} is a router interface and cannot be updated.`);
  }));

  app.delete<{ Params: { id: string } }>('/ports/:id', async (req) => core(async () => {
    const p = await getPortView(control, actorOf(req), portId(req.params.id));
    throw conflict('L3PortInUse', `Port ${p.portId} has owner ${ROUTER_INTERFACE_OWNER} and therefore cannot be deleted directly via the port API.`);
  }));
}
