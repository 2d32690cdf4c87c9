import type { Logger } from 'pino';
import type { ControlDeps } from '../control/control-deps.js';
import { finalizeDeletes } from '../control/finalize-deletes.js';
import { reportConnectionStatus, reportGatewayHealth } from '../control/report-status.js';
import { ensureGatewayNetwork, removeGatewayNetwork } from '../dataplane/lab/gateway-network.js';
import { ensureInternet } from '../dataplane/lab/lab-internet.js';
import { gatewayNs, vpcNs } from '../dataplane/lab/lab-names.js';
import { LabState } from '../dataplane/lab/lab-state.js';
import { gatewayLayout } from '../dataplane/lab/network-layout.js';
import { translate } from '../dataplane/strongswan/conn-translator.js';
import type { Cidr } from '../domain/cidr.js';
import { desiredGatewayState, type DesiredConnection } from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';
import { getGateway, gatewaysOfVpc } from '../store/gateway-store.js';
import { subnetsOfVpc } from '../store/network-store.js';
import { getIkePolicies, getIpsecPolicies } from '../store/policy-store.js';
import { CharonSupervisor } from './charon-supervisor.js';
import { connectionIdOf } from './failure-classifier.js';
import { GatewayRuntime } from './gateway-runtime.js';

export interface ReconcilerDeps {
  readonly control: ControlDeps;
  /** <data-dir>/lab: one directory per gateway (charon conf, socket, log, pid). */
  readonly labRoot: string;
  readonly pools: { readonly gateways: Cidr; readonly sites: Cidr };
  /** The lab internet's namespace. */
  readonly internetNs: string;
  readonly logger?: Logger;
  /** Called when charon reports something, so the loop refreshes that gateway's status soon. */
  readonly poke: (gatewayId: string) => void;
}

export type ReconcileResult = { readonly requeueAfterMs?: number };

/**
 * Level-based reconcile of one gateway: desired state from the store against what charon has.
 * Only connections whose content changed are reloaded (and their SA replaced); everything else is
 * left alone. Idempotent; the key is only the gateway id.
 */
export class GatewayReconciler {
  readonly #runtimes = new Map<string, GatewayRuntime>();

  readonly #labState: LabState;

  constructor(private readonly d: ReconcilerDeps) {
    this.#labState = new LabState(d.labRoot);
  }

  runtime(gatewayId: string): GatewayRuntime | undefined {
    return this.#runtimes.get(gatewayId);
  }

  async reconcile(gatewayId: string): Promise<ReconcileResult> {
    const { control } = this.d;
    const gw = await getGateway(control.db, gatewayId);
    if (!gw || gw.lifecycleState === 'deleting') {
      await this.#teardown(gatewayId, gw);
      return {};
    }
    const subnets = await subnetsOfVpc(control.db, gw.vpcId);
    const all = await control.connections.ofGateway(control.db, gw.id);
    const live = all.filter((c) => c.lifecycleState !== 'deleting');
    const ike = new Map((await getIkePolicies(control.db, live.flatMap((c) => (c.ikePolicyId ? [c.ikePolicyId] : [])))).map((p) => [p.id, p]));
    const esp = new Map((await getIpsecPolicies(control.db, live.flatMap((c) => (c.ipsecPolicyId ? [c.ipsecPolicyId] : [])))).map((p) => [p.id, p]));
    const desired = desiredGatewayState(gw, live.map((c) => ({
      connection: c,
      ...(c.ikePolicyId ? { ikePolicy: ike.get(c.ikePolicyId) } : {}),
      ...(c.ipsecPolicyId ? { ipsecPolicy: esp.get(c.ipsecPolicyId) } : {}),
    })));

    await ensureInternet([this.d.pools.gateways, this.d.pools.sites], this.d.internetNs);
    this.#labState.put({ kind: 'gateway', name: gw.id, ns: gatewayNs(gw.id), dir: this.#labState.dirFor('gateway', gw.id), vpcNs: vpcNs(gw.vpcId), internetNs: this.d.internetNs });
    await ensureGatewayNetwork(gatewayLayout(gw, subnets, live.filter((c) => c.adminStateUp)), this.d.pools.gateways, this.d.internetNs);

    const rt = this.#runtime(gw, desired.retransmit ?? undefined, desired.aggressivePsk);
    if (await rt.supervisor.ensure()) {
      rt.applied.clear(); // a new charon has nothing loaded
      rt.close();
    }
    const vici = await rt.connect();
    const wanted = new Set<string>();
    for (const d of desired.connections) {
      if (!d.adminStateUp) continue;
      const t = translate(d);
      t.names.conns.forEach((n) => wanted.add(n));
      if (rt.applied.get(d.connectionId) === d.hash) continue;
      const changed = rt.applied.has(d.connectionId);
      // Keys first: a conn with start_action=start initiates the moment it is loaded.
      for (const s of t.shared) await vici.loadShared({ id: s.id, type: s.type, data: s.data, owners: s.owners });
      for (const [name, body] of Object.entries(t.conns)) await vici.loadConn(name, body as never);
      if (changed) await this.#replaceSas(rt, d, t.names.conns, t.names.children);
      rt.applied.set(d.connectionId, d.hash);
      rt.failures.delete(d.connectionId);
    }
    // Unload what is no longer wanted: deleted, admin down, or left over from an earlier life.
    for (const name of await vici.getConns()) {
      if (!name.startsWith('cw-') || wanted.has(name)) continue;
      await vici.unloadConn(name).catch(() => undefined);
      await vici.terminate({ ike: name }, { force: true, timeoutMs: -1 }).catch(() => undefined);
      await vici.unloadShared(`psk-${name}`).catch(() => undefined);
      const id = connectionIdOf(name);
      if (id) rt.applied.delete(id);
    }
    if (all.some((c) => c.lifecycleState === 'deleting')) await finalizeDeletes(control, (g) => g === gw.id);
    await reportGatewayHealth(control, gw.id, { lifecycleState: 'stable', healthState: 'ok', reasons: [] });
    const retry = await this.#initiateIdle(rt, desired.connections);
    await this.refreshStatus(gw.id);
    return { requeueAfterMs: retry ? 3_000 : 15_000 };
  }

  /**
   * Bidirectional connections with no IKE_SA at all (a refused or unanswered attempt ends there:
   * charon does not retry after NO_PROPOSAL_CHOSEN or a missing key) are initiated again.
   * Returns whether any was.
   */
  async #initiateIdle(rt: GatewayRuntime, connections: readonly DesiredConnection[]): Promise<boolean> {
    const vici = rt.vici!;
    const present = new Set((await vici.listSas({ noblock: true })).map((sa) => sa.name));
    let any = false;
    for (const d of connections) {
      if (!d.adminStateUp || d.establish.startAction !== 'start') continue;
      const t = translate(d);
      for (const ike of t.names.conns) {
        if (present.has(ike)) continue;
        any = true;
        const child = t.names.children.find((c) => c.startsWith(`${ike}-`));
        if (child) await vici.initiate({ child, ike, timeoutMs: -1 }).catch(() => undefined);
      }
    }
    return any;
  }

  /** An SA built from the old configuration is replaced: terminate, then initiate unless peer_only. */
  async #replaceSas(rt: GatewayRuntime, d: DesiredConnection, conns: readonly string[], children: readonly string[]): Promise<void> {
    const vici = rt.vici!;
    for (const ike of conns) await vici.terminate({ ike }, { timeoutMs: -1 }).catch(() => undefined);
    if (d.establish.startAction !== 'start') return;
    for (const child of children) await vici.initiate({ child, timeoutMs: -1 }).catch(() => undefined);
  }

  /** Status is the truth: a connection is up when one of its CHILD_SAs is installed. */
  async refreshStatus(gatewayId: string): Promise<void> {
    const rt = this.#runtimes.get(gatewayId);
    if (!rt?.vici) return;
    const sas = await rt.vici.listSas({ noblock: true });
    const up = new Set<string>();
    for (const sa of sas) {
      const id = connectionIdOf(sa.name);
      const children = (sa.value['child-sas'] ?? {}) as Record<string, Record<string, unknown>>;
      if (id && Object.values(children).some((c) => c['state'] === 'INSTALLED')) up.add(id);
    }
    for (const c of await this.d.control.connections.ofGateway(this.d.control.db, gatewayId)) {
      if (c.lifecycleState === 'deleting') continue;
      const isUp = up.has(c.id);
      const failure = rt.failures.get(c.id);
      await reportConnectionStatus(this.d.control, c.id, {
        status: isUp ? 'up' : 'down',
        reasons: isUp || !c.adminStateUp || !failure ? [] : [failure],
        lifecycleState: 'stable',
      });
    }
  }

  #runtime(gw: VpnGateway, retransmit: { timeout: number; base: number; tries: number } | undefined, aggressivePsk: boolean): GatewayRuntime {
    let rt = this.#runtimes.get(gw.id);
    if (!rt) {
      const supervisor = new CharonSupervisor({
        ns: gatewayNs(gw.id), dir: this.#labState.dirFor('gateway', gw.id), aggressivePsk,
        ...(retransmit ? { retransmit } : {}),
      });
      rt = new GatewayRuntime(gw.id, supervisor, () => this.d.poke(gw.id), this.d.logger);
      this.#runtimes.set(gw.id, rt);
    }
    return rt;
  }

  async #teardown(gatewayId: string, gw: VpnGateway | undefined): Promise<void> {
    const rt = this.#runtimes.get(gatewayId) ?? (gw ? this.#runtime(gw, undefined, false) : undefined);
    rt?.close();
    await rt?.supervisor.stop();
    this.#runtimes.delete(gatewayId);
    if (gw) {
      const others = (await gatewaysOfVpc(this.d.control.db, gw.vpcId)).filter((g) => g.id !== gw.id && g.lifecycleState !== 'deleting');
      const active = gw.members.find((m) => m.role === 'active') ?? gw.members[0]!;
      await removeGatewayNetwork(gw.id, gw.vpcId, active.privateIp.address, others.length > 0);
      await finalizeDeletes(this.d.control, (g) => g === gw.id);
    }
    this.#labState.remove('gateway', gatewayId);
  }

  /** Stops watching (charon keeps running, so a restarted agent adopts its tunnels). */
  close(): void {
    for (const rt of this.#runtimes.values()) rt.close();
  }
}
