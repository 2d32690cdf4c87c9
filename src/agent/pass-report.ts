// The end of an active member's pass: the status report, whose list-sas read also tells which CHILDs to
// initiate; or, for a pass that only loaded new CHILDs, a status refresh after the reconcile instead.
import type { AgentBackend } from './agent-backend.js';
import { observationOf, reportGateway } from './gateway-report.js';
import type { GatewayMembers } from './gateway-members.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { FAILOVER_HURRY_MS, type InitiateMissing } from './member-apply.js';

export interface PassEnd {
  /** The report made (undefined: none was, or it read no charon). */
  readonly report: Awaited<ReturnType<typeof reportGateway>>;
  /** An initiation is still owed, or may be: the next reconcile comes sooner. */
  readonly owed: boolean;
  /** The read was left to a status refresh. */
  readonly readLater: boolean;
}

/** What the reconcile knows of its pass: whether it failed over or saw members cut or back, and how to ask for a status refresh. */
export interface PassFacts {
  readonly failover: boolean;
  readonly cutChanged: boolean;
  readonly poke: () => void;
}

/**
 * Reports and initiates, or leaves both to later. A pass that only loaded new CHILDs owes no
 * initiation now: charon starts them itself (member-apply.ts, `onlyNewLoads`). Its read is then left
 * to a status refresh after this reconcile, and the next reconcile (in 3 s) reads and initiates what
 * charon did not bring up. Why: a blocking list-sas waits for the IKE_SA charon is busy with (40-490
 * ms in an N=200 bring-up), and the peer gateway's reconcile, queued behind this one (one gateway at
 * a time), waited for it before loading its side; meanwhile this side's CHILDs were refused by the
 * peer, one exchange each. A policy gateway only, and only when the gateway's own observation (roles,
 * failures) is the one already reported and no failover is recent: those reconciles report at once.
 */
export async function endActivePass(
  backend: AgentBackend,
  g: GatewayMembers,
  initiations: readonly (readonly [GatewayRuntime, InitiateMissing])[],
  pass: PassFacts,
): Promise<PassEnd> {
  const observed = JSON.stringify(observationOf(g));
  const readLater =
    g.mode === 'policy' &&
    !pass.failover &&
    !pass.cutChanged &&
    g.observed === observed &&
    Date.now() - g.failoverAt >= FAILOVER_HURRY_MS &&
    initiations.length > 0 &&
    initiations.every(([, i]) => i.onlyNewLoads);
  if (readLater) {
    pass.poke();
    return { report: undefined, owed: true, readLater };
  }
  const report = await reportGateway(backend, g, observationOf(g));
  g.observed = observed;
  // The report's read, taken after the load, also tells which CHILDs to initiate: one list-sas of a
  // charon with hundreds of SAs less per reconcile, and one wait less behind a burst of API requests.
  let owed = false;
  for (const [rt, initiate] of initiations) owed = (await initiate.run(report?.seen.get(rt))) || owed;
  return { report, owed, readLater };
}
