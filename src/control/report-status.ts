import type { GatewayMember, GatewayMode } from '../domain/gateway.js';
import type { HealthState, LifecycleState, Reason } from '../domain/tenancy.js';
import { invalidField } from '../domain/errors.js';
import { reason } from '../domain/status-reasons.js';
import { EVENT_CAUSES } from '../domain/connection-events.js';
import { NOTHING_OBSERVED, observedOf, type SaFacts, type SaTransition, saTransitions } from '../domain/sa-facts.js';
import { currentGeneration } from '../store/change-store.js';
import { observedOfGateway, setObserved } from '../store/connection-event-store.js';
import { gatewayGenerations, getGateway, setGatewayHealth, setReportGeneration } from '../store/gateway-store.js';
import { type EventInput, recordEvents } from './connection-events.js';
import type { Tx } from './tx.js';

/** What an agent observed on one gateway, computed against the plan of `generation`. */
export interface AgentReport {
  readonly generation: number;
  readonly gateway?: GatewayObservation;
  readonly connections?: readonly ReportedConnection[];
}

export interface ReportedConnection {
  readonly id: string;
  readonly status: 'up' | 'down';
  readonly reasons: readonly Reason[];
  /** What charon's list-sas showed of the connection's SAs (agents before the event timeline send none). */
  readonly sa?: SaFacts;
  /** The gateway members with an installed CHILD_SA of the connection (agents before per-tunnel status send none). */
  readonly tunnelsUp?: readonly (1 | 2)[];
}

export interface GatewayObservation {
  readonly lifecycleState: LifecycleState;
  readonly healthState: HealthState;
  readonly reasons: readonly Reason[];
  /**
   * The members' roles as the data plane runs them, when it says (a change is a failover), and whether
   * a member has failed (its charon dead or its links cut): it shows `faulted`, status `failed`, and
   * the gateway `degraded` (`faulted` when both have), each with the reason `member_failed`.
   */
  readonly memberRoles?: readonly { readonly index: 1 | 2; readonly role: GatewayMember['role']; readonly failed?: boolean }[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The gateway's health with its members' failures in it: a `member_failed` reason per failed member
 * (naming the member that carries the connections), `degraded` while one is left and `faulted` when
 * none is. The agent reports only which members failed; this is where that becomes health.
 */
function gatewayHealth(o: GatewayObservation): { healthState: HealthState; reasons: Reason[] } {
  const roles = o.memberRoles ?? [];
  const failed = roles.filter((m) => m.failed === true).map((m) => m.index);
  if (failed.length === 0) return { healthState: o.healthState, reasons: [...o.reasons] };
  const alive = roles.filter((m) => m.failed !== true).map((m) => m.index);
  const carrier = alive.length > 0 ? `; member ${alive.join(' and ')} carries the gateway's connections` : '';
  return {
    healthState: alive.length === 0 ? 'faulted' : o.healthState === 'faulted' ? 'faulted' : 'degraded',
    reasons: [...o.reasons, ...failed.map((i) => reason('member_failed', `member ${i}${carrier}`))],
  };
}

/**
 * The members with the observed health, and the roles the report gives; and which members changed
 * role. A policy gateway's one public IP goes with the active role (the standby shows none); a
 * member the report says failed is `faulted` with the reason `member_failed`, whatever the gateway's health.
 */
function observedMembers(
  members: readonly GatewayMember[],
  o: GatewayObservation,
  mode: GatewayMode,
): { members: GatewayMember[]; failovers: GatewayMember[]; changed: boolean } {
  const said = new Map((o.memberRoles ?? []).map((m) => [m.index, m]));
  const shared = members.find((m) => m.publicIp !== null)?.publicIp ?? null;
  const next = members.map((m): GatewayMember => {
    const r = said.get(m.index);
    const role = r?.role ?? m.role;
    const failed = r?.failed === true;
    return {
      ...m,
      role,
      publicIp: mode === 'policy' && r ? (role === 'active' ? shared : null) : m.publicIp,
      lifecycleState: o.lifecycleState,
      healthState: failed ? 'faulted' : o.healthState,
      healthReasons: failed ? [reason('member_failed')] : o.reasons,
    };
  });
  return { members: next, failovers: next.filter((m, i) => m.role !== members[i]!.role), changed: !same(next, members) };
}

/**
 * A route connection's tunnels (one per member) that came up or went down against what is stored,
 * each with its member's public IP; none while either side is unknown (an agent that does not say).
 */
function tunnelEvents(
  connection: EventInput['connection'],
  before: readonly (1 | 2)[] | null,
  after: readonly (1 | 2)[] | null,
  addresses: ReadonlyMap<1 | 2, string | null>,
): EventInput[] {
  if (before === null || after === null) return [];
  const event = (member: 1 | 2, type: 'tunnel_up' | 'tunnel_down'): EventInput => {
    const address = addresses.get(member);
    return { connection, type, cause: EVENT_CAUSES.agent, details: { member, ...(address ? { address } : {}) } };
  };
  return [
    ...before.filter((m) => !after.includes(m)).map((m) => event(m, 'tunnel_down')),
    ...after.filter((m) => !before.includes(m)).map((m) => event(m, 'tunnel_up')),
  ];
}

/** The events one connection's report gives against what is stored: applied, reasons raised/cleared, SA transitions. */
function connectionEvents(
  c: { id: string; accountId: string; gatewayId: string; generation: number; statusReasons: readonly Reason[] },
  r: ReportedConnection,
  generation: number,
  prev = NOTHING_OBSERVED,
): { events: EventInput[]; observed: typeof prev } {
  const events: EventInput[] = [];
  const connection = { id: c.id, accountId: c.accountId, gatewayId: c.gatewayId };
  const applied = generation >= c.generation && prev.applied < c.generation;
  if (applied) events.push({ connection, type: 'applied', cause: EVENT_CAUSES.agent, details: { generation: c.generation } });
  const observed = r.sa ? observedOf(r.sa, applied ? c.generation : prev.applied) : { ...prev, applied: applied ? c.generation : prev.applied };
  // SAs that went down in the report that applied a change (a reset, a new proposal) went down for it.
  const why = (t: SaTransition) => (applied && t.type.endsWith('_down') && t.cause === EVENT_CAUSES.closed ? EVENT_CAUSES.applied : t.cause);
  if (r.sa) for (const t of saTransitions(prev, observed, r.sa, r.reasons)) events.push({ connection, ...t, cause: why(t) });
  const had = new Set(c.statusReasons.map((x) => x.code));
  const has = new Set(r.reasons.map((x) => x.code));
  for (const x of r.reasons)
    if (!had.has(x.code)) events.push({ connection, type: 'status_reason_raised', cause: EVENT_CAUSES.agent, details: { code: x.code, message: x.message } });
  for (const x of c.statusReasons)
    if (!has.has(x.code)) events.push({ connection, type: 'status_reason_cleared', cause: EVENT_CAUSES.agent, details: { code: x.code } });
  return { events, observed };
}

/**
 * Records what an agent observed on one gateway. Status writes never bump `revision` (an ETag a client
 * holds stays valid) and record no change (nothing to reconcile). A report computed against an older
 * plan than the last one accepted for this gateway is ignored: it may describe a state already gone.
 * A connection becomes `stable` only once a report's plan includes its latest change. Transitions
 * against what is stored (applied, SAs up/down/rekeyed, reasons raised/cleared, a member's role)
 * become events on the connections' timelines, in the same transaction.
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
  const events: EventInput[] = [];
  const o = report.gateway;
  // Only the connections the report names are read (an agent's refresh names those that changed).
  const named = (report.connections ?? []).map((c) => c.id);
  const current = new Map((await tx.deps.connections.statusesOfGateway(tx.ex, gatewayId, named)).map((c) => [c.id, c]));
  // Read once: the health update below changes no field the connection part reads (account, mode, a route member's address).
  const g = await getGateway(tx.ex, gatewayId);
  if (o) {
    const next = g && observedMembers(g.members, o, g.mode);
    const health = gatewayHealth(o);
    if (
      g &&
      next &&
      g.lifecycleState !== 'deleting' &&
      !(g.lifecycleState === o.lifecycleState && g.healthState === health.healthState && same(g.healthReasons, health.reasons) && !next.changed)
    ) {
      await setGatewayHealth(tx.ex, {
        id: g.id,
        lifecycleState: o.lifecycleState,
        healthState: health.healthState,
        healthReasons: health.reasons,
        members: next.members,
      });
      // A failover is on every connection's timeline, named in the report or not.
      const all = next.failovers.length > 0 ? await tx.deps.connections.statusesOfGateway(tx.ex, gatewayId) : [];
      for (const m of next.failovers)
        for (const c of all)
          if (c.lifecycleState !== 'deleting')
            events.push({
              connection: { id: c.id, accountId: g.accountId, gatewayId },
              type: 'member_failover',
              cause: EVENT_CAUSES.agent,
              details: { member: m.index, role: m.role },
            });
    }
  }
  if (report.connections?.length) {
    const observed = await observedOfGateway(tx.ex, gatewayId, named);
    const accountId = g?.accountId ?? '';
    // Route mode: each member runs its own tunnel of every connection, so each tunnel's ups and downs are events.
    const addresses = g?.mode === 'route' ? new Map(g.members.map((m) => [m.index, m.publicIp])) : undefined;
    for (const r of report.connections) {
      const c = current.get(r.id);
      if (!c || c.lifecycleState === 'deleting') continue;
      const prev = observed.get(r.id);
      const diff = connectionEvents({ ...c, accountId, gatewayId }, r, report.generation, prev);
      events.push(...diff.events);
      if (!same(prev, diff.observed)) await setObserved(tx.ex, r.id, diff.observed);
      const lifecycleState: LifecycleState = report.generation >= c.generation ? 'stable' : c.lifecycleState;
      // An agent that does not say which tunnels are up leaves them unknown (null), never a stale list.
      const tunnelsUp = r.tunnelsUp === undefined ? null : [...new Set(r.tunnelsUp)].sort((a, b) => a - b);
      if (addresses) events.push(...tunnelEvents({ id: c.id, accountId, gatewayId }, c.tunnelsUp, tunnelsUp, addresses));
      const unchanged = c.status === r.status && c.lifecycleState === lifecycleState && same(c.statusReasons, r.reasons) && same(c.tunnelsUp, tunnelsUp);
      if (unchanged) continue;
      await tx.deps.connections.setStatus(tx.ex, r.id, { status: r.status, statusReasons: r.reasons, tunnelsUp, lifecycleState }, tx.now());
    }
  }
  await recordEvents(tx, events);
  return true;
}
