import type { Logger } from 'pino';
import type { ControlDeps } from '../control/control-deps.js';
import { finalizeDeletes } from '../control/finalize-deletes.js';
import { reportConnectionStatus, reportGatewayHealth } from '../control/report-status.js';
import { ensureGatewayNetwork, removeGatewayNetwork } from '../dataplane/lab/gateway-network.js';
import { ensureInternet } from '../dataplane/lab/lab-internet.js';
import { gatewayNs, vpcNs } from '../dataplane/lab/lab-names.js';
import { LabState } from '../dataplane/lab/lab-state.js';
import { gatewayLayout } from '../dataplane/lab/network-layout.js';
import { translateGateway } from '../dataplane/strongswan/peer-group-translator.js';
import type { Cidr } from '../domain/cidr.js';
import { desiredGatewayState } from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';
import { getGateway, gatewaysOfVpc } from '../store/gateway-store.js';
import { subnetsOfVpc } from '../store/network-store.js';
import { getIkePolicies, getIpsecPolicies } from '../store/policy-store.js';
import { CharonSupervisor } from './charon-supervisor.js';
import { connectionIdOf } from './failure-classifier.js';
import { GatewayRuntime } from './gateway-runtime.js';
import { applyGroups, connectionsUp, initiateMissing, unloadUnwanted } from './peer-group-applier.js';

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
  /** Called when the VICI connection to a gateway's charon drops, so the loop reconciles it now. */
  readonly lost: (gatewayId: string) => void;
}

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

    const rt = this.#runtime(gw);
    const settingsChanged = rt.supervisor.configure({ ...(desired.retransmit ? { retransmit: desired.retransmit } : {}), aggressivePsk: desired.aggressivePsk });
    if (await rt.supervisor.ensure()) {
      rt.applied.clear(); // a new charon has nothing loaded
      rt.close();
    } else if (settingsChanged) {
      await (await rt.connect()).reloadSettings();
    }
    const vici = await rt.connect();
    const groups = translateGateway(desired.connections);
    rt.members = new Map(groups.map((g) => [g.name, g.connectionIds]));
    try {
      for (const id of await applyGroups(vici, groups, rt.applied)) rt.failures.delete(id);
      await unloadUnwanted(vici, groups, rt.applied);
    } finally {
      rt.saveApplied();
    }
    if (all.some((c) => c.lifecycleState === 'deleting')) await finalizeDeletes(control, (g) => g === gw.id);
    await reportGatewayHealth(control, gw.id, { lifecycleState: 'stable', healthState: 'ok', reasons: [] });
    const retry = await initiateMissing(vici, groups, await vici.listSas({ noblock: true }));
    await this.refreshStatus(gw.id);
    return { requeueAfterMs: retry ? 3_000 : 15_000 };
  }

  /** Status is the truth: a connection is up when one of its CHILD_SAs is installed. */
  async refreshStatus(gatewayId: string): Promise<void> {
    const rt = this.#runtimes.get(gatewayId);
    if (!rt?.vici) return;
    const up = connectionsUp(await rt.vici.listSas({ noblock: true }), connectionIdOf);
    for (const c of await this.d.control.connections.ofGateway(this.d.control.db, gatewayId)) {
      if (c.lifecycleState === 'deleting') continue;
      const isUp = up.has(c.id);
      if (isUp) rt.failures.delete(c.id); // a reason explains a failure after the last time it was up
      const failure = rt.failures.get(c.id);
      await reportConnectionStatus(this.d.control, c.id, {
        status: isUp ? 'up' : 'down',
        reasons: isUp || !c.adminStateUp || !failure ? [] : [failure],
        lifecycleState: 'stable',
      });
    }
  }

  #runtime(gw: VpnGateway): GatewayRuntime {
    let rt = this.#runtimes.get(gw.id);
    if (!rt) {
      const supervisor = new CharonSupervisor({ ns: gatewayNs(gw.id), dir: this.#labState.dirFor('gateway', gw.id) });
      rt = new GatewayRuntime(gw.id, supervisor, { onEvent: () => this.d.poke(gw.id), onLost: () => this.d.lost(gw.id) }, this.d.logger);
      rt.adopt();
      this.#runtimes.set(gw.id, rt);
    }
    return rt;
  }

  async #teardown(gatewayId: string, gw: VpnGateway | undefined): Promise<void> {
    const rt = this.#runtimes.get(gatewayId) ?? (gw ? this.#runtime(gw) : undefined);
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
