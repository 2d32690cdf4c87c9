import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { vpcNs } from '../../src/dataplane/lab/lab-names.js';
import { ViciClient } from '../../src/dataplane/vici/index.js';
import { type IbmApi, listConnections } from './api-client.js';
import { gatewayDir } from './api-extras.js';
import { type ApiSide, createTunnelConnection } from './api-run.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import { memberCharonPids, type CpuUse, cpuBetween, sampleCpu } from './cpu-meter.js';
import type { LabServer } from './lab-server.js';
import { watchPings } from './ping-watch.js';
import type { TunnelSpec } from './tunnel-plan.js';

/** The k of the scaling line (those up to N, and N itself). */
export function scalingKs(n: number): number[] {
  return [...new Set([1, 10, 100, 200, n].filter((k) => k <= n))].sort((a, b) => b - a);
}

export interface ScalingPoint {
  readonly k: number;
  /** Both connections of the k-th tunnel created (at once) → its first ping reply. */
  readonly ms: number;
  /** The CPU of that time: the server's (API and agent) and the active charons'. */
  readonly cpu: CpuUse;
}

const WAIT_MS = 120_000;
const DELETE_CONCURRENCY = 8;

/** Each point is measured this many times; the line shows the median. */
const REPEATS = 3;
/** Before each timed add, the server must have used less than this share of one core over QUIET_WINDOW_MS. */
const QUIET_SHARE = 0.1;
const QUIET_WINDOW_MS = 300;
const QUIET_MAX_MS = 15_000;

/**
 * The cost of the k-th connection: on the API lab with every tunnel up, for each k (largest first) the
 * tunnels from the k-th on are deleted (untimed, until neither the API nor either charon has them),
 * then the k-th tunnel is created again on both gateways, timed until its ping passes. The gateways
 * then carry k-1 other connections each, so the line shows whether adding one grows with k. Each
 * point is the median of REPEATS adds (the k-th tunnel deleted and added again), each started once
 * the server is quiet: what the run before left running (a charon the extras restarted, a resync)
 * must not be counted as the k-th connection's cost.
 */
export async function measureScaling(
  server: LabServer,
  api: IbmApi,
  sides: readonly ApiSide[],
  plan: readonly TunnelSpec[],
  cleanup: CleanupRegistry,
): Promise<ScalingPoint[]> {
  const vicis = sides.map((s) => new ViciClient({ socketPath: join(gatewayDir(server, s.gatewayId), 'charon.vici') }));
  const present = new Set(plan.map((t) => t.index));
  const points: ScalingPoint[] = [];
  const drop = async (from: number): Promise<void> => {
    const dropped = [...present].filter((i) => i >= from);
    const gone = dropped.flatMap((i) => sides.map((s) => s.connections[i]!));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < gone.length) {
        const id = gone[next++]!;
        const side = sides.find((s) => s.connections.includes(id))!;
        await api.call('DELETE', `/vpn_gateways/${side.gatewayId}/connections/${id}`);
      }
    };
    await Promise.all(Array.from({ length: DELETE_CONCURRENCY }, worker));
    dropped.forEach((i) => present.delete(i));
    await waitGone(api, sides, vicis, gone);
  };
  try {
    await Promise.all(vicis.map((v) => v.connect(10_000)));
    for (const k of scalingKs(plan.length)) {
      const runs: ScalingPoint[] = [];
      for (let r = 0; r < REPEATS; r++) {
        cleanup.check();
        await drop(k - 1);
        await quiet(server.pid);
        const t = plan[k - 1]!;
        const ping = watchPings([{ ns: vpcNs(sides[0]!.vpcId), src: t.host[0], dst: t.host[1] }], cleanup, WAIT_MS, { respawnMs: 10 });
        await ping.ready;
        const processes = {
          server: [server.pid],
          charons: memberCharonPids(server.labRoot, 1),
        };
        const cpu0 = sampleCpu(processes);
        const t0 = Date.now();
        const [a, b] = await Promise.all([createTunnelConnection(api, sides, t, 0, 1), createTunnelConnection(api, sides, t, 1, 0)]);
        sides[0]!.connections[t.index] = a;
        sides[1]!.connections[t.index] = b;
        present.add(t.index);
        const [at] = await ping.replies;
        runs.push({ k, ms: at! - t0, cpu: cpuBetween(cpu0, sampleCpu(processes)) });
      }
      points.push(median(runs));
    }
    return points.sort((x, y) => x.k - y.k);
  } finally {
    vicis.forEach((v) => v.close());
  }
}

/** The run of median time, with the median of each CPU group (groups are medians on their own). */
function median(runs: readonly ScalingPoint[]): ScalingPoint {
  const mid = <T>(xs: readonly T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;
  const byTime = mid(runs, (r) => r.ms);
  const groups = Object.fromEntries(Object.keys(byTime.cpu.groups).map((g) => [g, mid(runs, (r) => r.cpu.groups[g] ?? 0).cpu.groups[g] ?? 0]));
  return { ...byTime, cpu: { ...byTime.cpu, groups } };
}

/** Waits (at most QUIET_MAX_MS) until the server used less than QUIET_SHARE of a core over QUIET_WINDOW_MS. */
async function quiet(pid: number): Promise<void> {
  const until = Date.now() + QUIET_MAX_MS;
  while (Date.now() < until) {
    const a = sampleCpu({ server: [pid] });
    await sleep(QUIET_WINDOW_MS);
    const used = cpuBetween(a, sampleCpu({ server: [pid] }));
    if ((used.groups['server'] ?? 0) < QUIET_SHARE * used.wallMs) return;
  }
}

/** Until neither gateway's connection list nor its charon (an installed CHILD named after it) has any of `ids`. */
async function waitGone(api: IbmApi, sides: readonly ApiSide[], vicis: readonly ViciClient[], ids: readonly string[]): Promise<void> {
  const wanted = new Set(ids);
  const until = Date.now() + WAIT_MS;
  for (;;) {
    let left = 0;
    for (const s of sides) left += (await listConnections(api, s.gatewayId)).filter((c) => wanted.has(c.id)).length;
    for (const v of vicis) {
      for (const sa of await v.listSas()) {
        const children = Object.values((sa.value['child-sas'] ?? {}) as Record<string, { name?: string }>);
        left += children.filter((c) => c.name && wanted.has(c.name.replace(/^cw-/, '').replace(/-\d+$/, ''))).length;
      }
    }
    if (left === 0) return;
    if (Date.now() > until) throw new Error(`${left} deleted connection(s) or their CHILD_SAs still there after ${WAIT_MS / 1000} s`);
    await sleep(100);
  }
}
