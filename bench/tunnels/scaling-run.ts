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

/**
 * The cost of the k-th connection: on the API lab with every tunnel up, for each k (largest first) the
 * tunnels from the k-th on are deleted (untimed, until neither the API nor either charon has them),
 * then the k-th tunnel is created again on both gateways, timed until its ping passes. The gateways
 * then carry k-1 other connections each, so the line shows whether adding one grows with k.
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
  try {
    await Promise.all(vicis.map((v) => v.connect(10_000)));
    for (const k of scalingKs(plan.length)) {
      cleanup.check();
      const drop = [...present].filter((i) => i >= k - 1);
      const gone = drop.flatMap((i) => sides.map((s) => s.connections[i]!));
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < gone.length) {
          const id = gone[next++]!;
          const side = sides.find((s) => s.connections.includes(id))!;
          await api.call('DELETE', `/vpn_gateways/${side.gatewayId}/connections/${id}`);
        }
      };
      await Promise.all(Array.from({ length: DELETE_CONCURRENCY }, worker));
      drop.forEach((i) => present.delete(i));
      await waitGone(api, sides, vicis, gone);
      await sleep(2000); // let the reconciles and status refreshes the deletes set off end before the clock starts

      const t = plan[k - 1]!;
      const ping = watchPings([{ ns: vpcNs(sides[0]!.vpcId), src: t.host[0], dst: t.host[1] }], cleanup, WAIT_MS, 10);
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
      points.push({ k, ms: at! - t0, cpu: cpuBetween(cpu0, sampleCpu(processes)) });
    }
    return points.sort((x, y) => x.k - y.k);
  } finally {
    vicis.forEach((v) => v.close());
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
      for (const sa of await v.listSas({ noblock: true })) {
        const children = Object.values((sa.value['child-sas'] ?? {}) as Record<string, { name?: string }>);
        left += children.filter((c) => c.name && wanted.has(c.name.replace(/^cw-/, '').replace(/-\d+$/, ''))).length;
      }
    }
    if (left === 0) return;
    if (Date.now() > until) throw new Error(`${left} deleted connection(s) or their CHILD_SAs still there after ${WAIT_MS / 1000} s`);
    await sleep(100);
  }
}
