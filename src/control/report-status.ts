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

export async function reportConnectionStatus(deps: ControlDeps, id: string, o: ConnectionObservation): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const c = await deps.connections.get(trx, id);
    if (!c || c.lifecycleState === 'deleting') return false;
    const lifecycleState = o.lifecycleState ?? c.lifecycleState;
    if (c.status === o.status && c.lifecycleState === lifecycleState && JSON.stringify(c.statusReasons) === JSON.stringify(o.reasons)) return false;
    await deps.connections.save(trx, { ...c, status: o.status, statusReasons: o.reasons, lifecycleState });
    return true;
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
