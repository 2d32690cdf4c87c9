import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ConnectionView, ControlPlane, GatewayView } from '../../control/index.js';
import { parseCidr } from '../../domain/cidr.js';
import type { Actor } from '../../domain/tenancy.js';
import { ALL } from './network-routes.js';
import { actorOf, NEUTRON, type NeutronDeps } from './neutron-deps.js';
import { badRequest, echo, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { type Body, ownerOf, pathId, required, unwrap, uuid } from './neutron-request.js';
import {
  checkMtu,
  connectionExtras,
  connectionExtrasOf,
  type ConnectionExtras,
  connectionView,
  dpdOf,
  identityOf,
  NEUTRON_DPD,
  peerCidrsOf,
  peerOf,
  scalarFields,
} from './vpn-connection-mapper.js';
import { loadService, serviceExtrasOf } from './vpn-service-routes.js';
import { ERRORS, IdParams, LIST_DESCRIPTION, ListQuery, NoContent, ShowQuery, VPNAAS_TAGS } from './neutron-common-schema.js';
import { ConnectionCreate, ConnectionList, ConnectionOne, ConnectionShown, ConnectionUpdate } from './vpn-connection-schema.js';

const familyOf = (cidrs: readonly string[]): Set<number> =>
  new Set(
    cidrs.map((c) => {
      const p = parseCidr(c);
      return p.ok ? p.cidr.family : 0;
    }),
  );

/**
 * The CIDRs of a new connection, by Neutron's rules (A8): a VPN service with a subnet takes
 * `peer_cidrs` (its subnet is the local side); one without takes a local endpoint group of type
 * subnet (subnets on the service's router) and a peer group of type cidr, all of one IP version.
 * Runs inside the create's transaction (`cp`).
 */
async function selectorsOf(cp: ControlPlane, actor: Actor, b: Body, service: GatewayView) {
  const svc = serviceExtrasOf(service.extras);
  const peerCidrs = peerCidrsOf(b);
  const localGroupId = uuid(b, 'local_ep_group_id') ?? null;
  const peerGroupId = uuid(b, 'peer_ep_group_id') ?? null;
  if (svc.subnetId !== null) {
    if (localGroupId || peerGroupId)
      throw badRequest(
        `Endpoint group${localGroupId && peerGroupId ? 's' : ''} ${[localGroupId ? 'local' : '', peerGroupId ? 'peer' : ''].filter(Boolean).join(' and ')} cannot be specified, when VPN Service has subnet specified`,
        'InvalidEndpointGroup',
      );
    if (!peerCidrs || peerCidrs.length === 0) throw badRequest('Missing peer CIDRs for IPsec site-to-site connection', 'MissingPeerCidrs');
    const subnet = (await cp.subnets.get(actor, svc.subnetId).catch(() => undefined))?.subnet;
    if (!subnet) throw badRequest(`Subnet ${svc.subnetId} of the VPN service no longer exists`);
    if (familyOf(peerCidrs).size > 1) throw badRequest('Peer CIDRs do not have the same IP version, as required for IPSec', 'MixedIPVersionsForPeerCidrs');
    if (!familyOf(peerCidrs).has(subnet.ipVersion))
      throw badRequest('IP versions are not compatible between peer and local endpoints', 'MixedIPVersionsForIPSecConnection');
    return { localCidrs: [subnet.cidr], peerCidrs, localGroupId: null, peerGroupId: null };
  }
  if (peerCidrs && peerCidrs.length > 0) throw badRequest('Peer CIDRs cannot be specified, when using endpoint groups', 'PeerCidrsInvalid');
  if (!localGroupId || !peerGroupId) {
    const missing = [!localGroupId ? 'local' : '', !peerGroupId ? 'peer' : ''].filter(Boolean).join(' and ');
    throw badRequest(
      `Missing endpoint group${!localGroupId && !peerGroupId ? 's' : ''} ${missing} for IPSec site-to-site connection`,
      'MissingRequiredEndpointGroup',
    );
  }
  const local = await cp.endpointGroups.get(actor, localGroupId);
  const peer = await cp.endpointGroups.get(actor, peerGroupId);
  if (local.type !== 'subnet') throw badRequest(`Endpoint group local type is '${local.type}' and should be 'subnet'`, 'WrongEndpointGroupType');
  if (peer.type !== 'cidr') throw badRequest(`Endpoint group peer type is '${peer.type}' and should be 'cidr'`, 'WrongEndpointGroupType');
  const routerSubnets = svc.routerId ? (await cp.routers.get(actor, svc.routerId)).subnetIds : undefined;
  for (const s of local.endpoints) {
    if (routerSubnets && !routerSubnets.includes(s)) throw badRequest(`Subnet ${s} is not connected to Router ${svc.routerId}`, 'SubnetIsNotConnectedToRouter');
  }
  const localCidrs = await cp.endpointGroups.cidrs(actor, local.id);
  const peerList = await cp.endpointGroups.cidrs(actor, peer.id);
  if (familyOf(localCidrs).size > 1 || familyOf(peerList).size > 1)
    throw badRequest('Endpoints in group do not have the same IP version, as required for IPSec', 'MixedIPVersionsForIPSecEndpoints');
  if ([...familyOf(localCidrs)][0] !== [...familyOf(peerList)][0])
    throw badRequest('IP versions are not compatible between peer and local endpoints', 'MixedIPVersionsForIPSecConnection');
  return { localCidrs, peerCidrs: peerList, localGroupId, peerGroupId };
}

/** A policy-mode connection the caller may see, not being deleted (Neutron's deletes look synchronous). */
async function loadConnection(cp: ControlPlane, actor: Actor, raw: string): Promise<ConnectionView> {
  const id = pathId(raw);
  const missing = notFound('IPsecSiteConnectionNotFound', `ipsec_site_connection ${echo(raw)} not found`);
  if (!id) throw missing;
  const v = await cp.connections.find(actor, id, { extras: NEUTRON, live: true });
  if (v.connection.kind !== 'policy') throw missing;
  return v;
}

/** ipsec-site-connections (A8): connections on the vpnservice's gateway; deletes are immediate for Neutron (the data plane finishes them). */
export async function connectionRoutes(fastify: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = VPNAAS_TAGS;

  app.get(
    '/ipsec-site-connections',
    {
      schema: {
        tags,
        summary: 'List IPsec site connections',
        description: LIST_DESCRIPTION,
        querystring: ListQuery,
        response: { 200: ConnectionList, ...ERRORS },
      },
    },
    async (req) => {
      const page = await control.connections.list(actorOf(req), { kind: 'policy', live: true }, ALL, { extras: NEUTRON });
      return listResponse(req, 'ipsec_site_connections', page.items.map(connectionView), `${deps.publicUrl}/v2.0/vpn/ipsec-site-connections`);
    },
  );
  app.get(
    '/ipsec-site-connections/:id',
    { schema: { tags, summary: 'Show an IPsec site connection', params: IdParams, querystring: ShowQuery, response: { 200: ConnectionShown, ...ERRORS } } },
    async (req) => ({
      ipsec_site_connection: pick(connectionView(await loadConnection(control, actorOf(req), req.params.id)), fieldsOf(req)),
    }),
  );

  app.post(
    '/ipsec-site-connections',
    {
      schema: {
        tags,
        summary: 'Create an IPsec site connection (legacy peer_cidrs, or endpoint groups)',
        body: ConnectionCreate,
        response: { 201: ConnectionOne, ...ERRORS },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'ipsec_site_connection');
      const f = scalarFields(b, 'POST');
      const dpd = dpdOf(b, NEUTRON_DPD) ?? NEUTRON_DPD;
      const peerAddress = required(f.peerAddress, 'peer_address');
      const peerId = required(f.peerId, 'peer_id');
      const psk = required(f.psk, 'psk');
      const serviceId = uuid(b, 'vpnservice_id', true)!;
      const ikeId = uuid(b, 'ikepolicy_id', true)!;
      const ipsecId = uuid(b, 'ipsecpolicy_id', true)!;
      peerCidrsOf(b);
      const owner = ownerOf(actor, b);
      const created = await control.atomically(async (cp) => {
        const service = await loadService(cp, actor, serviceId);
        const ike = (await cp.ikePolicies.get(actor, ikeId)).policy;
        const ipsec = (await cp.ipsecPolicies.get(actor, ipsecId)).policy;
        if (owner !== service.gateway.accountId) throw badRequest('The VPN service belongs to another project');
        const sel = await selectorsOf(cp, actor, b, service);
        const mtu = f.mtu ?? 1500;
        checkMtu(mtu, [...familyOf(sel.localCidrs)][0] === 6 ? 6 : 4);
        const x: ConnectionExtras = { description: f.description ?? '', mtu, localGroupId: sel.localGroupId, peerGroupId: sel.peerGroupId };
        return cp.connections.create(
          actor,
          service.gateway.id,
          {
            ...(f.name ? { name: f.name } : {}),
            psk,
            peer: peerOf(peerAddress),
            peerIdentity: identityOf('peer_id', peerId),
            localIdentities: f.localId ? [identityOf('local_id', f.localId)] : [],
            localCidrs: sel.localCidrs,
            peerCidrs: sel.peerCidrs,
            ikePolicyId: ike.id,
            ipsecPolicyId: ipsec.id,
            dpd,
            establishMode: f.initiator ?? 'bidirectional',
            adminStateUp: f.adminStateUp ?? true,
          },
          { extras: connectionExtras(x) },
        );
      });
      return reply.code(201).send({ ipsec_site_connection: connectionView(created) });
    },
  );

  app.put(
    '/ipsec-site-connections/:id',
    {
      schema: { tags, summary: 'Update an IPsec site connection', params: IdParams, body: ConnectionUpdate, response: { 200: ConnectionOne, ...ERRORS } },
    },
    async (req) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'ipsec_site_connection');
      const f = scalarFields(b, 'PUT');
      const next = await control.atomically(async (cp) => {
        const cur = await loadConnection(cp, actor, req.params.id);
        const c = cur.connection;
        const dpd = dpdOf(b, c.dpd);
        if (f.mtu !== undefined) checkMtu(f.mtu, [...familyOf(c.localCidrs)][0] === 6 ? 6 : 4);
        const old = connectionExtrasOf(cur.extras);
        const x: ConnectionExtras = {
          ...old,
          ...(f.description !== undefined ? { description: f.description } : {}),
          ...(f.mtu !== undefined ? { mtu: f.mtu } : {}),
        };
        return cp.connections.update(
          actor,
          c.gatewayId,
          c.id,
          {
            ...(f.name ? { name: f.name } : {}),
            ...(f.psk !== undefined ? { psk: f.psk } : {}),
            ...(f.peerAddress !== undefined ? { peer: peerOf(f.peerAddress) } : {}),
            ...(f.peerId !== undefined ? { peerIdentity: identityOf('peer_id', f.peerId) } : {}),
            ...(f.localId !== undefined ? { localIdentities: f.localId ? [identityOf('local_id', f.localId)] : [] } : {}),
            ...(f.initiator !== undefined ? { establishMode: f.initiator } : {}),
            ...(f.adminStateUp !== undefined ? { adminStateUp: f.adminStateUp } : {}),
            ...(dpd ? { dpd } : {}),
          },
          { extras: connectionExtras(x) },
        );
      });
      return { ipsec_site_connection: connectionView(next) };
    },
  );

  app.delete(
    '/ipsec-site-connections/:id',
    { schema: { tags, summary: 'Delete an IPsec site connection', params: IdParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      await control.atomically(async (cp) => {
        const c = (await loadConnection(cp, actor, req.params.id)).connection;
        await cp.connections.remove(actor, c.gatewayId, c.id);
      });
      return reply.code(204).send();
    },
  );
}
