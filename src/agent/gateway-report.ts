import type { AgentReport } from '../control/index.js';
import type { ViciNamedSection } from '../dataplane/vici/index.js';
import { reason, type StatusReasonCode } from '../domain/status-reasons.js';
import type { AgentBackend } from './agent-backend.js';
import { connectionIdOf } from './failure-classifier.js';
import type { GatewayMembers } from './gateway-members.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { connectionsUp, membersUp } from './peer-group-applier.js';
import { saFactsOf } from './sa-facts-reader.js';

/**
 * The failures a new connection meets while the peer has not loaded its side yet: its traffic selectors
 * refused (TS_UNACCEPTABLE, and IKEv1's INVALID_ID_INFORMATION) when the peer holds other connections,
 * NO_PROPOSAL_CHOSEN when it holds none ("no IKE config found"). In a bring-up of two gateways both
 * sides start every CHILD, and whichever loads first is refused (179 of 200 connections on one side);
 * each showed a CIDR mismatch for a second or two, on its timeline too, until the peer's own start
 * brought it up. A policy mismatch has the same look when the peer has no connection at all yet.
 */
const REFUSALS_OF_AN_UNREADY_PEER: ReadonlySet<string> = new Set<StatusReasonCode>([
  'ike_v2_local_remote_cidr_mismatch',
  'ike_v1_id_local_remote_cidr_mismatch',
  'ike_policy_mismatch',
]);

/** What a connection charon has no SA for reports: so a tunnel that went away is seen going down. */
const NO_SAS = { ikeState: null, children: [] } as const;

/** The gateway's observation with the members' roles and failures as this agent runs them. */
export function observationOf(g: GatewayMembers): NonNullable<AgentReport['gateway']> {
  const memberRoles = [...g.runtimes].map(([index, rt]) => ({
    index,
    role: g.roleOf(index),
    // Held down, or its charon died (one not started yet, a new standby's, is not a failure).
    failed: g.cut.has(index) || rt.supervisor.died(),
  }));
  // Which members failed is all it says: the control plane makes that the gateway's and the members' health (report-status.ts).
  return { lifecycleState: 'stable', healthState: 'ok', reasons: [], memberRoles };
}

/** Reports the members alone (a failover, a member failed or back): the API follows within a second. */
export async function reportMembers(backend: AgentBackend, g: GatewayMembers): Promise<void> {
  if (!g.plan) return;
  await backend.report(g.gatewayId, { generation: g.plan.generation, gateway: observationOf(g) });
}

/**
 * Reports the connections' status (and `gateway`); returns each live charon's SAs as read for it and
 * whether every admin-up connection is up (undefined when nothing was reported). Status is the truth:
 * a connection is up when one of its CHILD_SAs is installed (on any member or tunnel).
 */
export async function reportGateway(
  backend: AgentBackend,
  g: GatewayMembers,
  gateway?: AgentReport['gateway'],
): Promise<{ readonly seen: Map<GatewayRuntime, ViciNamedSection[]>; readonly settled: boolean } | undefined> {
  // The active member first: its failure reasons win. Route mode: the tunnel charons too.
  const live = [...g.runtimes.values(), ...(g.routeTunnels?.live(g.cut) ?? [])]
    .filter((rt) => rt.vici && !g.cut.has(rt.memberIndex))
    .sort((a, b) => Number(g.roleOf(b.memberIndex) === 'active') - Number(g.roleOf(a.memberIndex) === 'active'));
  if (!g.plan || live.length === 0) return undefined;
  // A fresh list-sas, reported as soon as it is read, so a status refresh that ran meanwhile (on a
  // charon event) is never overwritten by an older picture; a reconcile reads it after its loads and
  // initiates from it afterwards. A charon that could not be read holds nothing for the status, but is
  // left out of `seen`: an initiation must come from a real read. A blocking read: `noblock` skips an
  // IKE_SA a charon thread holds, and a peer group's connections all ride one IKE_SA, so during a
  // bring-up they all showed down now and then, each time with down events on their timelines.
  const readAt = Date.now();
  const read = await Promise.all(live.map(async (rt) => [rt, await rt.vici!.listSas().catch(() => undefined)] as const));
  const seen = new Map(read.flatMap(([rt, sas]) => (sas ? [[rt, sas] as const] : [])));
  for (const [rt, sas] of seen) rt.lastUp = connectionsUp(sas, connectionIdOf);
  const sas = [...seen.values()].flat();
  // Each tunnel's own state (route mode: one charon per member and connection); a connection is up while any is.
  const up = membersUp(seen, connectionIdOf);
  const facts = saFactsOf(sas, connectionIdOf, new Map(live.flatMap((rt) => [...rt.members])));
  const overridden = new Map(live.flatMap((rt) => [...rt.overridden]));
  const connections = g.plan.connections
    .filter((c) => c.lifecycleState !== 'deleting')
    .map((c) => {
      const isUp = up.has(c.id);
      // A reason explains a failure after the last time it was up; one charon logged while this read
      // was under way (the peer's DELETE right after charon listed the SA) is newer than that `up`.
      if (isUp) for (const rt of live) if ((rt.failures.get(c.id)?.at ?? readAt) < readAt) rt.failures.delete(c.id);
      // A new connection's refusals wait out charon's start grace: by then the peer has had its chance
      // to load and start it; if it has not, the reason shows on the refresh after the grace.
      const failure = live
        .map((rt) => {
          const f = rt.failures.get(c.id)?.reason;
          return f && REFUSALS_OF_AN_UNREADY_PEER.has(f.code) && rt.firstLoads.hold(c.id, readAt) ? undefined : f;
        })
        .find((f) => f !== undefined);
      const leader = overridden.get(c.id);
      const blocked = g.routeTunnels?.blocked.get(c.id);
      return {
        id: c.id,
        sa: facts.get(c.id) ?? NO_SAS,
        status: isUp ? ('up' as const) : ('down' as const),
        tunnelsUp: up.get(c.id) ?? [],
        reasons: [
          ...(isUp || !c.adminStateUp || !failure ? [] : [failure]),
          ...(blocked && c.adminStateUp ? [blocked] : []),
          ...(leader ? [reason('peer_settings_shared', `the leading connection is ${leader}`)] : []),
        ],
      };
    });
  // Only what the control plane does not hold yet (report-memo.ts); nothing at all when that is nothing.
  const now = Date.now();
  const generation = g.plan.generation;
  const { send, full } = g.reported.pick(connections, g.plan.connections, now);
  if (gateway || send.length > 0) {
    let applied = false;
    try {
      applied = await backend.report(g.gatewayId, { generation, ...(gateway ? { gateway } : {}), connections: send });
    } finally {
      if (applied) g.reported.applied(send, generation, full, now);
      else g.reported.forget();
    }
  }
  return { seen, settled: g.plan.connections.every((c) => c.lifecycleState === 'deleting' || !c.adminStateUp || up.has(c.id)) };
}
