import type { DesiredGatewayState } from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { LifecycleState, Subnet } from '../domain/tenancy.js';
import { holdsTypedRoutes, type PlannedRoute } from '../domain/vpc-route.js';
import { allGatewayIds, gatewaysOfVpc, getGateway } from '../store/gateway-store.js';
import { subnetsOfVpc } from '../store/network-store.js';
import { getIkePolicies, getIpsecPolicies } from '../store/policy-store.js';
import { plannedRoutes } from './routing-table-queries.js';
import { generationOf, type Tx } from './tx.js';

/** What the data plane needs to know of one connection besides its desired state. */
export interface PlanConnection {
  readonly id: string;
  readonly adminStateUp: boolean;
  readonly lifecycleState: LifecycleState;
  readonly localCidrs: readonly string[];
  readonly peerCidrs: readonly string[];
  /** Route mode: spread a VPC route's traffic over both members' up tunnels (ECMP). */
  readonly distributeTraffic: boolean;
  /**
   * The change-log generation of the connection's last change: a report computed against a plan at
   * or past it makes the connection `stable`. Absent from servers before reports named only what changed.
   */
  readonly generation?: number;
}

/**
 * Everything an agent needs to reconcile one gateway: plain JSON, the same in process and over the
 * agent API, read in one transaction at `generation`. Holds pre-shared keys (inside `desired`): never log a plan.
 */
export interface GatewayPlan {
  readonly gatewayId: string;
  /** The change-log generation this plan was read at; reports and releases computed from it carry it back. */
  readonly generation: number;
  /** null: the gateway is gone (tear down whatever is left of it). */
  readonly gateway: VpnGateway | null;
  readonly subnets: readonly Subnet[];
  /** Every connection of the gateway, those being deleted included. */
  readonly connections: readonly PlanConnection[];
  /** The connections not being deleted, as charon should hold them; null when the gateway is gone or going. */
  readonly desired: DesiredGatewayState | null;
  /** Another gateway that stays shares the VPC, so the VPC's network stays when this one goes. */
  readonly vpcShared: boolean;
  /**
   * Read for a gateway being deleted: another gateway that stays holds the VPC's drop and delegate
   * routes (`holdsTypedRoutes`), so this one's teardown leaves them; otherwise they go with it.
   */
  readonly vpcRoutesShared: boolean;
  /** Route mode: the VPC routes whose next hop is one of this gateway's connections, and the VPC's drop and delegate routes; [] when none or gone. */
  readonly vpcRoutes: readonly PlannedRoute[];
}

export async function gatewayPlan(tx: Tx, gatewayId: string): Promise<GatewayPlan> {
  const generation = await generationOf(tx);
  const gw = await getGateway(tx.ex, gatewayId);
  if (!gw)
    return { gatewayId, generation, gateway: null, subnets: [], connections: [], desired: null, vpcShared: false, vpcRoutesShared: false, vpcRoutes: [] };
  const all = await tx.deps.connections.ofGateway(tx.ex, gw.id);
  const changedAt = new Map((await tx.deps.connections.statusesOfGateway(tx.ex, gw.id)).map((s) => [s.id, s.generation]));
  const connections = all.map((c) => ({
    id: c.id,
    adminStateUp: c.adminStateUp,
    lifecycleState: c.lifecycleState,
    localCidrs: c.localCidrs,
    peerCidrs: c.peerCidrs,
    distributeTraffic: c.distributeTraffic,
    generation: changedAt.get(c.id) ?? generation,
  }));
  if (gw.lifecycleState === 'deleting') {
    const others = (await gatewaysOfVpc(tx.ex, gw.vpcId)).filter((g) => g.id !== gw.id && g.lifecycleState !== 'deleting');
    const vpcRoutesShared = others.some(holdsTypedRoutes);
    return { gatewayId, generation, gateway: gw, subnets: [], connections, desired: null, vpcShared: others.length > 0, vpcRoutesShared, vpcRoutes: [] };
  }
  const live = all.filter((c) => c.lifecycleState !== 'deleting');
  const ike = new Map(
    (
      await getIkePolicies(
        tx.ex,
        live.flatMap((c) => (c.ikePolicyId ? [c.ikePolicyId] : [])),
      )
    ).map((p) => [p.id, p]),
  );
  const esp = new Map(
    (
      await getIpsecPolicies(
        tx.ex,
        live.flatMap((c) => (c.ipsecPolicyId ? [c.ipsecPolicyId] : [])),
      )
    ).map((p) => [p.id, p]),
  );
  const desired = tx.deps.desired.gatewayState(
    gw,
    live.map((c) => ({
      connection: c,
      ...(c.ikePolicyId ? { ikePolicy: ike.get(c.ikePolicyId) } : {}),
      ...(c.ipsecPolicyId ? { ipsecPolicy: esp.get(c.ipsecPolicyId) } : {}),
    })),
  );
  const vpcRoutes = await plannedRoutes(
    tx,
    gw,
    live.map((c) => c.id),
  );
  return {
    gatewayId,
    generation,
    gateway: gw,
    subnets: await subnetsOfVpc(tx.ex, gw.vpcId),
    connections,
    desired,
    vpcShared: true,
    vpcRoutesShared: true,
    vpcRoutes,
  };
}

/** Every gateway an agent serves, those being deleted included. */
export function planGatewayIds(tx: Tx): Promise<string[]> {
  return allGatewayIds(tx.ex);
}
