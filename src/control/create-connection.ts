import { checkConnection, type Connection, type ConnectionKind } from '../domain/connection.js';
import { DomainError, invalidField, notFound } from '../domain/errors.js';
import type { VpnGateway } from '../domain/gateway.js';
import { newId } from '../domain/ids.js';
import { checkIkeV1Pairing, type IkePolicy, type IpsecPolicy } from '../domain/policy.js';
import { getGateway } from '../store/gateway-store.js';
import { getIkePolicy, getIpsecPolicy } from '../store/policy-store.js';
import { connectionView, type ConnectionView } from './connection-queries.js';
import { recordEvents } from './connection-events.js';
import { type WriteOptions, writeExtras } from './extras.js';
import { freeName } from './free-name.js';
import { liveGateway } from './gateway-commands.js';
import type { Tx } from './tx.js';

/** What a dialect supplies to create a connection: the configurable fields, plus how it routes. */
export type ConnectionInput = Pick<
  Connection,
  'psk' | 'peer' | 'peerIdentity' | 'localIdentities' | 'localCidrs' | 'peerCidrs' | 'ikePolicyId' | 'ipsecPolicyId' | 'dpd' | 'establishMode' | 'adminStateUp'
> & {
  readonly name?: string;
  /** Route-mode fields: undefined when the request did not send them (sending them to a policy gateway is an error). */
  readonly routingProtocol?: 'none' | 'bgp';
  readonly distributeTraffic?: boolean;
  readonly tunnels?: Connection['tunnels'];
  /** The kind asked for outright (Huawei's style): any on a route-mode gateway, only `policy` on a policy-mode one. */
  readonly kind?: ConnectionKind;
  /** Run on this gateway member only (Huawei's vgw_ip); it must hold a public IP. */
  readonly pinnedMember?: 1 | 2;
};

/** The connection kind a gateway's mode and the request's routing fields give; route-only fields on a policy gateway are refused. */
export function kindFor(
  gw: VpnGateway,
  route: { routingProtocol?: 'none' | 'bgp'; distributeTraffic?: boolean; tunnels?: unknown; kind?: ConnectionKind },
  current?: ConnectionKind,
): ConnectionKind {
  if (route.kind !== undefined && route.kind !== 'policy' && gw.mode === 'policy')
    throw new DomainError('mode_mismatch', `A ${route.kind} connection needs a route-mode gateway.`, { type: 'field', name: 'kind' });
  if (gw.mode === 'policy') {
    const sent = (['routingProtocol', 'distributeTraffic', 'tunnels'] as const).find((k) => route[k] !== undefined);
    if (sent)
      throw new DomainError(
        'mode_mismatch',
        `${sent === 'routingProtocol' ? 'routing_protocol' : sent === 'distributeTraffic' ? 'distribute_traffic' : 'tunnels'} applies to route-mode gateways only.`,
        { type: 'field', name: sent },
      );
    return 'policy';
  }
  if (route.kind !== undefined) return route.kind;
  if (route.routingProtocol === undefined) return current ?? 'route_static';
  return route.routingProtocol === 'bgp' ? 'route_bgp' : 'route_static';
}

/** Both referenced policies must exist in the connection's own account; an IKEv1 policy pairs only with single-valued IPsec. */
export async function checkPolicies(
  tx: Tx,
  accountId: string,
  ikeId: string | null,
  ipsecId: string | null,
): Promise<{ ike: IkePolicy | undefined; ipsec: IpsecPolicy | undefined }> {
  const ike = ikeId ? await getIkePolicy(tx.ex, ikeId) : undefined;
  if (ikeId && (!ike || ike.accountId !== accountId)) throw notFound('ike_policy', ikeId, undefined, { type: 'field', name: 'ikePolicy', value: ikeId });
  const ipsec = ipsecId ? await getIpsecPolicy(tx.ex, ipsecId) : undefined;
  if (ipsecId && (!ipsec || ipsec.accountId !== accountId))
    throw notFound('ipsec_policy', ipsecId, undefined, { type: 'field', name: 'ipsecPolicy', value: ipsecId });
  checkIkeV1Pairing(ike, ipsec);
  return { ike, ipsec };
}

/** Per-gateway limits: connection count and CIDRs (per side and across the gateway). Names are unique per gateway (an index). */
export async function checkConnectionQuotas(tx: Tx, c: Connection, stored: Connection | undefined): Promise<void> {
  const q = tx.settings.quotas;
  const all = await tx.deps.connections.gatewayStats(tx.ex, c.gatewayId);
  // The stored version of `c` (on update) is not one of the "others".
  const others = { count: all.count - (stored ? 1 : 0), cidrs: all.cidrs - (stored ? stored.localCidrs.length + stored.peerCidrs.length : 0) };
  if (!stored && others.count >= q.connectionsPerGateway) {
    throw new DomainError('over_quota', `The VPN gateway already has ${q.connectionsPerGateway} connections, the quota.`);
  }
  for (const [side, list] of [
    ['local', c.localCidrs],
    ['peer', c.peerCidrs],
  ] as const) {
    if (list.length > q.cidrsPerConnectionSide) {
      throw new DomainError('over_quota', `A connection takes at most ${q.cidrsPerConnectionSide} ${side} CIDRs.`, { type: 'field', name: `${side}Cidrs` });
    }
  }
  if (others.cidrs + c.localCidrs.length + c.peerCidrs.length > q.cidrsPerGateway) {
    throw new DomainError('over_quota', `The connections of one VPN gateway take at most ${q.cidrsPerGateway} CIDRs in all.`);
  }
}

/** A member to pin to must exist and hold a public IP. */
function pinnedOf(gw: VpnGateway, member: 1 | 2 | undefined): 1 | 2 | null {
  if (member === undefined) return null;
  if (!gw.members.some((m) => m.index === member && m.publicIp !== null))
    throw invalidField('pinnedMember', `VPN gateway '${gw.id}' has no member ${member} with a public IP.`, member);
  return member;
}

export async function createConnection(tx: Tx, gatewayId: string, input: ConnectionInput, opts: WriteOptions = {}): Promise<ConnectionView> {
  const gw = liveGateway(tx, await getGateway(tx.ex, gatewayId), gatewayId);
  const now = tx.now();
  const name = input.name ?? (await freeName(async (n) => (await tx.deps.connections.nameHolder(tx.ex, gw.id, n)) !== undefined));
  const c: Connection = {
    id: newId(),
    accountId: gw.accountId,
    gatewayId: gw.id,
    name,
    kind: kindFor(gw, input),
    adminStateUp: input.adminStateUp,
    establishMode: input.establishMode,
    psk: input.psk,
    peer: input.peer,
    peerIdentity: input.peerIdentity,
    localIdentities: input.localIdentities,
    localCidrs: input.localCidrs,
    peerCidrs: input.peerCidrs,
    ikePolicyId: input.ikePolicyId,
    ipsecPolicyId: input.ipsecPolicyId,
    autoSet: tx.settings.autoSet,
    dpd: input.dpd,
    distributeTraffic: input.distributeTraffic ?? false,
    tunnels: input.tunnels ?? [],
    pinnedMember: pinnedOf(gw, input.pinnedMember),
    status: 'down',
    statusReasons: [],
    tunnelsUp: null,
    firstUpAt: null,
    resets: 0,
    lifecycleState: tx.settings.dataplane === 'none' ? 'stable' : 'pending',
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  checkConnection(c);
  const { ike, ipsec } = await checkPolicies(tx, gw.accountId, c.ikePolicyId, c.ipsecPolicyId);
  await checkConnectionQuotas(tx, c, undefined);
  await tx.deps.connections.insert(tx.ex, c);
  await writeExtras(tx, 'connection', c.id, opts.extras, true);
  tx.record({ resource: 'connection', id: c.id, action: 'created', gatewayIds: [gw.id] });
  await recordEvents(tx, [{ connection: c, type: 'created', details: { name: c.name } }]);
  return connectionView(tx, { connection: c, gateway: gw, ike, ipsec }, opts.extras?.data);
}
