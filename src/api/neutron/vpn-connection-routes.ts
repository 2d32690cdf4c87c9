import type { FastifyInstance } from 'fastify';
import { createConnection } from '../../control/create-connection.js';
import { deleteConnection } from '../../control/delete-connection.js';
import { groupCidrs } from '../../control/endpoint-group-commands.js';
import { updateConnection } from '../../control/update-connection.js';
import { parseCidr } from '../../domain/cidr.js';
import type { Connection } from '../../domain/connection.js';
import { getEndpointGroup } from '../../store/endpoint-group-store.js';
import { getSubnet } from '../../store/network-store.js';
import { getIkePolicy, getIpsecPolicy } from '../../store/policy-store.js';
import { routerForVpn } from '../../store/vpnservice-store.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { type Body, ownerOf, pathId, required, unwrap, uuid } from './neutron-request.js';
import {
  checkMtu, connectionView, dpdOf, identityOf, NEUTRON_DPD, peerCidrsOf, peerOf, scalarFields,
} from './vpn-connection-mapper.js';
import { loadService } from './vpn-service-routes.js';

type Actor = ReturnType<typeof actorOf>;

const familyOf = (cidrs: readonly string[]): Set<number> => new Set(cidrs.map((c) => { const p = parseCidr(c); return p.ok ? p.cidr.family : 0; }));

/**
 * The CIDRs of a new connection, by Neutron's rules (A8): a VPN service with a subnet takes
 * `peer_cidrs` (its subnet is the local side); one without takes a local endpoint group of type
 * subnet (subnets on the service's router) and a peer group of type cidr, all of one IP version.
 */
async function selectorsOf(deps: NeutronDeps, actor: Actor, b: Body, service: Awaited<ReturnType<typeof loadService>>) {
  const db = deps.control.db;
  const peerCidrs = peerCidrsOf(b);
  const localGroupId = uuid(b, 'local_ep_group_id') ?? null;
  const peerGroupId = uuid(b, 'peer_ep_group_id') ?? null;
  if (service.extras.subnetId !== null) {
    if (localGroupId || peerGroupId) throw badRequest(`Endpoint group${localGroupId && peerGroupId ? 's' : ''} ${[localGroupId ? 'local' : '', peerGroupId ? 'peer' : ''].filter(Boolean).join(' and ')} cannot be specified, when VPN Service has subnet specified`, 'InvalidEndpointGroup');
    if (!peerCidrs || peerCidrs.length === 0) throw badRequest('Missing peer CIDRs for IPsec site-to-site connection', 'MissingPeerCidrs');
    const subnet = await getSubnet(db, service.extras.subnetId);
    if (!subnet) throw badRequest(`Subnet ${service.extras.subnetId} of the VPN service no longer exists`);
    if (familyOf(peerCidrs).size > 1) throw badRequest('Peer CIDRs do not have the same IP version, as required for IPSec', 'MixedIPVersionsForPeerCidrs');
    if (!familyOf(peerCidrs).has(subnet.ipVersion)) throw badRequest('IP versions are not compatible between peer and local endpoints', 'MixedIPVersionsForIPSecConnection');
    return { localCidrs: [subnet.cidr], peerCidrs, localGroupId: null, peerGroupId: null };
  }
  if (peerCidrs && peerCidrs.length > 0) throw badRequest('Peer CIDRs cannot be specified, when using endpoint groups', 'PeerCidrsInvalid');
  if (!localGroupId || !peerGroupId) {
    const missing = [!localGroupId ? 'local' : '', !peerGroupId ? 'peer' : ''].filter(Boolean).join(' and ');
    throw badRequest(`Missing endpoint group${!localGroupId && !peerGroupId ? 's' : ''} ${missing} for IPSec site-to-site connection`, 'MissingRequiredEndpointGroup');
  }
  const group = async (id: string) => {
    const g = await getEndpointGroup(db, id);
    if (!g || (!actor.isAdmin && g.accountId !== actor.accountId)) throw notFound('VPNEndpointGroupNotFound', `Endpoint group ${id} could not be found`);
    return g;
  };
  const local = await group(localGroupId);
  const peer = await group(peerGroupId);
  if (local.type !== 'subnet') throw badRequest(`Endpoint group local type is '${local.type}' and should be 'subnet'`, 'WrongEndpointGroupType');
  if (peer.type !== 'cidr') throw badRequest(`Endpoint group peer type is '${peer.type}' and should be 'cidr'`, 'WrongEndpointGroupType');
  const router = service.extras.routerId ? await routerForVpn(db, service.extras.routerId) : undefined;
  for (const s of local.endpoints) {
    if (router && !router.subnetIds.includes(s)) throw badRequest(`Subnet ${s} is not connected to Router ${service.extras.routerId}`, 'SubnetIsNotConnectedToRouter');
  }
  const localCidrs = await groupCidrs(db, local);
  const peerList = await groupCidrs(db, peer);
  if (familyOf(localCidrs).size > 1 || familyOf(peerList).size > 1) throw badRequest('Endpoints in group do not have the same IP version, as required for IPSec', 'MixedIPVersionsForIPSecEndpoints');
  if ([...familyOf(localCidrs)][0] !== [...familyOf(peerList)][0]) throw badRequest('IP versions are not compatible between peer and local endpoints', 'MixedIPVersionsForIPSecConnection');
  return { localCidrs, peerCidrs: peerList, localGroupId, peerGroupId };
}

/** ipsec-site-connections (A8): connections on the vpnservice's gateway; deletes are immediate for Neutron (the data plane finishes them). */
export async function connectionRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const { control } = deps;
  const load = async (actor: Actor, raw: string): Promise<Connection> => {
    const id = pathId(raw);
    const c = id ? await control.connections.get(control.db, id) : undefined;
    if (!c || c.kind !== 'policy' || c.lifecycleState === 'deleting' || (!actor.isAdmin && c.accountId !== actor.accountId)) {
      throw notFound('IPsecSiteConnectionNotFound', `ipsec_site_connection ${raw} not found`);
    }
    return c;
  };

  app.get('/ipsec-site-connections', async (req) => {
    const actor = actorOf(req);
    let q = control.db.selectFrom('connections').select('id').where('kind', '=', 'policy').where('lifecycle_state', '!=', 'deleting').orderBy('created_at');
    if (!actor.isAdmin) q = q.where('account_id', '=', actor.accountId);
    const items: Record<string, unknown>[] = [];
    for (const { id } of await q.execute()) {
      const c = await control.connections.get(control.db, id);
      if (c) items.push(connectionView(c));
    }
    return listResponse(req, 'ipsec_site_connections', items, `${deps.publicUrl}/v2.0/vpn/ipsec-site-connections`);
  });
  app.get<{ Params: { id: string } }>('/ipsec-site-connections/:id', async (req) => ({
    ipsec_site_connection: pick(connectionView(await load(actorOf(req), req.params.id)), fieldsOf(req)),
  }));

  app.post('/ipsec-site-connections', async (req, reply) => {
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
    const service = await loadService(deps, actor, serviceId);
    const ike = await getIkePolicy(control.db, ikeId);
    if (!ike || (!actor.isAdmin && ike.accountId !== actor.accountId)) throw notFound('IKEPolicyNotFound', `IKEPolicy ${ikeId} could not be found`);
    const ipsec = await getIpsecPolicy(control.db, ipsecId);
    if (!ipsec || (!actor.isAdmin && ipsec.accountId !== actor.accountId)) throw notFound('IPsecPolicyNotFound', `IPsecPolicy ${ipsecId} could not be found`);
    if (owner !== service.gateway.accountId) throw badRequest('The VPN service belongs to another project');
    const sel = await selectorsOf(deps, actor, b, service);
    const mtu = f.mtu ?? 1500;
    checkMtu(mtu, [...familyOf(sel.localCidrs)][0] === 6 ? 6 : 4);
    const created = await createConnection(control, actor, service.gateway.id, {
      ...(f.name ? { name: f.name } : {}), description: f.description ?? '', mtu,
      psk, peer: peerOf(peerAddress), peerIdentity: identityOf('peer_id', peerId),
      localIdentities: f.localId ? [identityOf('local_id', f.localId)] : [],
      localCidrs: sel.localCidrs, peerCidrs: sel.peerCidrs, localGroupId: sel.localGroupId, peerGroupId: sel.peerGroupId,
      ikePolicyId: ike.id, ipsecPolicyId: ipsec.id, dpd, establishMode: f.initiator ?? 'bidirectional', adminStateUp: f.adminStateUp ?? true,
    });
    return reply.code(201).send({ ipsec_site_connection: connectionView(created.connection) });
  });

  app.put<{ Params: { id: string } }>('/ipsec-site-connections/:id', async (req) => {
    const actor = actorOf(req);
    const cur = await load(actor, req.params.id);
    const b = unwrap(req, 'ipsec_site_connection');
    const f = scalarFields(b, 'PUT');
    const dpd = dpdOf(b, cur.dpd);
    if (f.mtu !== undefined) checkMtu(f.mtu, [...familyOf(cur.localCidrs)][0] === 6 ? 6 : 4);
    const next = await updateConnection(control, actor, cur.gatewayId, cur.id, {
      ...(f.name ? { name: f.name } : {}), ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.mtu !== undefined ? { mtu: f.mtu } : {}), ...(f.psk !== undefined ? { psk: f.psk } : {}),
      ...(f.peerAddress !== undefined ? { peer: peerOf(f.peerAddress) } : {}),
      ...(f.peerId !== undefined ? { peerIdentity: identityOf('peer_id', f.peerId) } : {}),
      ...(f.localId !== undefined ? { localIdentities: f.localId ? [identityOf('local_id', f.localId)] : [] } : {}),
      ...(f.initiator !== undefined ? { establishMode: f.initiator } : {}), ...(f.adminStateUp !== undefined ? { adminStateUp: f.adminStateUp } : {}),
      ...(dpd ? { dpd } : {}),
    });
    return { ipsec_site_connection: connectionView(next) };
  });

  app.delete<{ Params: { id: string } }>('/ipsec-site-connections/:id', async (req, reply) => {
    const actor = actorOf(req);
    const c = await load(actor, req.params.id);
    await deleteConnection(control, actor, c.gatewayId, c.id);
    return reply.code(204).send();
  });
}
