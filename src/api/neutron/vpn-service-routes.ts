import type { FastifyInstance } from 'fastify';
import { createVpnService, removeVpnService, updateVpnService, VpnServiceRefusal } from '../../control/vpnservice-commands.js';
import type { VpnGateway } from '../../domain/gateway.js';
import { getGateway } from '../../store/gateway-store.js';
import { getVpnService, type VpnServiceExtras, vpnServicesByGateway } from '../../store/vpnservice-store.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, pathId, str, unwrap, uuid } from './neutron-request.js';

const PLAIN: Omit<VpnServiceExtras, 'gatewayId'> = { routerId: null, subnetId: null, description: '', adminStateUp: true, flavorId: null };

/** Neutron status of a gateway (A11): PENDING_CREATE until the data plane built it, then ACTIVE (DOWN when admin-down), ERROR if it failed. */
function serviceStatus(g: VpnGateway, x: Omit<VpnServiceExtras, 'gatewayId'>): string {
  if (g.lifecycleState === 'pending') return 'PENDING_CREATE';
  if (g.lifecycleState === 'failed') return 'ERROR';
  return x.adminStateUp ? 'ACTIVE' : 'DOWN';
}

export function vpnServiceView(g: VpnGateway, x: Omit<VpnServiceExtras, 'gatewayId'> = PLAIN): Record<string, unknown> {
  const active = g.members.find((m) => m.role === 'active' && m.publicIp) ?? g.members.find((m) => m.publicIp);
  return {
    id: g.id, ...ownerFields(g.accountId), name: g.name, description: x.description, admin_state_up: x.adminStateUp,
    status: serviceStatus(g, x), router_id: x.routerId, subnet_id: x.subnetId, flavor_id: x.flavorId,
    external_v4_ip: active?.publicIp ?? null, external_v6_ip: null,
  };
}

/** The gateway behind a vpnservice id, if the caller may see it and it is not being deleted (Neutron deletes are synchronous). */
export async function loadService(deps: NeutronDeps, actor: ReturnType<typeof actorOf>, raw: string): Promise<{ gateway: VpnGateway; extras: Omit<VpnServiceExtras, 'gatewayId'> }> {
  const id = pathId(raw);
  const g = id ? await getGateway(deps.control.db, id) : undefined;
  if (!g || g.mode !== 'policy' || g.lifecycleState === 'deleting' || (!actor.isAdmin && g.accountId !== actor.accountId)) {
    throw notFound('VPNServiceNotFound', `VPNService ${raw} could not be found`);
  }
  return { gateway: g, extras: (await getVpnService(deps.control.db, g.id)) ?? PLAIN };
}

/** VPN services (A4): policy-mode gateways on a router with an external gateway. */
export async function vpnServiceRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const { control } = deps;
  app.get('/vpnservices', async (req) => {
    const actor = actorOf(req);
    let q = control.db.selectFrom('vpn_gateways').select('id').where('mode', '=', 'policy').where('lifecycle_state', '!=', 'deleting').orderBy('created_at');
    if (!actor.isAdmin) q = q.where('account_id', '=', actor.accountId);
    const ids = (await q.execute()).map((r) => r.id);
    const extras = await vpnServicesByGateway(control.db, ids);
    const items: Record<string, unknown>[] = [];
    for (const id of ids) {
      const g = await getGateway(control.db, id);
      if (g) items.push(vpnServiceView(g, extras.get(id)));
    }
    return listResponse(req, 'vpnservices', items, `${deps.publicUrl}/v2.0/vpn/vpnservices`);
  });
  app.get<{ Params: { id: string } }>('/vpnservices/:id', async (req) => {
    const s = await loadService(deps, actorOf(req), req.params.id);
    return { vpnservice: pick(vpnServiceView(s.gateway, s.extras), fieldsOf(req)) };
  });
  app.post('/vpnservices', async (req, reply) => {
    const actor = actorOf(req);
    const b = unwrap(req, 'vpnservice');
    checkKeys(b, ['name', 'description', 'router_id', 'subnet_id', 'admin_state_up', 'flavor_id', 'tenant_id', 'project_id'], 'POST', ['id', 'status', 'external_v4_ip', 'external_v6_ip']);
    const name = str(b, 'name');
    const description = str(b, 'description') ?? '';
    const routerId = uuid(b, 'router_id', true)!;
    const subnetId = uuid(b, 'subnet_id') ?? null;
    if (b['flavor_id'] !== undefined && b['flavor_id'] !== null) throw notFound('FlavorsPluginNotLoaded', 'Flavors plugin not found');
    try {
      const { gateway, extras } = await createVpnService(control, actor, {
        accountId: ownerOf(actor, b), routerId, subnetId, ...(name ? { name } : {}), description, adminStateUp: bool(b, 'admin_state_up') ?? true, flavorId: null,
      });
      return reply.code(201).send({ vpnservice: vpnServiceView(gateway, extras) });
    } catch (e) {
      if (e instanceof VpnServiceRefusal) throw e.type === 'RouterNotFound' ? notFound('RouterNotFound', e.message) : badRequest(e.message, e.type);
      throw e;
    }
  });
  app.put<{ Params: { id: string } }>('/vpnservices/:id', async (req) => {
    const actor = actorOf(req);
    const s = await loadService(deps, actor, req.params.id);
    const b = unwrap(req, 'vpnservice');
    checkKeys(b, ['name', 'description', 'admin_state_up'], 'PUT', ['id', 'status', 'router_id', 'subnet_id', 'flavor_id', 'tenant_id', 'project_id', 'external_v4_ip', 'external_v6_ip']);
    const name = str(b, 'name');
    const description = str(b, 'description');
    const up = bool(b, 'admin_state_up');
    await updateVpnService(control, actor, s.gateway.id, { ...(name ? { name } : {}), ...(description !== undefined ? { description } : {}), ...(up !== undefined ? { adminStateUp: up } : {}) });
    const after = await loadService(deps, actor, s.gateway.id);
    return { vpnservice: vpnServiceView(after.gateway, after.extras) };
  });
  app.delete<{ Params: { id: string } }>('/vpnservices/:id', async (req, reply) => {
    const actor = actorOf(req);
    const s = await loadService(deps, actor, req.params.id);
    await removeVpnService(control, actor, s.gateway.id);
    return reply.code(204).send();
  });
}
