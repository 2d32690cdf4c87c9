import type { HealthState, LifecycleState, Reason } from '../domain/tenancy.js';
import { getGateway, saveGateway } from '../store/gateway-store.js';
import type { ControlDeps } from './control-deps.js';

/**
 * What the data plane observed. Status writes never bump `revision`, so they never invalidate an
 * ETag a client holds, and they never publish a change (nothing to reconcile).
 */
export interface ConnectionObservation {
  readonly status: 'up' | 'down';
  readonly reasons: readonly Reason[];
  /** pending → stable once the data plane has applied the connection. */
  readonly lifecycleState?: LifecycleState;
}

/**
 * Records the statuses an agent observed on one gateway, in one transaction; connections of other
 * gateways and those being deleted are ignored, unchanged ones are not written.
 */
export async function reportConnectionStatuses(deps: ControlDeps, gatewayId: string, observed: readonly (ConnectionObservation & { readonly id: string })[]): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const current = new Map((await deps.connections.statusesOfGateway(trx, gatewayId)).map((c) => [c.id, c]));
    let n = 0;
    for (const o of observed) {
      const c = current.get(o.id);
      if (!c || c.lifecycleState === 'deleting') continue;
      const lifecycleState = o.lifecycleState ?? c.lifecycleState;
      if (c.status === o.status && c.lifecycleState === lifecycleState && JSON.stringify(c.statusReasons) === JSON.stringify(o.reasons)) continue;
      await deps.connections.setStatus(trx, o.id, o.status, o.reasons, lifecycleState);
      n++;
    }
    return n;
  });
}

export interface GatewayObservation {
  readonly lifecycleState: LifecycleState;
  readonly healthState: HealthState;
  readonly reasons: readonly Reason[];
}

export async function reportGatewayHealth(deps: ControlDeps, id: string, o: GatewayObservation): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const g = await getGateway(trx, id);
    if (!g || g.lifecycleState === 'deleting') return false;
    if (g.lifecycleState === o.lifecycleState && g.healthState === o.healthState && JSON.stringify(g.healthReasons) === JSON.stringify(o.reasons)) return false;
    await saveGateway(trx, {
      ...g, lifecycleState: o.lifecycleState, healthState: o.healthState, healthReasons: o.reasons,
      members: g.members.map((m) => ({ ...m, lifecycleState: o.lifecycleState, healthState: o.healthState, healthReasons: o.reasons })),
    });
    return true;
  });
}
