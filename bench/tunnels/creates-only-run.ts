import { type ApiSide, createAll } from './api-run.js';
import { IbmApi } from './api-client.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import { launchLabServer } from './lab-server.js';
import type { TunnelSpec } from './tunnel-plan.js';

/**
 * The API's own share of the API run: the same server with no data plane (no agent, no charon, no
 * namespaces), the same VPCs, subnets and gateways, and the same 2N connection creates sent the same
 * way, timed alone. The API run cannot finish before its creates do, so this is a lower bound for it
 * on this machine, whatever the agent costs. Peer addresses are documentation addresses: nothing is
 * built, nothing is sent.
 */
export async function measureCreatesAlone(plan: readonly TunnelSpec[], cleanup: CleanupRegistry, env: Record<string, string>): Promise<number> {
  const server = await launchLabServer(cleanup, { internetNs: `cw-inet-c${(process.pid % 0xffffff).toString(16)}`, env, dataplane: 'none' });
  try {
    const api = await IbmApi.login(server.origin, server.adminApiKey);
    const sides: ApiSide[] = [];
    for (const side of [0, 1] as const) {
      const vpc = await api.call<{ id: string }>('POST', '/vpcs', { name: `bench-vpc-${side + 1}` });
      let first: string | undefined;
      for (const t of plan) {
        const sn = await api.call<{ id: string }>('POST', '/subnets', {
          vpc: { id: vpc.id },
          name: `bench-sn-${side + 1}-${t.index}`,
          ipv4_cidr_block: t.cidr[side],
        });
        first ??= sn.id;
      }
      const gw = await api.call<{ id: string }>('POST', '/vpn_gateways', { subnet: { id: first }, mode: 'policy', name: `bench-gw-${side + 1}` });
      sides.push({ vpcId: vpc.id, gatewayId: gw.id, publicIp: `192.0.2.${side + 1}`, connections: [] });
    }
    const t0 = Date.now();
    await createAll(api, sides, plan, cleanup);
    return Date.now() - t0;
  } finally {
    await server.stop();
  }
}
