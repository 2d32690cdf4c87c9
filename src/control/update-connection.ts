import { checkConnection, type Connection, type Dpd } from '../domain/connection.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { LifecycleState } from '../domain/tenancy.js';
import { getGateway } from '../store/gateway-store.js';
import { getIkePolicy, getIpsecPolicy } from '../store/policy-store.js';
import { visibleTo } from './access.js';
import { connectionView, type ConnectionView } from './connection-queries.js';
import { checkConnectionQuotas, checkPolicies, kindFor } from './create-connection.js';
import { recordEvents } from './connection-events.js';
import { type WriteOptions, writeExtras } from './extras.js';
import { liveGateway } from './gateway-commands.js';
import type { Tx } from './tx.js';

/** A domain-level patch: absent = unchanged; `null` policy = back to auto-negotiation. */
export type ConnectionPatch = Partial<
  Pick<
    Connection,
    | 'name'
    | 'psk'
    | 'peer'
    | 'peerIdentity'
    | 'localIdentities'
    | 'adminStateUp'
    | 'establishMode'
    | 'ikePolicyId'
    | 'ipsecPolicyId'
    | 'distributeTraffic'
    | 'tunnels'
  >
> & {
  readonly dpd?: Partial<Dpd>;
  readonly routingProtocol?: 'none' | 'bgp';
};

/** Loads a connection of a gateway the actor can see; `mutable` also refuses one being deleted. */
export async function loadConnection(tx: Tx, gatewayId: string, id: string, mutable: boolean): Promise<Connection> {
  const g = await getGateway(tx.ex, gatewayId);
  if (mutable) liveGateway(tx, g, gatewayId);
  else visibleTo(tx.actor, g, 'vpn_gateway', gatewayId);
  const c = await tx.deps.connections.get(tx.ex, id);
  if (!c || c.gatewayId !== gatewayId) throw notFound('connection', id, `Connection '${id}' was not found on VPN gateway '${gatewayId}'.`);
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

/**
 * The lifecycle after a configuration write: with a data plane attached, a change to anything but
 * the name is `updating` until an agent reports having applied this generation.
 */
export function lifecycleAfterWrite(tx: Tx, cur: Connection, next: Connection): LifecycleState {
  if (tx.settings.dataplane === 'none' || cur.lifecycleState === 'pending') return cur.lifecycleState;
  const { name: _n, revision: _r, updatedAt: _u, ...a } = cur;
  const { name: _n2, revision: _r2, updatedAt: _u2, ...b } = next;
  return JSON.stringify(a) === JSON.stringify(b) ? cur.lifecycleState : 'updating';
}

/** What a configuration write does not count as a changed field: bookkeeping and observed state. */
const NOT_CONFIGURATION = new Set<string>([
  'revision',
  'updatedAt',
  'lifecycleState',
  'status',
  'statusReasons',
  'tunnelsUp',
  'firstUpAt',
  'resets',
  'createdAt',
]);

/** The configuration fields (domain names) that differ between two versions of a connection. */
export function changedFields(cur: Connection, next: Connection): string[] {
  const a = cur as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  // Both versions' keys: an optional field the update removed (a policy reset to auto-negotiation) changed too.
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => !NOT_CONFIGURATION.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** Writes a changed connection at the next revision, with its lifecycle, and records the change (and a configuration_changed event). */
export async function saveConnection(tx: Tx, cur: Connection, next: Connection): Promise<Connection> {
  const saved: Connection = { ...next, lifecycleState: lifecycleAfterWrite(tx, cur, next), revision: cur.revision + 1, updatedAt: tx.now() };
  await tx.deps.connections.save(tx.ex, saved, cur.revision);
  tx.record({ resource: 'connection', id: saved.id, action: 'updated', gatewayIds: [saved.gatewayId] });
  const fields = changedFields(cur, next);
  if (fields.length > 0) await recordEvents(tx, [{ connection: saved, type: 'configuration_changed', details: { fields } }]);
  return saved;
}

export interface UpdateOptions extends WriteOptions {
  /** The revision the client last read (IBM's If-Match); '*' or absent: any. */
  readonly ifMatch?: number | '*';
}

export async function updateConnection(tx: Tx, gatewayId: string, id: string, patch: ConnectionPatch, opts: UpdateOptions = {}): Promise<ConnectionView> {
  const cur = await loadConnection(tx, gatewayId, id, true);
  checkIfMatch(cur, opts.ifMatch);
  const gw = (await getGateway(tx.ex, gatewayId))!;
  if (patch.peer && (patch.peer.address !== undefined) !== (cur.peer.address !== undefined)) {
    throw new DomainError(
      'invalid_value',
      `The peer type cannot change after creation (it is ${cur.peer.address !== undefined ? 'address' : 'fqdn'}); delete and re-create the connection instead.`,
      { type: 'field', name: 'peer' },
    );
  }
  const kind = kindFor(gw, patch, cur.kind);
  const revived = patch.adminStateUp === true && !cur.adminStateUp;
  const next: Connection = {
    ...cur,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.psk !== undefined ? { psk: patch.psk } : {}),
    ...(patch.peer !== undefined
      ? { peer: { ...patch.peer, ...(cur.peer.asn !== undefined && patch.peer.asn === undefined && kind === 'route_bgp' ? { asn: cur.peer.asn } : {}) } }
      : {}),
    ...(patch.peerIdentity !== undefined ? { peerIdentity: patch.peerIdentity } : {}),
    ...(patch.localIdentities !== undefined ? { localIdentities: patch.localIdentities } : {}),
    ...(patch.adminStateUp !== undefined ? { adminStateUp: patch.adminStateUp } : {}),
    ...(patch.establishMode !== undefined ? { establishMode: patch.establishMode } : {}),
    ...(patch.dpd !== undefined ? { dpd: { ...cur.dpd, ...patch.dpd } } : {}),
    ...(patch.ikePolicyId !== undefined ? { ikePolicyId: patch.ikePolicyId } : {}),
    ...(patch.ipsecPolicyId !== undefined ? { ipsecPolicyId: patch.ipsecPolicyId } : {}),
    ...(patch.distributeTraffic !== undefined ? { distributeTraffic: patch.distributeTraffic } : {}),
    ...(patch.tunnels !== undefined ? { tunnels: patch.tunnels } : {}),
    // IBM: switching admin state back on moves an old connection to the current auto-negotiation set.
    ...(revived ? { autoSet: tx.settings.autoSet } : {}),
    kind,
    // Leaving BGP drops what only BGP has.
    ...(kind !== 'route_bgp' && cur.kind === 'route_bgp' ? { tunnels: patch.tunnels ?? [], peer: withoutAsn(patch.peer ?? cur.peer) } : {}),
  };
  let conn = cur;
  if (JSON.stringify(cur) !== JSON.stringify(next)) {
    checkConnection(next);
    if (patch.ikePolicyId !== undefined || patch.ipsecPolicyId !== undefined) await checkPolicies(tx, cur.accountId, next.ikePolicyId, next.ipsecPolicyId);
    await checkConnectionQuotas(tx, next, cur);
    conn = await saveConnection(tx, cur, next);
  }
  await writeExtras(tx, 'connection', id, opts.extras);
  const ike = conn.ikePolicyId ? await getIkePolicy(tx.ex, conn.ikePolicyId) : undefined;
  const ipsec = conn.ipsecPolicyId ? await getIpsecPolicy(tx.ex, conn.ipsecPolicyId) : undefined;
  return connectionView(tx, { connection: conn, gateway: gw, ike, ipsec }, opts.extras?.data);
}
