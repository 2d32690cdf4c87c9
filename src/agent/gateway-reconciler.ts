import type { Logger } from 'pino';
import type { GatewayPlan } from '../control/index.js';
import { LabState } from '../dataplane/lab/lab-state.js';
import { gatewayLayout } from '../dataplane/lab/network-layout.js';
import type { DesiredGatewayState } from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';
import { NO_TELEMETRY, type Telemetry } from '../domain/telemetry.js';
import type { AgentBackend, LabSettings } from './agent-backend.js';
import { haTrace } from './failover-trace.js';
import { type GatewayMembers, openGatewayMembers } from './gateway-members.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { claimActivePlacement, fullMemberNetwork, type NetworkDeps, syncMemberNetwork } from './member-network.js';
import { RouteTunnels } from './route-tunnels.js';
import { removeGatewayLab } from './gateway-teardown.js';
import { ViciConnectionError, type ViciNamedSection } from '../dataplane/vici/index.js';
import { applyMember, FAILOVER_HURRY_MS, type InitiateMissing, syncStandbys } from './member-apply.js';
import { reportGateway, reportMembers } from './gateway-report.js';
import { endActivePass } from './pass-report.js';

export interface ReconcilerDeps {
  readonly backend: AgentBackend;
  readonly lab: LabSettings;
  /** <data-dir>/lab: one directory per gateway, one charon directory per member (conf, socket, log, pid). */
  readonly labRoot: string;
  readonly logger?: Logger;
  /** Called when charon reports something, so the loop refreshes that gateway's status soon. */
  readonly poke: (gatewayId: string) => void;
  /** Called when the VICI connection to a member's charon drops (or a fail marker comes or goes), so the loop reconciles it now. */
  readonly lost: (gatewayId: string) => void;
  /** Metrics: reconcile durations, queue depth, charon restarts (NO_TELEMETRY when absent). */
  readonly telemetry?: Telemetry;
}

/** `standby`: a policy standby is to be brought in line (`syncStandby`) once nothing else waits. */
export type ReconcileResult = { readonly requeueAfterMs?: number; readonly standby?: boolean };

type Index = 1 | 2;

/**
 * Level-based reconcile of one gateway: desired state from the store against what each member's
 * charon has. Connections become peer groups (one IKE conn per peer identity, one CHILD set per
 * connection; see peer-group-translator.ts); only what changed is reloaded and only its SAs are
 * replaced. Each member runs in its own namespace with its own charon. Policy mode: the active member
 * holds the public IP and the VPC's routes, the standby holds the same conns without start actions;
 * when the active member's charon dies (or `lab member fail` cuts it) the standby takes the address
 * and the routes and initiates at once. Route mode: both members active, each with its own tunnels.
 * Idempotent; the key is only the gateway id.
 */
export class GatewayReconciler {
  readonly #gateways = new Map<string, GatewayMembers>();

  readonly #labState: LabState;

  readonly #net: NetworkDeps;

  constructor(private readonly d: ReconcilerDeps) {
    this.#labState = new LabState(d.labRoot);
    this.#net = { lab: d.lab, labState: this.#labState };
  }

  /** The gateways this agent has built something for (its lab records), whether the store still has them or not. */
  builtGatewayIds(): string[] {
    return this.#labState
      .all()
      .filter((r) => r.kind === 'gateway')
      .map((r) => r.name);
  }

  /** A member's runtime (tests, metrics). */
  runtime(gatewayId: string, index: Index = 1): GatewayRuntime | undefined {
    return this.#gateways.get(gatewayId)?.runtimes.get(index);
  }

  /** Whether a lost member of this gateway means a failover (policy mode): then it goes ahead of all other work. */
  failsOver(gatewayId: string): boolean {
    return this.#gateways.get(gatewayId)?.mode === 'policy';
  }

  async reconcile(gatewayId: string): Promise<ReconcileResult> {
    haTrace(gatewayId, 'reconcile start');
    const plan = await this.d.backend.plan(gatewayId);
    const gw = plan.gateway;
    const desired = plan.desired;
    if (!gw || gw.lifecycleState === 'deleting' || !desired) {
      // Under the gateway's lock: a standby sync or an apply still running must not start a charon
      // while the teardown stops them.
      const g = this.#gateways.get(gatewayId);
      await (g ? g.locked(() => this.#teardown(gatewayId, plan)) : this.#teardown(gatewayId, plan));
      return {};
    }
    const g = this.#members(gw);
    return g.locked(async () => {
      haTrace(gatewayId, 'reconcile locked');
      g.urgent = false; // this reconcile reads the markers and the charons afresh
      g.plan = plan;
      g.mode = gw.mode;
      for (const rt of g.runtimes.values()) rt.plan = plan;
      try {
        return await this.#apply(g, gw, plan, desired);
      } catch (err) {
        // Whatever failed, the next attempt re-checks the namespaces too; except a charon that went
        // away, which says nothing about them: its failover keeps the short path.
        if (!(err instanceof ViciConnectionError)) g.network = undefined;
        throw err;
      }
    });
  }

  async #apply(g: GatewayMembers, gw: VpnGateway, plan: GatewayPlan, desired: DesiredGatewayState): Promise<ReconcileResult> {
    // Who runs: the members `lab member fail` holds down, charons that died, and (policy) the active one.
    const cut = g.readCut();
    const recovered = [...g.cut].some((i) => !cut.has(i));
    const cutChanged = recovered || [...cut].some((i) => !g.cut.has(i));
    g.cut = cut;
    for (const rt of g.runtimes.values()) if (rt.vici && rt.supervisor.pid() === undefined) rt.close();
    const failover = gw.mode === 'policy' && g.promote(cut);
    if (failover) {
      g.failoverAt = Date.now();
      this.d.logger?.info({ gateway: g.gatewayId, active: g.active }, 'gateway member failover');
    }
    // The roles and failures show at once, before any namespace or charon work (a failover's beside it).
    const shown = failover || cutChanged ? reportMembers(this.d.backend, g) : Promise.resolve();

    const live = plan.connections.filter((c) => c.lifecycleState !== 'deleting');
    const layout = gatewayLayout(
      gw,
      plan.subnets,
      live.filter((c) => c.adminStateUp),
      { active: g.active, cut },
    );
    let retry = false;
    const members = gw.members.map((m) => m.index).filter((i) => !cut.has(i));
    const actives = members.filter((x) => g.roleOf(x) === 'active');
    if (failover && g.network) {
      // The failover path, shortest first: the address onto the new active member (one `ip` process,
      // announced), then its conns with start actions (charon initiates at once) while the VPC's routes
      // move; the rest of the network pass after. No initiateMissing now: charon's start action is
      // initiating, a second initiate would race it. The retry comes with the requeue a second later.
      await claimActivePlacement(
        this.#net,
        layout,
        (step) => haTrace(gw.id, step),
        async () => {
          for (const i of actives) await applyMember(g, g.runtimes.get(i)!, desired, 'active', false);
        },
      );
      haTrace(gw.id, 'new active loaded, routes moved');
    }
    await shown;
    const deferred = await syncMemberNetwork(this.#net, g, gw, layout, recovered);
    haTrace(gw.id, 'member network synced');
    const initiations: [GatewayRuntime, InitiateMissing][] = [];
    if (!failover || !g.network)
      for (const i of actives) {
        const rt = g.runtimes.get(i)!;
        const initiate = await applyMember(g, rt, desired, 'active');
        if (initiate) initiations.push([rt, initiate]);
      }
    if (gw.mode === 'route') retry = (await this.#tunnels(g).apply(gw, plan, desired, cut)) || retry;
    if (plan.connections.some((c) => c.lifecycleState === 'deleting')) await this.d.backend.released(gw.id, 'connections', plan.generation);
    const { report, owed, readLater } = await endActivePass(this.d.backend, g, initiations, { failover, cutChanged, poke: () => this.d.poke(gw.id) });
    retry = owed || retry;
    await this.#syncRoutes(g, report?.seen);
    // The full pass is not urgent: it gives way to a failover that is already waiting (the next reconcile runs it).
    if (deferred && g.urgent) g.network = g.network && { ...g.network, at: 0 };
    else if (deferred) await fullMemberNetwork(this.#net, g, gw, layout);
    haTrace(gw.id, `reconcile end${deferred ? ' (full network pass)' : ''}${readLater ? ' (status read left to a refresh)' : ''}`);
    // For a while after a failover, every second until the tunnels are up: a lost first attempt is
    // retried (initiateMissing) without waiting for the usual 3 s or 15 s.
    const hurry = !report?.settled && Date.now() - g.failoverAt < FAILOVER_HURRY_MS;
    return { requeueAfterMs: hurry ? 1_000 : retry ? 3_000 : 15_000, ...(gw.mode === 'policy' ? { standby: true } : {}) };
  }

  /**
   * Brings a policy gateway's standby in line with the last reconcile's plan (started, the same conns
   * without start actions). The agent runs it after the active member's work, once nothing else waits,
   * coalesced: loading the standby never delays a tunnel's first `up`.
   */
  async syncStandby(gatewayId: string): Promise<void> {
    const g = this.#gateways.get(gatewayId);
    if (g)
      await g.locked(async () => {
        if (this.#gateways.get(gatewayId) === g) await syncStandbys(g, this.d.backend); // not if torn down meanwhile
      });
  }

  /** Reads every live charon and reports the status (gateway-report.ts); route mode: the routes follow. */
  async refreshStatus(gatewayId: string): Promise<void> {
    const g = this.#gateways.get(gatewayId);
    if (g) await this.#syncRoutes(g, (await reportGateway(this.d.backend, g))?.seen);
  }

  /** A route gateway's tunnel charons (made on first use). */
  #tunnels(g: GatewayMembers): RouteTunnels {
    g.routeTunnels ??= new RouteTunnels(
      g.gatewayId,
      this.d.labRoot,
      { onEvent: () => this.d.poke(g.gatewayId), onLost: () => this.d.lost(g.gatewayId) },
      this.d.logger,
    );
    return g.routeTunnels;
  }

  /** Route mode: the member and VPC routes follow the tunnels' state as `seen` by the last report. */
  async #syncRoutes(g: GatewayMembers, seen: ReadonlyMap<GatewayRuntime, readonly ViciNamedSection[]> | undefined): Promise<void> {
    if (this.#gateways.get(g.gatewayId) !== g) return; // torn down meanwhile: its routes are gone for good
    const gw = g.plan?.gateway;
    if (!seen || !gw || gw.mode !== 'route' || !g.routeTunnels || !g.network) return;
    g.routeTunnels.closeDuplicates(seen);
    await g.routeTunnels.syncRoutes(gw, g.plan!, g.cut, g.routeTunnels.states(seen));
  }

  #members(gw: VpnGateway): GatewayMembers {
    const known = this.#gateways.get(gw.id);
    if (known) return known;
    const g = openGatewayMembers(gw, this.#labState.dirFor('gateway', gw.id), {
      poke: () => this.d.poke(gw.id),
      lost: () => this.d.lost(gw.id),
      telemetry: this.d.telemetry ?? NO_TELEMETRY,
      ...(this.d.logger ? { logger: this.d.logger } : {}),
    });
    this.#gateways.set(gw.id, g);
    return g;
  }

  async #teardown(gatewayId: string, plan: GatewayPlan): Promise<void> {
    const gw = plan.gateway;
    const g = this.#gateways.get(gatewayId) ?? (gw ? this.#members(gw) : undefined);
    g?.close();
    for (const rt of g?.runtimes.values() ?? []) await rt.supervisor.stop();
    this.#gateways.delete(gatewayId);
    await removeGatewayLab({ labRoot: this.d.labRoot, labState: this.#labState, backend: this.d.backend }, gatewayId, plan);
  }

  /** Stops watching (charons keep running, so a restarted agent adopts their tunnels). */
  close(): void {
    for (const g of this.#gateways.values()) g.close();
  }
}
