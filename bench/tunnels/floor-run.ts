import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CharonSupervisor } from '../../src/dataplane/lab/charon-supervisor.js';
import type { Cidr } from '../../src/domain/cidr.js';
import { ensureGatewayNetwork, syncGatewaySelectors } from '../../src/dataplane/lab/gateway-network.js';
import { deleteNamespace } from '../../src/dataplane/lab/ip-command.js';
import { ensureInternet } from '../../src/dataplane/lab/lab-internet.js';
import { memberNs, vpcNs } from '../../src/dataplane/lab/lab-names.js';
import type { GatewayLayout } from '../../src/dataplane/lab/network-layout.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import { type CpuUse, cpuBetween, sampleCpu } from './cpu-meter.js';
import { watchPings } from './ping-watch.js';
import { swanctlConf } from './swanctl-config.js';
import { deleteNamespacesSync, killCharonSync } from './sync-teardown.js';
import type { TunnelSpec } from './tunnel-plan.js';

export interface FloorRunResult {
  /** Namespaces (lab internet, gateway and VPC namespaces with every subnet) and both charons. */
  readonly setupMs: number;
  /** First step of the tunnels (addresses and routes, swanctl.conf, load) → last first-reply of the pings. */
  readonly tunnelsMs: number;
  /** Each tunnel's first ping reply, ms after the first step. */
  readonly replies: readonly number[];
  /** Echo requests the probe sent meanwhile (ping-watch.ts), if read. */
  readonly probeEchoes: number | undefined;
  /** Until both `swanctl --load-all` had returned. */
  readonly loadMs: number;
  /** CPU time from the first step to the last first-reply: the machine's and its charons'. */
  readonly cpu: CpuUse;
  /** ensureInternet + ensureGatewayNetwork again on one built gateway (nothing to change): what each agent reconcile runs first. */
  readonly networkPassMs: number;
}

const run = promisify(execFile);

/**
 * The floor: the same lab by hand, without Causeway's control plane. The namespaces come from the
 * lab's own building blocks (ensureInternet, ensureGatewayNetwork with a hand-made layout), the
 * charons from the agent's launch template (CharonSupervisor: private /run, own vici socket,
 * kernel-libipsec). Timed like the API run: set-up apart, then from the first tunnel step (per side,
 * in parallel: addresses and routes as the lab adds them, a hand-written swanctl.conf loaded with
 * `swanctl --load-all`) to the last ping reply.
 */
export async function runFloor(
  plan: readonly TunnelSpec[],
  cleanup: CleanupRegistry,
  o: { pool: Cidr; retransmit: { timeout: number; base: number; tries: number } | undefined; pingTimeoutMs: number },
): Promise<FloorRunResult> {
  const tag = (process.pid % 0xffffff).toString(16).padStart(6, '0');
  const inet = `cw-inet-f${tag}`;
  const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-floor-'));
  // 12-hex ids (what the lab's names are made of): distinct in the first 10 digits, as interface names need.
  const sides = ([0, 1] as const).map((side) => {
    const gatewayId = `fa0${side + 1}${tag}00`;
    const vpcId = `fb0${side + 1}${tag}00`;
    const gwDir = join(dir, `gateway-${side + 1}`);
    mkdirSync(gwDir, { recursive: true, mode: 0o700 });
    // Unlike a member's, these charons watch lo (no ignoreLoopback): every address is added before the
    // first route, so watching costs them little, and the floor stays as earlier runs measured it. (Of
    // about 75 floor runs with lo ignored, two had 21 and 25 tunnels that never came up; none of about 25 without.)
    const charon = new CharonSupervisor({
      ns: memberNs(gatewayId, 1),
      dir: gwDir,
      ...(o.retransmit ? { retransmit: o.retransmit } : {}),
    });
    return { side, gatewayId, vpcId, gwDir, charon, publicIp: `198.51.100.${10 + side}`, privateIp: `10.${side + 1}.0.4` };
  });
  const namespaces = [...sides.flatMap((s) => [memberNs(s.gatewayId, 1), vpcNs(s.vpcId)]), inet];
  const pidOf = (gwDir: string): number | undefined => {
    try {
      return Number(readFileSync(join(gwDir, 'charon.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  };
  const teardown = cleanup.add(
    `the floor lab (${namespaces.join(', ')}; ${dir})`,
    async () => {
      for (const s of sides) await s.charon.stop().catch(() => killCharonSync(pidOf(s.gwDir)));
      for (const ns of namespaces) await deleteNamespace(ns);
      rmSync(dir, { recursive: true, force: true });
    },
    () => {
      for (const s of sides) killCharonSync(pidOf(s.gwDir));
      deleteNamespacesSync(namespaces);
      rmSync(dir, { recursive: true, force: true });
    },
  );

  // The namespaces as the lab builds them for a gateway: every subnet; the tunnels' addresses and routes only `withTunnels`.
  const layout = (s: (typeof sides)[number], withTunnels = false): GatewayLayout => {
    const peer = s.side === 0 ? 1 : 0;
    const subnetId = (i: number): string => `fc${s.side + 1}${i.toString(16).padStart(3, '0')}${tag}`;
    return {
      gatewayId: s.gatewayId,
      vpcId: s.vpcId,
      // The floor: one hand-loaded charon per gateway, so one member.
      members: [{ index: 1, privateIp: s.privateIp, publicIps: [s.publicIp], cut: false }],
      routeVia: s.privateIp,
      privatePrefix: 24,
      subnetId: subnetId(0),
      vpcSubnets: plan.map((t) => ({ id: subnetId(t.index), cidr: t.cidr[s.side], router: t.host[s.side] })),
      extraLocalAddresses: withTunnels ? plan.slice(1).map((t) => t.cidr[s.side].replace(/0\/24$/, '254')) : [],
      peerRoutes: withTunnels ? plan.map((t) => t.cidr[peer]) : [],
    };
  };
  // What the tunnels add: an address inside every local CIDR for kernel-libipsec (subnet 0 holds the
  // gateway's own) and the VPC's routes to the peer CIDRs, with the lab's own step (one batch per
  // namespace, and every address announced again should charon's event socket have dropped some: a
  // batch of 199 addresses overflowed it here too, and the floor's tunnels then never came up).
  const plumb = (s: (typeof sides)[number]): Promise<void> =>
    syncGatewaySelectors(layout(s, true), { extraLocalAddresses: [], peerRoutes: [], routeVia: s.privateIp });

  try {
    const setup0 = Date.now();
    await ensureInternet([o.pool], inet);
    await Promise.all(
      sides.map(async (s) => {
        cleanup.check();
        await ensureGatewayNetwork(layout(s), o.pool, inet);
        cleanup.check();
        await s.charon.ensure();
      }),
    );
    const setupMs = Date.now() - setup0;

    const pings = watchPings(
      plan.map((t) => ({ ns: vpcNs(sides[0]!.vpcId), src: t.host[0], dst: t.host[1] })),
      cleanup,
      o.pingTimeoutMs,
      { held: true },
    );
    await pings.ready;
    const processes = { charons: sides.flatMap((s) => pidOf(s.gwDir) ?? []), 'this benchmark': [process.pid] };
    const cpu0 = sampleCpu(processes);
    const t0 = Date.now();
    let loadedAt = 0;
    try {
      await Promise.all(
        sides.map(async (s) => {
          cleanup.check();
          await plumb(s);
          const file = join(s.gwDir, 'swanctl.conf');
          writeFileSync(file, swanctlConf({ side: s.side, localIp: s.publicIp, remoteIp: sides[s.side === 0 ? 1 : 0]!.publicIp }, plan), { mode: 0o600 });
          await run('swanctl', ['--load-all', '--noprompt', '--file', file, '--uri', `unix://${s.charon.socket}`], { timeout: 60_000 });
          loadedAt = Math.max(loadedAt, Date.now());
        }),
      );
      // As in the API run, a tunnel is probed once both its sides' configuration exists: here, all at once.
      plan.forEach((_, k) => pings.release(k));
    } catch (e) {
      pings.stop();
      throw e;
    }
    const replies = (await pings.replies).map((at) => at - t0);
    const cpu = cpuBetween(cpu0, sampleCpu(processes));
    // Diagnostic: the lab's whole idempotent network pass for one built gateway, changing nothing.
    cleanup.check();
    const pass0 = Date.now();
    await ensureInternet([o.pool], inet);
    await ensureGatewayNetwork(layout(sides[0]!, true), o.pool, inet);
    return {
      setupMs,
      tunnelsMs: Math.max(...replies),
      replies,
      probeEchoes: pings.echoRequests(),
      cpu,
      loadMs: loadedAt - t0,
      networkPassMs: Date.now() - pass0,
    };
  } finally {
    await teardown();
  }
}
