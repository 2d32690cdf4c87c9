import { createAll, createSides } from './api-run.js';
import { IbmApi } from './api-client.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import { type CpuUse, cpuBetween, sampleCpu } from './cpu-meter.js';
import { launchLabServer } from './lab-server.js';
import type { TunnelSpec } from './tunnel-plan.js';

/**
 * The API's own share of the API run: the same server with no data plane (no agent, no charon, no
 * namespaces), the same VPCs, subnets and gateways, and the same 2N connection creates sent the same
 * way, timed alone. The API run cannot finish before its creates do, so this is a lower bound for it
 * on this machine, whatever the agent costs. Peer addresses are documentation addresses: nothing is
 * built, nothing is sent.
 */
export async function measureCreatesAlone(
  plan: readonly TunnelSpec[],
  cleanup: CleanupRegistry,
  env: Record<string, string>,
): Promise<{ ms: number; cpu: CpuUse }> {
  const server = await launchLabServer(cleanup, { internetNs: `cw-inet-c${(process.pid % 0xffffff).toString(16)}`, env, dataplane: 'none' });
  try {
    const api = await IbmApi.login(server.origin, server.adminApiKey);
    // Nothing is built, so no public IP comes: the peers are documentation addresses.
    const sides = (await createSides(api, plan)).map((side, i) => ({ ...side, publicIp: `192.0.2.${i + 1}` }));
    const processes = { server: [server.pid] };
    const cpu0 = sampleCpu(processes);
    await createAll(api, sides, plan, cleanup);
    const cpu = cpuBetween(cpu0, sampleCpu(processes));
    return { ms: cpu.wallMs, cpu };
  } finally {
    await server.stop();
  }
}
