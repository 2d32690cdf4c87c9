// One member's charon brought in line with the desired state: the part of a reconcile that talks to
// that charon (gateway-reconciler.ts decides which members run, in which role, and calls it per member).
import type { ViciNamedSection } from '../dataplane/vici/index.js';
import type { DesiredGatewayState } from '../domain/desired-state.js';
import type { AgentBackend } from './agent-backend.js';
import { haTrace } from './failover-trace.js';
import { reportMembers } from './gateway-report.js';
import type { GatewayMembers } from './gateway-members.js';
import { CHARON_START_GRACE_MS } from './first-loads.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { memberGroups } from './member-groups.js';
import type { PeerGroup } from '../dataplane/strongswan/peer-group-translator.js';
import { applyGroups, initiateMissing, unloadUnwanted } from './peer-group-applier.js';

/** After a failover, a gateway whose tunnels are not all up yet is reconciled every second for this long. */
export const FAILOVER_HURRY_MS = 30_000;

/**
 * What is left of an active member's pass once its conns are loaded: initiating the CHILDs charon does
 * not have, against a `list-sas` read after the load (the status report's, so one read serves both;
 * undefined: it reads its own). `run` resolves to whether an initiation is still owed.
 */
export interface InitiateMissing {
  run(sas: readonly ViciNamedSection[] | undefined): Promise<boolean>;
  /**
   * This pass loaded CHILDs, and every CHILD with a start action is one of those (charon starts it
   * itself, and `run` leaves it alone for CHARON_START_GRACE_MS) or was up at this charon's last
   * status read: `run` would initiate nothing now. Then the read can wait (gateway-reconciler.ts).
   */
  readonly onlyNewLoads: boolean;
}

/**
 * Whether a pass owes no initiation now: it loaded CHILDs (`loaded`), and every CHILD with a start
 * action is `recent` (charon starts it itself) or was up at the charon's last read (`up`; undefined:
 * never read, so nothing is known).
 */
export function onlyNewLoads(
  groups: readonly Pick<PeerGroup, 'children'>[],
  loaded: ReadonlySet<string>,
  recent: ReadonlySet<string>,
  up: ReadonlySet<string> | undefined,
): boolean {
  if (loaded.size === 0 || up === undefined) return false;
  return groups.every((g) => [...g.children.values()].every((c) => !c.start || recent.has(c.connectionId) || up.has(c.connectionId)));
}

/**
 * Brings one member's charon in line: started, its settings, its groups (a standby's without start
 * actions). An active member's returns its InitiateMissing step, for the caller to run after the
 * report's read; a standby's, or one told not to initiate, returns undefined.
 */
export async function applyMember(
  g: GatewayMembers,
  rt: GatewayRuntime,
  desired: DesiredGatewayState,
  role: 'active' | 'standby',
  initiate = true,
): Promise<InitiateMissing | undefined> {
  const settingsChanged = rt.supervisor.configure({
    ...(desired.retransmit ? { retransmit: desired.retransmit } : {}),
    aggressivePsk: desired.aggressivePsk,
  });
  if (await rt.supervisor.ensure()) {
    rt.applied.clear(); // a new charon has nothing loaded
    rt.close();
  } else if (settingsChanged) {
    await (await rt.connect()).reloadSettings();
  }
  const vici = await rt.connect();
  const groups = memberGroups(desired.connections, g.mode, rt.memberIndex, role);
  const known = rt.regroup(new Map(groups.map((gr) => [gr.name, gr.connectionIds])));
  rt.overridden = new Map(groups.flatMap((gr) => gr.overridden.map((id) => [id, gr.connectionIds[0]!] as const)));
  let loaded = new Set<string>();
  // A pass that fails half way may have loaded a group it did not record: the next one sweeps again.
  const swept = rt.swept;
  rt.swept = false;
  try {
    loaded = await applyGroups(vici, groups, rt.applied);
    rt.firstLoads.note(loaded, known);
    for (const id of loaded) rt.failures.delete(id);
    haTrace(g.gatewayId, `member ${rt.memberIndex} ${role}: conns loaded`);
    await unloadUnwanted(vici, groups, rt.applied, swept);
    rt.swept = true;
  } finally {
    rt.saveApplied();
  }
  // Right after a failover a lost first attempt is retried every second (FAILOVER_HURRY_MS): no grace then.
  const recent = rt.loadedRecently(loaded, Date.now() - g.failoverAt < FAILOVER_HURRY_MS ? 0 : CHARON_START_GRACE_MS);
  if (role === 'standby' || !initiate) return undefined;
  return {
    onlyNewLoads: onlyNewLoads(groups, loaded, recent, rt.lastUp),
    run: async (sas) => {
      const initiated = await initiateMissing(vici, groups, sas ?? (await vici.listSas()), recent);
      haTrace(g.gatewayId, `member ${rt.memberIndex}: initiateMissing ${initiated}`);
      return initiated;
    },
  };
}

/**
 * Brings a policy gateway's standby members in line with the last reconcile's plan: started, the same
 * conns without start actions. A failover waiting goes first (its reconcile asks for the standby again).
 */
export async function syncStandbys(g: GatewayMembers, backend: AgentBackend): Promise<void> {
  haTrace(g.gatewayId, 'standby sync');
  const desired = g.plan?.desired;
  if (!desired || g.mode !== 'policy' || g.urgent) return;
  for (const [i, rt] of g.runtimes) {
    if (g.roleOf(i) !== 'standby' || g.cut.has(i)) continue;
    const back = rt.supervisor.pid() === undefined; // started now: it shows available at once
    await applyMember(g, rt, desired, 'standby');
    if (back) await reportMembers(backend, g); // a member that came back shows available again
  }
}
