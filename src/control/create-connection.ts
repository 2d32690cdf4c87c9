import { checkConnection, type Connection, type ConnectionKind } from '../domain/connection.js';
import { DomainError } from '../domain/errors.js';
import type { VpnGateway } from '../domain/gateway.js';
import { newId } from '../domain/ids.js';
import { checkIkeV1Pairing, type IkePolicy, type IpsecPolicy } from '../domain/policy.js';
import type { Actor } from '../domain/tenancy.js';
import { getGateway } from '../store/gateway-store.js';
import { getIkePolicy, getIpsecPolicy } from '../store/policy-store.js';
import type { Executor } from '../store/schema.js';
import type { ControlDeps } from './control-deps.js';
import { freeName } from './free-name.js';
import { liveGateway } from './gateway-commands.js';

/** What a dialect supplies to create a connection: the configurable fields, plus how it routes. */
export type ConnectionInput = Pick<Connection,
  | 'psk' | 'peer' | 'peerIdentity' | 'localIdentities' | 'localCidrs' | 'peerCidrs' | 'ikePolicyId' | 'ipsecPolicyId'
  | 'dpd' | 'establishMode' | 'adminStateUp'> & {
  readonly name?: string;
  /** Route-mode fields: undefined when the request did not send them (sending them to a policy gateway is an error). */
  readonly routingProtocol?: 'none' | 'bgp';
  readonly distributeTraffic?: boolean;
  readonly tunnels?: Connection['tunnels'];
  /** Neutron's extras (defaults: '', 1500, inline CIDRs). */
  readonly description?: string;
  readonly mtu?: number;
  readonly localGroupId?: string | null;
  readonly peerGroupId?: string | null;
};

/** The connection kind a gateway's mode and the request's routing fields give; route-only fields on a policy gateway are refused. */
export function kindFor(gw: VpnGateway, route: { routingProtocol?: 'none' | 'bgp'; distributeTraffic?: boolean; tunnels?: unknown }, current?: ConnectionKind): ConnectionKind {
  if (gw.mode === 'policy') {
    const sent = (['routingProtocol', 'distributeTraffic', 'tunnels'] as const).find((k) => route[k] !== undefined);
    if (sent) throw new DomainError('mode_mismatch', `${sent === 'routingProtocol' ? 'routing_protocol' : sent === 'distributeTraffic' ? 'distribute_traffic' : 'tunnels'} applies to route-mode gateways only.`, { type: 'field', name: sent });
    return 'policy';
  }
  if (route.routingProtocol === undefined) return current ?? 'route_static';
  return route.routingProtocol === 'bgp' ? 'route_bgp' : 'route_static';
}

/** Both referenced policies must exist in the connection's own account; an IKEv1 policy pairs only with single-valued IPsec. */
export async function checkPolicies(ex: Executor, accountId: string, ikeId: string | null, ipsecId: string | null): Promise<{ ike: IkePolicy | undefined; ipsec: IpsecPolicy | undefined }> {
  const ike = ikeId ? await getIkePolicy(ex, ikeId) : undefined;
  if (ikeId && (!ike || ike.accountId !== accountId)) throw new DomainError('ike_policy_not_found', `IKE policy '${ikeId}' was not found.`, { type: 'field', name: 'ikePolicy', value: ikeId });
  const ipsec = ipsecId ? await getIpsecPolicy(ex, ipsecId) : undefined;
  if (ipsecId && (!ipsec || ipsec.accountId !== accountId)) throw new DomainError('ipsec_policy_not_found', `IPsec policy '${ipsecId}' was not found.`, { type: 'field', name: 'ipsecPolicy', value: ipsecId });
  checkIkeV1Pairing(ike, ipsec);
  return { ike, ipsec };
}

/** Per-gateway limits: connection count and CIDRs (per side and across the gateway); names unique per gateway. */
export async function checkConnectionQuotas(deps: ControlDeps, ex: Executor, c: Connection, stored: Connection | undefined): Promise<void> {
  const q = deps.settings.quotas;
  const all = await deps.connections.gatewayStats(ex, c.gatewayId, c.name);
  // The stored version of `c` (on update) is not one of the "others".
  const others = { count: all.count - (stored ? 1 : 0), cidrs: all.cidrs - (stored ? stored.localCidrs.length + stored.peerCidrs.length : 0) };
  if (!stored && others.count >= q.connectionsPerGateway) {
    throw new DomainError('over_quota', `The VPN gateway already has ${q.connectionsPerGateway} connections, the quota.`);
  }
  for (const [side, list] of [['local', c.localCidrs], ['peer', c.peerCidrs]] as const) {
    if (list.length > q.cidrsPerConnectionSide) {
      throw new DomainError('over_quota', `A connection takes at most ${q.cidrsPerConnectionSide} ${side} CIDRs.`, { type: 'field', name: `${side}Cidrs` });
    }
  }
  if (others.cidrs + c.localCidrs.length + c.peerCidrs.length > q.cidrsPerGateway) {
    throw new DomainError('over_quota', `The connections of one VPN gateway take at most ${q.cidrsPerGateway} CIDRs in all.`);
  }
  if (all.holderOfName !== undefined && all.holderOfName !== c.id) {
    throw new DomainError('name_not_unique', `The VPN gateway already has a connection named '${c.name}'.`, { type: 'field', name: 'name', value: c.name });
  }
}

/** The new connection with the gateway and policies the use case loaded, so a view needs no re-read. */
export interface CreatedConnection {
  readonly connection: Connection;
  readonly gateway: VpnGateway;
  readonly ike: IkePolicy | undefined;
  readonly ipsec: IpsecPolicy | undefined;
}

export async function createConnection(deps: ControlDeps, actor: Actor, gatewayId: string, input: ConnectionInput): Promise<CreatedConnection> {
  const created = await deps.db.transaction().execute(async (trx) => {
    const gw = liveGateway(actor, await getGateway(trx, gatewayId), gatewayId);
    const now = deps.clock.now();
    const c: Connection = {
      id: newId(), accountId: gw.accountId, gatewayId: gw.id, name: input.name ?? (await freeName(async (n) => (await deps.connections.nameHolder(trx, gw.id, n)) !== undefined)), kind: kindFor(gw, input),
      adminStateUp: input.adminStateUp, establishMode: input.establishMode, psk: input.psk, peer: input.peer,
      peerIdentity: input.peerIdentity, localIdentities: input.localIdentities, localCidrs: input.localCidrs, peerCidrs: input.peerCidrs,
      ikePolicyId: input.ikePolicyId, ipsecPolicyId: input.ipsecPolicyId, autoSet: deps.settings.autoSet, dpd: input.dpd,
      distributeTraffic: input.distributeTraffic ?? false, tunnels: input.tunnels ?? [], status: 'down', statusReasons: [],
      lifecycleState: deps.settings.dataplane === 'none' ? 'stable' : 'pending', revision: 1, createdAt: now, updatedAt: now,
      description: input.description ?? '', mtu: input.mtu ?? 1500, localGroupId: input.localGroupId ?? null, peerGroupId: input.peerGroupId ?? null,
    };
    checkConnection(c);
    const { ike, ipsec } = await checkPolicies(trx, gw.accountId, c.ikePolicyId, c.ipsecPolicyId);
    await checkConnectionQuotas(deps, trx, c, undefined);
    await deps.connections.insert(trx, c);
    return { connection: c, gateway: gw, ike, ipsec };
  });
  deps.changes.publish({ resource: 'connection', id: created.connection.id, action: 'created', gatewayIds: [gatewayId] });
  return created;
}
