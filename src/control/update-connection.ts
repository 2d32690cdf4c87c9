import { checkConnection, type Connection, type Dpd } from '../domain/connection.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';
import { getGateway } from '../store/gateway-store.js';
import type { Executor } from '../store/schema.js';
import { visible } from './access.js';
import type { ControlDeps } from './control-deps.js';
import { checkConnectionQuotas, checkPolicies, kindFor } from './create-connection.js';
import { liveGateway } from './gateway-commands.js';

/** A domain-level patch: absent = unchanged; `null` policy = back to auto-negotiation. */
export type ConnectionPatch = Partial<Pick<Connection,
  'name' | 'psk' | 'peer' | 'peerIdentity' | 'localIdentities' | 'adminStateUp' | 'establishMode' | 'ikePolicyId' | 'ipsecPolicyId'
  | 'distributeTraffic' | 'tunnels' | 'description' | 'mtu'>> & {
  readonly dpd?: Partial<Dpd>;
  readonly routingProtocol?: 'none' | 'bgp';
};

/** Loads a connection of a gateway the actor can see; `mutable` also refuses one being deleted. */
export async function loadConnection(deps: ControlDeps, ex: Executor, actor: Actor, gatewayId: string, id: string, mutable: boolean): Promise<Connection> {
  const g = await getGateway(ex, gatewayId);
  if (mutable) liveGateway(actor, g, gatewayId);
  else visible(actor, g, 'vpn_gateway_not_found', gatewayId);
  const c = await deps.connections.get(ex, id);
  if (!c || c.gatewayId !== gatewayId) throw new DomainError('vpn_gateway_connection_not_found', `Connection '${id}' was not found on VPN gateway '${gatewayId}'.`);
  if (mutable && c.lifecycleState === 'deleting') throw new DomainError('resource_deleting', `Connection '${id}' is being deleted.`);
  return c;
}

function withoutAsn(p: Connection['peer']): Connection['peer'] {
  const { asn: _asn, ...rest } = p;
  return rest;
}

export function checkIfMatch(c: Connection, ifMatch: number | '*' | undefined): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== c.revision) {
    throw new DomainError('precondition_failed', `If-Match does not match the connection's current ETag.`, { type: 'header', name: 'If-Match' });
  }
}

export async function updateConnection(deps: ControlDeps, actor: Actor, gatewayId: string, id: string, patch: ConnectionPatch, ifMatch?: number | '*'): Promise<Connection> {
  const { conn, changed } = await deps.db.transaction().execute(async (trx) => {
    const cur = await loadConnection(deps, trx, actor, gatewayId, id, true);
    checkIfMatch(cur, ifMatch);
    const gw = (await getGateway(trx, gatewayId))!;
    if (patch.peer && (patch.peer.address !== undefined) !== (cur.peer.address !== undefined)) {
      throw new DomainError('invalid_value', `The peer type cannot change after creation (it is ${cur.peer.address !== undefined ? 'address' : 'fqdn'}); delete and re-create the connection instead.`, { type: 'field', name: 'peer' });
    }
    const kind = kindFor(gw, patch, cur.kind);
    const revived = patch.adminStateUp === true && !cur.adminStateUp;
    const next: Connection = {
      ...cur,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.psk !== undefined ? { psk: patch.psk } : {}),
      ...(patch.peer !== undefined ? { peer: { ...patch.peer, ...(cur.peer.asn !== undefined && patch.peer.asn === undefined && kind === 'route_bgp' ? { asn: cur.peer.asn } : {}) } } : {}),
      ...(patch.peerIdentity !== undefined ? { peerIdentity: patch.peerIdentity } : {}),
      ...(patch.localIdentities !== undefined ? { localIdentities: patch.localIdentities } : {}),
      ...(patch.adminStateUp !== undefined ? { adminStateUp: patch.adminStateUp } : {}),
      ...(patch.establishMode !== undefined ? { establishMode: patch.establishMode } : {}),
      ...(patch.dpd !== undefined ? { dpd: { ...cur.dpd, ...patch.dpd } } : {}),
      ...(patch.ikePolicyId !== undefined ? { ikePolicyId: patch.ikePolicyId } : {}),
      ...(patch.ipsecPolicyId !== undefined ? { ipsecPolicyId: patch.ipsecPolicyId } : {}),
      ...(patch.distributeTraffic !== undefined ? { distributeTraffic: patch.distributeTraffic } : {}),
      ...(patch.tunnels !== undefined ? { tunnels: patch.tunnels } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.mtu !== undefined ? { mtu: patch.mtu } : {}),
      // IBM: switching admin state back on moves an old connection to the current auto-negotiation set.
      ...(revived ? { autoSet: deps.settings.autoSet } : {}),
      kind,
      // Leaving BGP drops what only BGP has.
      ...(kind !== 'route_bgp' && cur.kind === 'route_bgp' ? { tunnels: patch.tunnels ?? [], peer: withoutAsn(patch.peer ?? cur.peer) } : {}),
    };
    const { revision: _r, updatedAt: _u, ...a } = cur;
    const { revision: _r2, updatedAt: _u2, ...b } = next;
    if (JSON.stringify(a) === JSON.stringify(b)) return { conn: cur, changed: false };
    checkConnection(next);
    if (patch.ikePolicyId !== undefined || patch.ipsecPolicyId !== undefined) await checkPolicies(trx, cur.accountId, next.ikePolicyId, next.ipsecPolicyId);
    await checkConnectionQuotas(deps, trx, next, cur);
    const saved: Connection = { ...next, revision: cur.revision + 1, updatedAt: deps.clock.now() };
    await deps.connections.save(trx, saved);
    return { conn: saved, changed: true };
  });
  if (changed) deps.changes.publish({ resource: 'connection', id, action: 'updated', gatewayIds: [gatewayId] });
  return conn;
}
