import type { Logger } from 'pino';
import type { GatewayPlan } from '../control/index.js';
import { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { memberNs, vpcNs } from '../dataplane/lab/lab-names.js';
import { LabState } from '../dataplane/lab/lab-state.js';
import { memberRoutePlan, type RouteTunnelSpec, routeTunnels, type TunnelState, vpcRoutePlan } from '../dataplane/lab/route-plan.js';
import { syncMemberRoutes, syncVpcRoutes } from '../dataplane/lab/route-table-sync.js';
import { ensureTunnelNamespace, removeTunnelNamespace, tunnelRecordName, tunnelNs } from '../dataplane/lab/tunnel-network.js';
import { ViciConnectionError, type ViciNamedSection } from '../dataplane/vici/index.js';
import type { DesiredGatewayState } from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';
import { reason } from '../domain/status-reasons.js';
import type { Reason } from '../domain/tenancy.js';
import { GatewayRuntime, type RuntimeHooks } from './gateway-runtime.js';
import { duplicateIkeSas } from './duplicate-sas.js';
import { tunnelGroups } from './member-groups.js';
import { applyGroups, initiateMissing, membersUp, unloadUnwanted } from './peer-group-applier.js';
import { connectionIdOf } from './failure-classifier.js';

type Index = 1 | 2;

const keyOf = (connectionId: string, memberIndex: Index): string => `${connectionId}/${memberIndex}`;

/**
 * A route gateway's tunnels as the agent runs them: one tunnel namespace per (route connection,
 * member), each with its own charon (tunnel-network.ts) and a GatewayRuntime for it (status, SA facts
 * and failure reasons read as from a member's charon). The member and VPC routes follow the plan's
 * VPC routes and which tunnels are up (route-plan.ts, route-table-sync.ts), re-synced on every
 * reconcile and every charon event. A tunnel's charon that dies is restarted by the next reconcile
 * (its VICI connection dropping triggers one) unless `lab member fail` holds its member down.
 */
export class RouteTunnels {
  readonly runtimes = new Map<string, GatewayRuntime>();
  /** Connections that get no tunnels, and why (route-plan.ts `routeTunnels`). */
  blocked = new Map<string, Reason>();
  /** Tunnel namespaces built by this agent process, and for which public IP and peer (others are checked once with ensureTunnelNamespace). */
  readonly #built = new Map<string, string>();
  #routeChain: Promise<unknown> = Promise.resolve();
  /** Tunnel charons with a duplicate IKE_SA check pending. */
  readonly #duplicateChecks = new Set<GatewayRuntime>();

  constructor(
    readonly gatewayId: string,
    private readonly labRoot: string,
    private readonly hooks: RuntimeHooks,
    private readonly log?: Logger,
  ) {
    // A restarted agent adopts the tunnels its lab records name.
    for (const r of new LabState(labRoot).all()) {
      if (r.kind === 'tunnel' && r.gateway === gatewayId && r.connectionId && r.memberIndex) this.#runtime(r.connectionId, r.memberIndex);
    }
  }

  #runtime(connectionId: string, memberIndex: Index): GatewayRuntime {
    const key = keyOf(connectionId, memberIndex);
    let rt = this.runtimes.get(key);
    if (!rt) {
      const dir = new LabState(this.labRoot).dirFor('tunnel', tunnelRecordName(connectionId, memberIndex));
      rt = new GatewayRuntime(this.gatewayId, new CharonSupervisor({ ns: tunnelNs(connectionId, memberIndex), dir }), this.hooks, this.log, memberIndex);
      rt.adopt();
      this.runtimes.set(key, rt);
    }
    return rt;
  }

  /**
   * Builds the tunnels `desired` asks for on the members not held down, loads each tunnel charon with
   * its connection's conn for that member, and removes the tunnels no longer wanted. Returns whether
   * an initiation is still owed. Runs under the gateway's lock (one call per member at a time).
   */
  async apply(gw: VpnGateway, plan: GatewayPlan, desired: DesiredGatewayState, cut: ReadonlySet<Index>): Promise<boolean> {
    const { tunnels, blocked } = routeTunnels(desired.connections);
    this.blocked = blocked;
    const wanted = new Set(tunnels.map((t) => keyOf(t.connectionId, t.memberIndex)));
    for (const [key, rt] of [...this.runtimes]) {
      if (wanted.has(key)) continue;
      rt.close();
      const [connectionId, m] = key.split('/') as [string, string];
      await removeTunnelNamespace(this.labRoot, memberNs(gw.id, Number(m) as Index), connectionId, Number(m) as Index);
      this.runtimes.delete(key);
      this.#built.delete(key);
    }
    const settings = { ...(desired.retransmit ? { retransmit: desired.retransmit } : {}), aggressivePsk: desired.aggressivePsk };
    let retry = false;
    for (const t of tunnels) {
      const rt = this.#runtime(t.connectionId, t.memberIndex);
      rt.plan = plan;
      if (cut.has(t.memberIndex)) {
        rt.close(); // `lab member fail` killed its charon; `recover` brings it back here
        continue;
      }
      // One tunnel that cannot be built (a rule left by another, a failed command) fails alone: the
      // others, the report and the routes still run; its connection shows why, and it is retried.
      try {
        retry = (await this.#applyTunnel(gw, t, rt, desired, settings)) || retry;
      } catch (err) {
        this.log?.warn({ err, gateway: gw.id, connection: t.connectionId, member: t.memberIndex }, 'route tunnel not applied; retrying');
        // A charon that went away is restarted by the next pass: not a failure to show on the connection.
        if (!(err instanceof ViciConnectionError))
          rt.failures.set(t.connectionId, { reason: reason('internal_error', err instanceof Error ? err.message : String(err)), at: Date.now() });
        retry = true;
      }
    }
    return retry;
  }

  async #applyTunnel(
    gw: VpnGateway,
    t: RouteTunnelSpec,
    rt: GatewayRuntime,
    desired: DesiredGatewayState,
    settings: Parameters<CharonSupervisor['configure']>[0],
  ): Promise<boolean> {
    const key = keyOf(t.connectionId, t.memberIndex);
    const spec = `${t.publicIp}>${t.peerIp}`;
    const before = this.#built.get(key);
    if (before !== undefined && before !== spec) {
      // The peer's address (or the member's) changed: the member's rule steers the old peer to this
      // namespace, so the tunnel is built again from nothing.
      rt.close();
      await removeTunnelNamespace(this.labRoot, memberNs(gw.id, t.memberIndex), t.connectionId, t.memberIndex);
      rt.applied.clear();
      this.#built.delete(key);
    }
    const changed = rt.supervisor.configure(settings);
    const pid = rt.supervisor.pid();
    if (pid === undefined || this.#built.get(key) !== spec) {
      await ensureTunnelNamespace({
        labRoot: this.labRoot,
        memberNs: memberNs(gw.id, t.memberIndex),
        memberIndex: t.memberIndex,
        connectionId: t.connectionId,
        publicIp: t.publicIp,
        peerIp: t.peerIp,
        gatewayId: gw.id,
        charon: settings,
      });
      this.#built.set(key, spec);
    }
    if (rt.supervisor.pid() !== pid) {
      rt.applied.clear(); // a new charon has nothing loaded
      rt.close();
    } else if (changed) {
      await (await rt.connect()).reloadSettings();
    }
    const vici = await rt.connect();
    const d = desired.connections.find((c) => c.connectionId === t.connectionId)!;
    const groups = tunnelGroups(d, t.memberIndex);
    const known = rt.regroup(new Map(groups.map((g) => [g.name, g.connectionIds])));
    let loaded = new Set<string>();
    try {
      loaded = await applyGroups(vici, groups, rt.applied);
      rt.firstLoads.note(loaded, known);
      for (const id of loaded) rt.failures.delete(id);
      await unloadUnwanted(vici, groups, rt.applied);
    } finally {
      rt.saveApplied();
    }
    // The CHILDs just loaded are charon's to start (its start action): initiating them too would race it.
    return initiateMissing(vici, groups, await vici.listSas(), loaded);
  }

  /**
   * Closes one of two IKE_SAs both ends initiated (duplicate-sas.ts), once the pair has outlived
   * INITIAL_CONTACT: a DELETE for one of them may still be on its way from the peer.
   */
  closeDuplicates(seen: ReadonlyMap<GatewayRuntime, readonly ViciNamedSection[]>): void {
    for (const rt of this.runtimes.values()) {
      const sas = seen.get(rt);
      if (!sas || this.#duplicateChecks.has(rt) || duplicateIkeSas(sas).length === 0) continue;
      this.#duplicateChecks.add(rt);
      setTimeout(() => void this.#closeDuplicatesOf(rt), DUPLICATE_GRACE_MS).unref();
    }
  }

  async #closeDuplicatesOf(rt: GatewayRuntime): Promise<void> {
    try {
      const vici = rt.vici;
      if (!vici) return;
      for (const ikeId of duplicateIkeSas(await vici.listSas())) {
        this.log?.info({ gateway: this.gatewayId, member: rt.memberIndex, ikeId }, 'closing a duplicate IKE_SA (both ends initiated)');
        await vici.terminate({ ikeId }, { timeoutMs: -1 });
      }
    } catch {
      // charon gone or restarting: its next life starts without duplicates
    } finally {
      this.#duplicateChecks.delete(rt);
    }
  }

  /** The tunnel runtimes whose charon runs (members held down excluded). */
  live(cut: ReadonlySet<Index>): GatewayRuntime[] {
    return [...this.runtimes.values()].filter((rt) => rt.vici && !cut.has(rt.memberIndex));
  }

  /** One state per tunnel: up while its charon has an INSTALLED CHILD_SA (a dead or unread charon is down). */
  states(seen: ReadonlyMap<GatewayRuntime, readonly ViciNamedSection[]>): TunnelState[] {
    const up = membersUp(new Map([...this.runtimes.values()].map((rt) => [rt, seen.get(rt) ?? []])), connectionIdOf);
    return [...this.runtimes].map(([key, rt]) => {
      const connectionId = key.split('/')[0]!;
      return { connectionId, memberIndex: rt.memberIndex, up: up.get(connectionId)?.includes(rt.memberIndex) ?? false };
    });
  }

  /**
   * Makes each live member's routes toward its tunnel namespaces, and the VPC's routing-table routes
   * via the members, follow `plan.vpcRoutes` and `states`. Serialized: charon events and reconciles
   * both call it; each run reads the kernel afresh.
   */
  syncRoutes(gw: VpnGateway, plan: GatewayPlan, cut: ReadonlySet<Index>, states: readonly TunnelState[]): Promise<void> {
    const run = this.#routeChain.then(async () => {
      for (const m of gw.members) if (!cut.has(m.index)) await syncMemberRoutes(memberNs(gw.id, m.index), memberRoutePlan(m.index, plan.vpcRoutes, states));
      const members = gw.members.map((m) => ({ index: m.index, publicIp: cut.has(m.index) ? null : m.publicIp, privateIp: m.privateIp.address }));
      const distribute = new Set(plan.connections.filter((c) => c.distributeTraffic).map((c) => c.id));
      await syncVpcRoutes(
        vpcNs(gw.vpcId),
        vpcRoutePlan(plan.vpcRoutes, states, members, (id) => distribute.has(id)),
        members.map((m) => m.privateIp),
      );
    });
    this.#routeChain = run.catch(() => undefined);
    return run;
  }

  close(): void {
    for (const rt of this.runtimes.values()) rt.close();
  }
}

/** How long a pair of IKE_SAs of one tunnel stays before one is closed (INITIAL_CONTACT settles it within an exchange). */
const DUPLICATE_GRACE_MS = 2_000;

/**
 * Removes every tunnel namespace of a gateway (its charons by PID) and, when the VPC namespace stays,
 * the gateway's routing-table routes in it: its hops, and the VPC's drop and delegate routes unless
 * another gateway that stays holds them (the plan's `vpcRoutesShared`).
 */
export async function removeRouteTunnels(
  labRoot: string,
  gatewayId: string,
  vpcId: string | undefined,
  privateIps: readonly string[],
  vpcRoutesShared: boolean,
): Promise<void> {
  for (const r of new LabState(labRoot).all()) {
    if (r.kind !== 'tunnel' || r.gateway !== gatewayId || !r.connectionId || !r.memberIndex) continue;
    await removeTunnelNamespace(labRoot, memberNs(gatewayId, r.memberIndex), r.connectionId, r.memberIndex).catch(() => undefined);
  }
  if (vpcId && privateIps.length > 0)
    await syncVpcRoutes(vpcNs(vpcId), { routes: [], rules: [], leaveTyped: vpcRoutesShared }, privateIps).catch(() => undefined);
}
