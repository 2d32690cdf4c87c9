import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ControlPlane, GatewayView } from '../../control/index.js';
import type { Actor } from '../../domain/tenancy.js';
import { ALL } from './network-routes.js';
import { actorOf, NEUTRON, type NeutronDeps } from './neutron-deps.js';
import { echo, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, pathId, str, unwrap, uuid } from './neutron-request.js';
import { ERRORS, IdParams, keysOf, LIST_DESCRIPTION, ListQuery, NoContent, ShowQuery, VPNAAS_TAGS } from './neutron-common-schema.js';
import { VpnServiceCreate, VpnServiceList, VpnServiceOne, VpnServiceShown, VpnServiceUpdate, type VpnServiceWire } from './vpn-service-schema.js';

/** What Neutron adds to a policy-mode gateway to make it a vpnservice: Neutron's extras on the gateway. */
export interface ServiceExtras {
  readonly routerId: string | null;
  /** The legacy (pre endpoint group) subnet, create-only. */
  readonly subnetId: string | null;
  readonly description: string;
  readonly adminStateUp: boolean;
  readonly flavorId: string | null;
}

const PLAIN: ServiceExtras = { routerId: null, subnetId: null, description: '', adminStateUp: true, flavorId: null };

export function serviceExtrasOf(x: Readonly<Record<string, unknown>> | undefined): ServiceExtras {
  if (!x) return PLAIN;
  const s = (k: string): string | null => (typeof x[k] === 'string' ? x[k] : null);
  return {
    routerId: s('routerId'),
    subnetId: s('subnetId'),
    description: s('description') ?? '',
    adminStateUp: x['adminStateUp'] !== false,
    flavorId: s('flavorId'),
  };
}

/** The extras as written, with references to the router and the legacy subnet (they cannot go while the service is there). */
function serviceExtras(x: ServiceExtras) {
  return {
    dialect: NEUTRON,
    data: { ...x },
    refs: [...(x.routerId ? [{ resource: 'router', id: x.routerId }] : []), ...(x.subnetId ? [{ resource: 'subnet', id: x.subnetId }] : [])],
  };
}

/** Neutron status of a gateway (A11): PENDING_CREATE until the data plane built it, then ACTIVE (DOWN when admin-down), ERROR if it failed. */
function serviceStatus(v: GatewayView, x: ServiceExtras): string {
  const g = v.gateway;
  if (g.lifecycleState === 'pending') return 'PENDING_CREATE';
  if (g.lifecycleState === 'updating') return 'PENDING_UPDATE';
  if (g.lifecycleState === 'deleting') return 'PENDING_DELETE';
  if (g.lifecycleState === 'failed') return 'ERROR';
  return x.adminStateUp ? 'ACTIVE' : 'DOWN';
}

export function vpnServiceView(v: GatewayView): VpnServiceWire {
  const g = v.gateway;
  const x = serviceExtrasOf(v.extras);
  const active = g.members.find((m) => m.role === 'active' && m.publicIp) ?? g.members.find((m) => m.publicIp);
  return {
    id: g.id,
    ...ownerFields(g.accountId),
    name: g.name,
    description: x.description,
    admin_state_up: x.adminStateUp,
    status: serviceStatus(v, x),
    router_id: x.routerId,
    subnet_id: x.subnetId,
    flavor_id: x.flavorId,
    external_v4_ip: active?.publicIp ?? null,
    external_v6_ip: null,
  };
}

/**
 * The gateway behind a vpnservice id, if the caller may see it, it is policy-mode and not being deleted
 * (Neutron's deletes are synchronous), with Neutron's extras.
 */
export async function loadService(cp: ControlPlane, actor: Actor, raw: string): Promise<GatewayView> {
  const id = pathId(raw);
  const missing = notFound('VPNServiceNotFound', `VPNService ${echo(raw)} could not be found`);
  if (!id) throw missing;
  const v = await cp.gateways.get(actor, id, { extras: NEUTRON, live: true });
  if (v.gateway.mode !== 'policy') throw missing;
  return v;
}

/** VPN services (A4): policy-mode gateways on a router with an external gateway. */
export async function vpnServiceRoutes(fastify: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = VPNAAS_TAGS;
  const CREATE = keysOf(VpnServiceCreate);
  const UPDATE = keysOf(VpnServiceUpdate);
  app.get(
    '/vpnservices',
    { schema: { tags, summary: 'List VPN services', description: LIST_DESCRIPTION, querystring: ListQuery, response: { 200: VpnServiceList, ...ERRORS } } },
    async (req) => {
      const page = await control.gateways.list(actorOf(req), { mode: 'policy', live: true }, ALL, { extras: NEUTRON });
      return listResponse(req, 'vpnservices', page.items.map(vpnServiceView), `${deps.publicUrl}/v2.0/vpn/vpnservices`);
    },
  );
  app.get(
    '/vpnservices/:id',
    { schema: { tags, summary: 'Show a VPN service', params: IdParams, querystring: ShowQuery, response: { 200: VpnServiceShown, ...ERRORS } } },
    async (req) => ({ vpnservice: pick(vpnServiceView(await loadService(control, actorOf(req), req.params.id)), fieldsOf(req)) }),
  );
  app.post(
    '/vpnservices',
    {
      schema: {
        tags,
        summary: 'Create a VPN service (a policy-mode gateway on a router with an external gateway)',
        body: VpnServiceCreate,
        response: { 201: VpnServiceOne, ...ERRORS },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'vpnservice');
      checkKeys(b, CREATE.allowed, 'POST', CREATE.readOnly);
      const name = str(b, 'name');
      const routerId = uuid(b, 'router_id', true)!;
      const subnetId = uuid(b, 'subnet_id') ?? null;
      if (b['flavor_id'] !== undefined && b['flavor_id'] !== null) throw notFound('FlavorsPluginNotLoaded', 'Flavors plugin not found');
      ownerOf(actor, b);
      const x: ServiceExtras = {
        routerId,
        subnetId,
        description: str(b, 'description') ?? '',
        adminStateUp: bool(b, 'admin_state_up') ?? true,
        flavorId: null,
      };
      const v = await control.gateways.createOnRouter(actor, { routerId, subnetId, ...(name ? { name } : {}) }, { extras: serviceExtras(x) });
      return reply.code(201).send({ vpnservice: vpnServiceView(v) });
    },
  );
  app.put(
    '/vpnservices/:id',
    {
      schema: {
        tags,
        summary: 'Update a VPN service: name, description, admin state',
        params: IdParams,
        body: VpnServiceUpdate,
        response: { 200: VpnServiceOne, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'vpnservice');
      checkKeys(b, UPDATE.allowed, 'PUT', UPDATE.readOnly);
      const name = str(b, 'name');
      const description = str(b, 'description');
      const up = bool(b, 'admin_state_up');
      const v = await control.atomically(async (cp) => {
        const cur = await loadService(cp, actor, req.params.id);
        const old = serviceExtrasOf(cur.extras);
        const x: ServiceExtras = { ...old, ...(description !== undefined ? { description } : {}), ...(up !== undefined ? { adminStateUp: up } : {}) };
        return cp.gateways.update(actor, cur.gateway.id, name ? { name } : {}, { extras: serviceExtras(x) });
      });
      return { vpnservice: vpnServiceView(v) };
    },
  );
  app.delete(
    '/vpnservices/:id',
    { schema: { tags, summary: 'Delete a VPN service (refused while it has connections)', params: IdParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      // Neutron refuses to delete a VPN service that still has connections (409); otherwise the gateway goes, even while pending.
      await control.atomically(async (cp) =>
        cp.gateways.remove(actor, (await loadService(cp, actor, req.params.id)).gateway.id, { evenIfPending: true, onlyIfEmpty: true }),
      );
      return reply.code(204).send();
    },
  );
}
