import type { Connection } from '../domain/connection.js';
import type { DesiredConnection } from '../domain/desired-state.js';
import { desiredConnection } from '../domain/desired-connection.js';
import { connectionWeakAlgorithms } from '../domain/effective-crypto.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { IkePolicy, IpsecPolicy } from '../domain/policy.js';
import { connectionReasons } from '../domain/status-reasons.js';
import type { Reason } from '../domain/tenancy.js';
import type { ConnectionFilter } from '../store/connection-store.js';
import { getGateway, getGateways } from '../store/gateway-store.js';
import type { Page, PageRequest } from '../store/page-query.js';
import { getIkePolicies, getIkePolicy, getIpsecPolicies, getIpsecPolicy } from '../store/policy-store.js';
import { listScope, visibleTo } from './access.js';
import { type ExtrasData, extrasOf, type ReadOptions } from './extras.js';
import type { Tx } from './tx.js';
import { loadConnection } from './update-connection.js';
import { byId, type Ref, refOf } from './view-refs.js';

/** A connection with what every dialect renders beside it. */
export interface ConnectionView {
  readonly connection: Connection;
  readonly gateway: VpnGateway;
  readonly ikePolicy?: Ref;
  readonly ipsecPolicy?: Ref;
  /** What the data plane reported, plus the control plane's own advisories (no data plane, weak algorithms). */
  readonly statusReasons: readonly Reason[];
  /** The asking dialect's extras, when it asked for them. */
  readonly extras?: ExtrasData;
}

/** The view of a connection whose gateway and policies are at hand (no query). */
export function connectionView(
  tx: Tx,
  x: { connection: Connection; gateway: VpnGateway; ike: IkePolicy | undefined; ipsec: IpsecPolicy | undefined },
  extras?: ExtrasData,
): ConnectionView {
  const c = x.connection;
  return {
    connection: c,
    gateway: x.gateway,
    ...(c.ikePolicyId ? { ikePolicy: refOf(x.ike, c.ikePolicyId) } : {}),
    ...(c.ipsecPolicyId ? { ipsecPolicy: refOf(x.ipsec, c.ipsecPolicyId) } : {}),
    statusReasons: connectionReasons(
      c.statusReasons,
      connectionWeakAlgorithms(c, x.ike, x.ipsec),
      tx.settings.dataplane !== 'none',
      c.adminStateUp,
      c.kind === 'route_bgp',
    ),
    ...(extras ? { extras } : {}),
  };
}

/** Views of many connections with a fixed number of queries: policies, gateways and extras in batches. */
export async function connectionViews(tx: Tx, list: readonly Connection[], dialect?: string): Promise<ConnectionView[]> {
  const ike = byId(await getIkePolicies(tx.ex, [...new Set(list.flatMap((c) => (c.ikePolicyId ? [c.ikePolicyId] : [])))]));
  const esp = byId(await getIpsecPolicies(tx.ex, [...new Set(list.flatMap((c) => (c.ipsecPolicyId ? [c.ipsecPolicyId] : [])))]));
  const gws = byId(await getGateways(tx.ex, [...new Set(list.map((c) => c.gatewayId))]));
  const extras = await extrasOf(
    tx,
    dialect,
    'connection',
    list.map((c) => c.id),
  );
  return list.map((connection) =>
    connectionView(
      tx,
      {
        connection,
        gateway: gws.get(connection.gatewayId)!,
        ike: connection.ikePolicyId ? ike.get(connection.ikePolicyId) : undefined,
        ipsec: connection.ipsecPolicyId ? esp.get(connection.ipsecPolicyId) : undefined,
      },
      extras.get(connection.id),
    ),
  );
}

export async function getConnection(tx: Tx, gatewayId: string, id: string, opts: ReadOptions = {}): Promise<ConnectionView> {
  return (await connectionViews(tx, [await loadConnection(tx, gatewayId, id, false)], opts.extras))[0]!;
}

/** A connection by its id alone (dialects whose paths do not name the gateway); being deleted counts as gone when `live`. */
export async function findConnection(tx: Tx, id: string, opts: ReadOptions & { live?: boolean } = {}): Promise<ConnectionView> {
  const c = visibleTo(tx.actor, await tx.deps.connections.get(tx.ex, id), 'connection', id);
  if (opts.live && c.lifecycleState === 'deleting') visibleTo(tx.actor, undefined, 'connection', id);
  return (await connectionViews(tx, [c], opts.extras))[0]!;
}

/**
 * A gateway's connections (the gateway must be visible), or every visible connection when no gateway is
 * named. `accountId` only narrows (an administrator listing one account's); it never widens what the
 * actor may see.
 */
export async function listConnections(tx: Tx, filter: ConnectionFilter, req: PageRequest, opts: ReadOptions = {}): Promise<Page<ConnectionView>> {
  if (filter.gatewayId !== undefined) visibleTo(tx.actor, await getGateway(tx.ex, filter.gatewayId), 'vpn_gateway', filter.gatewayId);
  if (filter.ikePolicyId !== undefined) visibleTo(tx.actor, await getIkePolicy(tx.ex, filter.ikePolicyId), 'ike_policy', filter.ikePolicyId);
  if (filter.ipsecPolicyId !== undefined) visibleTo(tx.actor, await getIpsecPolicy(tx.ex, filter.ipsecPolicyId), 'ipsec_policy', filter.ipsecPolicyId);
  const scope = listScope(tx.actor);
  if (scope !== undefined && filter.accountId !== undefined && filter.accountId !== scope) return { items: [], total: 0 };
  const page = await tx.deps.connections.list(tx.ex, { ...filter, ...(scope !== undefined ? { accountId: scope } : {}) }, req);
  return { ...page, items: await connectionViews(tx, page.items, opts.extras) };
}

/** Everything the data plane (or a peer) needs for one connection: its desired state. Holds the PSK. */
export async function desiredOf(tx: Tx, gatewayId: string, id: string): Promise<DesiredConnection> {
  const c = await loadConnection(tx, gatewayId, id, false);
  const gw = (await getGateway(tx.ex, gatewayId))!;
  const ike = c.ikePolicyId ? await getIkePolicy(tx.ex, c.ikePolicyId) : undefined;
  const ipsec = c.ipsecPolicyId ? await getIpsecPolicy(tx.ex, c.ipsecPolicyId) : undefined;
  return desiredConnection(gw, c, ike, ipsec);
}

/**
 * The actor's own live policy connections named `name` or to `peerAddress` (light rows with their
 * gateway's VPC): a dialect's uniqueness check across gateways (cloud.ca: one VPN per name and per
 * peer gateway in an environment), answered from indexes.
 */
export function connectionsNamedOrTo(tx: Tx, name: string, peerAddress: string) {
  return tx.deps.connections.namedOrTo(tx.ex, tx.actor.accountId, name, peerAddress);
}
