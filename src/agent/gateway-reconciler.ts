import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { AgentReport, GatewayPlan } from '../control/index.js';
import { ensureGatewayNetwork, removeGatewayNetwork, syncGatewaySelectors } from '../dataplane/lab/gateway-network.js';
import { deleteNamespace } from '../dataplane/lab/ip-command.js';
import { ensureInternet } from '../dataplane/lab/lab-internet.js';
import { gatewayNs, vpcNs } from '../dataplane/lab/lab-names.js';
import { LabState } from '../dataplane/lab/lab-state.js';
import { gatewayLayout } from '../dataplane/lab/network-layout.js';
import { translateGateway } from '../dataplane/strongswan/peer-group-translator.js';
import type { DesiredGatewayState } from '../domain/desired-state.js';
import { reason } from '../domain/status-reasons.js';
import type { VpnGateway } from '../domain/gateway.js';
import { NO_TELEMETRY, type Telemetry } from '../domain/telemetry.js';
import type { AgentBackend, LabSettings } from './agent-backend.js';
import { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { connectionIdOf } from './failure-classifier.js';
import { GatewayRuntime } from './gateway-runtime.js';
import { saFactsOf } from './sa-facts-reader.js';
import { applyGroups, connectionsUp, initiateMissing, unloadUnwanted } from './peer-group-applier.js';

export interface ReconcilerDeps {
  readonly backend: AgentBackend;
  readonly lab: LabSettings;
  /** <data-dir>/lab: one directory per gateway (charon conf, socket, log, pid). */
  readonly labRoot: string;
  readonly logger?: Logger;
  /** Called when charon reports something, so the loop refreshes that gateway's status soon. */
  readonly poke: (gatewayId: string) => void;
  /** Called when the VICI connection to a gateway's charon drops, so the loop reconciles it now. */
  readonly lost: (gatewayId: string) => void;
  /** Metrics: reconcile durations, queue depth, charon restarts (NO_TELEMETRY when absent). */
  readonly telemetry?: Telemetry;
}

/** The namespace pass is skipped while its input is unchanged, but re-verified this often (level-based). */
const NETWORK_RECHECK_MS = 60_000;

/** What a connection charon has no SA for reports: so a tunnel that went away is seen going down. */
const NO_SAS = { ikeState: null, children: [] } as const;

const hashOf = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

export type ReconcileResult = { readonly requeueAfterMs?: number };

/**
 * Level-based reconcile of one gateway: desired state from the store against what charon has.
 * Connections become peer groups (one IKE conn per peer identity, one CHILD set per connection; see
 * peer-group-translator.ts); only what changed is reloaded and only its SAs are replaced. Idempotent;
 * the key is only the gateway id.
 */
export class GatewayReconciler {
  readonly #runtimes = new Map<string, GatewayRuntime>();

  readonly #labState: LabState;

  constructor(private readonly d: ReconcilerDeps) {
    this.#labState = new LabState(d.labRoot);
  }

  /** The gateways this agent has built something for (its lab records), whether the store still has them or not. */
  builtGatewayIds(): string[] {
    return this.#labState
      .all()
      .filter((r) => r.kind === 'gateway')
      .map((r) => r.name);
  }

  runtime(gatewayId: string): GatewayRuntime | undefined {
    return this.#runtimes.get(gatewayId);
  }

  async reconcile(gatewayId: string): Promise<ReconcileResult> {
    const plan = await this.d.backend.plan(gatewayId);
    const gw = plan.gateway;
    if (!gw || gw.lifecycleState === 'deleting' || !plan.desired) {
      await this.#teardown(gatewayId, plan);
      return {};
    }
    const rt = this.#runtime(gw);
    rt.plan = plan;
    try {
      return await this.#apply(rt, gw, plan, plan.desired);
    } catch (err) {
      rt.network = undefined; // whatever failed, the next attempt re-checks the namespaces too
      throw err;
    }
  }

  async #apply(rt: GatewayRuntime, gw: VpnGateway, plan: GatewayPlan, desired: DesiredGatewayState): Promise<ReconcileResult> {
    const live = plan.connections.filter((c) => c.lifecycleState !== 'deleting');
    const layout = gatewayLayout(
      gw,
      plan.subnets,
      live.filter((c) => c.adminStateUp),
    );
    const { extraLocalAddresses, peerRoutes, ...base } = layout;
    const baseHash = hashOf(base);
    const selectors = { extraLocalAddresses, peerRoutes };
    const stale = !rt.network || Date.now() - rt.network.at > NETWORK_RECHECK_MS;
    if (stale || rt.network?.base !== baseHash) {
      this.#labState.noteInternet(this.d.lab.internetNs);
      await ensureInternet([this.d.lab.pools.gateways, this.d.lab.pools.sites], this.d.lab.internetNs);
      this.#labState.put({
        kind: 'gateway',
        name: gw.id,
        ns: gatewayNs(gw.id),
        dir: this.#labState.dirFor('gateway', gw.id),
        vpcNs: vpcNs(gw.vpcId),
        internetNs: this.d.lab.internetNs,
      });
      await ensureGatewayNetwork(layout, this.d.lab.pools.gateways, this.d.lab.internetNs);
      rt.network = { base: baseHash, selectors, at: Date.now() };
    } else if (hashOf(rt.network.selectors) !== hashOf(selectors)) {
      await syncGatewaySelectors(layout, rt.network.selectors);
      rt.network = { ...rt.network, selectors };
    }

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
    const groups = translateGateway(desired.connections);
    rt.members = new Map(groups.map((g) => [g.name, g.connectionIds]));
    rt.overridden = new Map(groups.flatMap((g) => g.overridden.map((id) => [id, g.connectionIds[0]!] as const)));
    let loaded = new Set<string>();
    try {
      loaded = await applyGroups(vici, groups, rt.applied);
      for (const id of loaded) rt.failures.delete(id);
      await unloadUnwanted(vici, groups, rt.applied);
    } finally {
      rt.saveApplied();
    }
    if (plan.connections.some((c) => c.lifecycleState === 'deleting')) await this.d.backend.released(gw.id, 'connections', plan.generation);
    const retry = await initiateMissing(vici, groups, await vici.listSas({ noblock: true }), loaded);
    await this.#report(rt, { lifecycleState: 'stable', healthState: 'ok', reasons: [] });
    return { requeueAfterMs: retry ? 3_000 : 15_000 };
  }

  /** Status is the truth: a connection is up when one of its CHILD_SAs is installed. */
  async refreshStatus(gatewayId: string): Promise<void> {
    const rt = this.#runtimes.get(gatewayId);
    if (rt?.vici) await this.#report(rt);
  }

  async #report(rt: GatewayRuntime, gateway?: AgentReport['gateway']): Promise<void> {
    if (!rt.vici || !rt.plan) return;
    // A fresh list-sas, never one read before this reconcile's initiations: a status refresh that ran
    // meanwhile (on a charon event) must not be overwritten by an older picture.
    const sas = await rt.vici.listSas({ noblock: true });
    const up = connectionsUp(sas, connectionIdOf);
    const facts = saFactsOf(sas, connectionIdOf, rt.members);
    const connections = rt.plan.connections
      .filter((c) => c.lifecycleState !== 'deleting')
      .map((c) => {
        const isUp = up.has(c.id);
        if (isUp) rt.failures.delete(c.id); // a reason explains a failure after the last time it was up
        const failure = rt.failures.get(c.id);
        const leader = rt.overridden.get(c.id);
        return {
          id: c.id,
          sa: facts.get(c.id) ?? NO_SAS,
          status: isUp ? ('up' as const) : ('down' as const),
          reasons: [
            ...(isUp || !c.adminStateUp || !failure ? [] : [failure]),
            ...(leader ? [reason('peer_settings_shared', `the leading connection is ${leader}`)] : []),
          ],
        };
      });
    await this.d.backend.report(rt.gatewayId, { generation: rt.plan.generation, ...(gateway ? { gateway } : {}), connections });
  }

  #runtime(gw: VpnGateway): GatewayRuntime {
    let rt = this.#runtimes.get(gw.id);
    if (!rt) {
      const supervisor = new CharonSupervisor(
        { ns: gatewayNs(gw.id), dir: this.#labState.dirFor('gateway', gw.id) },
        { onRestart: () => (this.d.telemetry ?? NO_TELEMETRY).charonRestart(gw.id) },
      );
      rt = new GatewayRuntime(gw.id, supervisor, { onEvent: () => this.d.poke(gw.id), onLost: () => this.d.lost(gw.id) }, this.d.logger);
      rt.adopt();
      this.#runtimes.set(gw.id, rt);
    }
    return rt;
  }

  async #teardown(gatewayId: string, plan: GatewayPlan): Promise<void> {
    const gw = plan.gateway;
    const rt = this.#runtimes.get(gatewayId) ?? (gw ? this.#runtime(gw) : undefined);
    rt?.close();
    await rt?.supervisor.stop();
    this.#runtimes.delete(gatewayId);
    if (gw) {
      const active = gw.members.find((m) => m.role === 'active') ?? gw.members[0]!;
      await removeGatewayNetwork(gw.id, gw.vpcId, active.privateIp.address, plan.vpcShared);
      await this.d.backend.released(gw.id, 'gateway', plan.generation);
    } else {
      // The gateway is gone from the store before its network was: what the lab record names still goes.
      const rec = this.#labState.get('gateway', gatewayId);
      if (rec) {
        await deleteNamespace(rec.ns);
        const shared = this.#labState.all().some((r) => r.kind === 'gateway' && r.name !== gatewayId && r.vpcNs === rec.vpcNs);
        if (rec.vpcNs && !shared) await deleteNamespace(rec.vpcNs);
      }
    }
    this.#labState.remove('gateway', gatewayId);
  }

  /** Stops watching (charon keeps running, so a restarted agent adopts its tunnels). */
  close(): void {
    for (const rt of this.#runtimes.values()) rt.close();
  }
}
