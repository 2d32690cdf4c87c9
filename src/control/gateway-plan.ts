import { desiredGatewayState, type DesiredGatewayState } from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { LifecycleState, Reason, Subnet } from '../domain/tenancy.js';
import { getGateway, gatewaysOfVpc } from '../store/gateway-store.js';
import { subnetsOfVpc } from '../store/network-store.js';
import { getIkePolicies, getIpsecPolicies } from '../store/policy-store.js';
import type { ControlDeps } from './control-deps.js';
import { finalizeDeletes, type ReleaseScope } from './finalize-deletes.js';
import { reportConnectionStatuses, reportGatewayHealth, type GatewayObservation } from './report-status.js';

/** What the data plane needs to know of one connection besides its desired state. */
export interface PlanConnection {
  readonly id: string;
  readonly adminStateUp: boolean;
  readonly lifecycleState: LifecycleState;
  readonly localCidrs: readonly string[];
  readonly peerCidrs: readonly string[];
}

/**
 * Everything an agent needs to reconcile one gateway: plain JSON, the same in process and over the
 * agent API. Holds pre-shared keys (inside `desired`): never log a plan.
 */
export interface GatewayPlan {
  readonly gatewayId: string;
  /** null: the gateway is gone (tear down whatever is left of it). */
  readonly gateway: VpnGateway | null;
  readonly subnets: readonly Subnet[];
  /** Every connection of the gateway, those being deleted included. */
  readonly connections: readonly PlanConnection[];
  /** The connections not being deleted, as charon should hold them; null when the gateway is gone or going. */
  readonly desired: DesiredGatewayState | null;
  /** Another gateway that stays shares the VPC, so the VPC's network stays when this one goes. */
  readonly vpcShared: boolean;
}

export async function gatewayPlan(deps: ControlDeps, gatewayId: string): Promise<GatewayPlan> {
  const gw = await getGateway(deps.db, gatewayId);
  if (!gw) return { gatewayId, gateway: null, subnets: [], connections: [], desired: null, vpcShared: false };
  const all = await deps.connections.ofGateway(deps.db, gw.id);
  const connections = all.map((c) => ({ id: c.id, adminStateUp: c.adminStateUp, lifecycleState: c.lifecycleState, localCidrs: c.localCidrs, peerCidrs: c.peerCidrs }));
  if (gw.lifecycleState === 'deleting') {
    const others = (await gatewaysOfVpc(deps.db, gw.vpcId)).filter((g) => g.id !== gw.id && g.lifecycleState !== 'deleting');
    return { gatewayId, gateway: gw, subnets: [], connections, desired: null, vpcShared: others.length > 0 };
  }
  const live = all.filter((c) => c.lifecycleState !== 'deleting');
  const ike = new Map((await getIkePolicies(deps.db, live.flatMap((c) => (c.ikePolicyId ? [c.ikePolicyId] : [])))).map((p) => [p.id, p]));
  const esp = new Map((await getIpsecPolicies(deps.db, live.flatMap((c) => (c.ipsecPolicyId ? [c.ipsecPolicyId] : [])))).map((p) => [p.id, p]));
  const desired = desiredGatewayState(gw, live.map((c) => ({
    connection: c,
    ...(c.ikePolicyId ? { ikePolicy: ike.get(c.ikePolicyId) } : {}),
    ...(c.ipsecPolicyId ? { ipsecPolicy: esp.get(c.ipsecPolicyId) } : {}),
  })));
  return { gatewayId, gateway: gw, subnets: await subnetsOfVpc(deps.db, gw.vpcId), connections, desired, vpcShared: true };
}

/** What an agent observed on one gateway. */
export interface AgentReport {
  readonly gateway?: GatewayObservation;
  readonly connections?: readonly { readonly id: string; readonly status: 'up' | 'down'; readonly reasons: readonly Reason[] }[];
}

/** Records an agent's observations; connections of other gateways are ignored. */
export async function applyAgentReport(deps: ControlDeps, gatewayId: string, report: AgentReport): Promise<void> {
  if (report.gateway) await reportGatewayHealth(deps, gatewayId, report.gateway);
  if (report.connections?.length) await reportConnectionStatuses(deps, gatewayId, report.connections.map((c) => ({ ...c, lifecycleState: 'stable' })));
}

/** The data plane let go of what is being deleted on this gateway (or of the whole gateway): remove it. */
export async function releaseDeleted(deps: ControlDeps, gatewayId: string, scope: ReleaseScope = 'gateway'): Promise<number> {
  return finalizeDeletes(deps, (g) => g === gatewayId, scope);
}
