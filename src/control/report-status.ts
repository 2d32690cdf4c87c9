import type { HealthState, LifecycleState, Reason } from '../domain/tenancy.js';
import { invalidField } from '../domain/errors.js';
import { currentGeneration } from '../store/change-store.js';
import { gatewayGenerations, getGateway, setGatewayHealth, setReportGeneration } from '../store/gateway-store.js';
import type { Tx } from './tx.js';

/** What an agent observed on one gateway, computed against the plan of `generation`. */
export interface AgentReport {
  readonly generation: number;
  readonly gateway?: GatewayObservation;
  readonly connections?: readonly { readonly id: string; readonly status: 'up' | 'down'; readonly reasons: readonly Reason[] }[];
}

export interface GatewayObservation {
  readonly lifecycleState: LifecycleState;
  readonly healthState: HealthState;
  readonly reasons: readonly Reason[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Records what an agent observed on one gateway. Status writes never bump `revision` (an ETag a client
 * holds stays valid) and record no change (nothing to reconcile). A report computed against an older
 * plan than the last one accepted for this gateway is ignored: it may describe a state already gone.
 * A connection becomes `stable` only once a report's plan includes its latest change.
 * Returns whether the report was applied.
 */
export async function applyAgentReport(tx: Tx, gatewayId: string, report: AgentReport): Promise<boolean> {
  const gens = await gatewayGenerations(tx.ex, gatewayId);
  if (!gens || report.generation < gens.reported) return false;
  const latest = await currentGeneration(tx.ex);
  if (report.generation > latest) {
    // No plan of that generation was ever given: the agent reads another database, or made the number up.
    throw invalidField('generation', `The report names generation ${report.generation}, but the change log is at ${latest}.`, report.generation);
  }
  if (!(await setReportGeneration(tx.ex, gatewayId, report.generation))) return false;
  const o = report.gateway;
  if (o) {
    const g = await getGateway(tx.ex, gatewayId);
    if (
      g &&
      g.lifecycleState !== 'deleting' &&
      !(g.lifecycleState === o.lifecycleState && g.healthState === o.healthState && same(g.healthReasons, o.reasons))
    ) {
      await setGatewayHealth(tx.ex, {
        id: g.id,
        lifecycleState: o.lifecycleState,
        healthState: o.healthState,
        healthReasons: o.reasons,
        members: g.members.map((m) => ({ ...m, lifecycleState: o.lifecycleState, healthState: o.healthState, healthReasons: o.reasons })),
      });
    }
  }
  if (!report.connections?.length) return true;
  const current = new Map((await tx.deps.connections.statusesOfGateway(tx.ex, gatewayId)).map((c) => [c.id, c]));
  for (const r of report.connections) {
    const c = current.get(r.id);
    if (!c || c.lifecycleState === 'deleting') continue;
    const lifecycleState: LifecycleState = report.generation >= c.generation ? 'stable' : c.lifecycleState;
    if (c.status === r.status && c.lifecycleState === lifecycleState && same(c.statusReasons, r.reasons)) continue;
    await tx.deps.connections.setStatus(tx.ex, r.id, r.status, r.reasons, lifecycleState, tx.now());
  }
  return true;
}
