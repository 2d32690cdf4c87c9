import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { vpcNs } from '../../src/dataplane/lab/lab-names.js';
import { type ConnectionView, IbmApi, listConnections } from './api-client.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import type { LabServer, ServerMemory } from './lab-server.js';
import { memberCharonPids, type CpuUse, cpuBetween, sampleCpu } from './cpu-meter.js';
import { dumpDir, dumpLab } from './failure-dump.js';
import { watchPings } from './ping-watch.js';
import { DPD, PSK, type TunnelSpec } from './tunnel-plan.js';

/** One side of the API run: its VPC, gateway and the connection of each tunnel (in tunnel order). */
export interface ApiSide {
  readonly vpcId: string;
  readonly gatewayId: string;
  readonly publicIp: string;
  readonly connections: string[];
}

export interface ApiRunResult {
  readonly api: IbmApi;
  readonly sides: readonly [ApiSide, ApiSide];
  /** VPCs, subnets and gateways created, until both gateways were stable. */
  readonly setupMs: number;
  /** First connection create → last first-reply of the tunnel pings. */
  readonly tunnelsMs: number;
  /** Each tunnel's first ping reply, ms after the first create. */
  readonly replies: readonly number[];
  /** Echo requests the probe sent meanwhile (ping-watch.ts), if read. */
  readonly probeEchoes: number | undefined;
  /** How long the 2N creates themselves took. */
  readonly createsMs: number;
  /** CPU time from the first create to the last first-reply: the machine's, the server's, its charons'. */
  readonly cpu: CpuUse;
  /** First create → every connection's API status `up`, polled from when the pings passed (undefined if not seen within 30 s of that). */
  readonly statusUpMs: number | undefined;
  /** The server's memory with both gateways stable and no connection, and with every tunnel up. */
  readonly memoryBefore: ServerMemory | undefined;
  readonly memoryAfter: ServerMemory | undefined;
  /** charon's IKEv2 retransmit settings as the agent wrote them for gateway 1 (the floor uses the same). */
  readonly retransmit: { timeout: number; base: number; tries: number } | undefined;
}

const STABLE_TIMEOUT_MS = 60_000;
/** Connection creates in flight at once. */
export const CREATE_CONCURRENCY = 8;

async function waitStable(api: IbmApi, gatewayId: string): Promise<string> {
  const until = Date.now() + STABLE_TIMEOUT_MS;
  for (;;) {
    const g = await api.call<{ lifecycle_state: string; members: { public_ip?: { address: string } }[] }>('GET', `/vpn_gateways/${gatewayId}`);
    const ip = g.members.find((m) => m.public_ip)?.public_ip?.address;
    if (g.lifecycle_state === 'stable' && ip) return ip;
    if (Date.now() > until) throw new Error(`gateway ${gatewayId} is still '${g.lifecycle_state}' after ${STABLE_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

/** The agent's per-instance strongswan.conf values, so the floor's charons are configured alike. */
function readRetransmit(labRoot: string, gatewayId: string): ApiRunResult['retransmit'] {
  const f = join(labRoot, `gateway-${gatewayId}`, 'member-1', 'strongswan.conf');
  if (!existsSync(f)) return undefined;
  const text = readFileSync(f, 'utf8');
  const num = (key: string): number => Number(new RegExp(`${key}\\s*=\\s*([0-9.]+)`).exec(text)?.[1]);
  const r = { timeout: num('retransmit_timeout'), base: num('retransmit_base'), tries: num('retransmit_tries') };
  return Object.values(r).every(Number.isFinite) ? r : undefined;
}

/** Polls both gateways' connection lists until every connection is `up`; resolves with that time. */
async function watchStatusUp(api: IbmApi, sides: readonly ApiSide[], expected: number, stopAt: () => number | undefined): Promise<number | undefined> {
  for (;;) {
    const all: ConnectionView[] = [];
    for (const s of sides) all.push(...(await listConnections(api, s.gatewayId)));
    if (all.length === expected && all.every((c) => c.status === 'up')) return Date.now();
    const limit = stopAt();
    if (limit !== undefined && Date.now() > limit) return undefined;
    await sleep(250);
  }
}

/** Creates side `me`'s connection of tunnel `t` toward side `peer`; its id. */
export async function createTunnelConnection(api: IbmApi, sides: readonly ApiSide[], t: TunnelSpec, me: 0 | 1, peer: 0 | 1): Promise<string> {
  const c = await api.call<{ id: string }>('POST', `/vpn_gateways/${sides[me]!.gatewayId}/connections`, {
    name: `bench-t${t.index}`,
    psk: PSK,
    local: { cidrs: [t.cidr[me]], ...(t.fqdn ? { ike_identities: [{ type: 'fqdn', value: t.fqdn[me] }] } : {}) },
    peer: { address: sides[peer]!.publicIp, cidrs: [t.cidr[peer]], ...(t.fqdn ? { ike_identity: { type: 'fqdn', value: t.fqdn[peer] } } : {}) },
    dead_peer_detection: DPD,
  });
  return c.id;
}

/** Both sides' VPC, a subnet per tunnel and a policy gateway (public IP unknown until the gateway is stable). */
export async function createSides(api: IbmApi, plan: readonly TunnelSpec[]): Promise<ApiSide[]> {
  const sides: ApiSide[] = [];
  for (const side of [0, 1] as const) {
    const vpc = await api.call<{ id: string }>('POST', '/vpcs', { name: `bench-vpc-${side + 1}` });
    const subnets: string[] = [];
    for (const t of plan)
      subnets.push(
        (await api.call<{ id: string }>('POST', '/subnets', { vpc: { id: vpc.id }, name: `bench-sn-${side + 1}-${t.index}`, ipv4_cidr_block: t.cidr[side] }))
          .id,
      );
    const gw = await api.call<{ id: string }>('POST', '/vpn_gateways', { subnet: { id: subnets[0] }, mode: 'policy', name: `bench-gw-${side + 1}` });
    sides.push({ vpcId: vpc.id, gatewayId: gw.id, publicIp: '', connections: [] });
  }
  return sides;
}

/**
 * The 2N creates, CREATE_CONCURRENCY in flight, as a provisioning tool would send them (the floor loads
 * its whole configuration in one go); each side keeps tunnel order. Connection ids by `side/tunnel`.
 * `made(k)`: both connections of `plan[k]` exist.
 */
export async function createAll(
  api: IbmApi,
  sides: readonly ApiSide[],
  plan: readonly TunnelSpec[],
  cleanup: CleanupRegistry,
  made: (k: number) => void = () => undefined,
): Promise<Map<string, string>> {
  const jobs = plan.flatMap((t, k) =>
    (
      [
        [0, 1],
        [1, 0],
      ] as const
    ).map(([me, peer]) => ({ t, k, me, peer })),
  );
  const ids = new Map<string, string>();
  const halves = plan.map(() => 0);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const { t, k, me, peer } = jobs[next++]!;
      cleanup.check();
      ids.set(`${me}/${t.index}`, await createTunnelConnection(api, sides, t, me, peer));
      if (++halves[k]! === 2) made(k);
    }
  };
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, worker));
  return ids;
}

/**
 * The API run: VPCs, subnets and gateways (until stable), then, timed, the N connection pairs, created
 * one after another as a client script would, until every tunnel's ping has passed.
 */
export async function runApi(server: LabServer, plan: readonly TunnelSpec[], cleanup: CleanupRegistry, pingTimeoutMs: number): Promise<ApiRunResult> {
  const api = await IbmApi.login(server.origin, server.adminApiKey);
  const setup0 = Date.now();
  const sides = await createSides(api, plan);
  for (const s of sides) (s as { publicIp: string }).publicIp = await waitStable(api, s.gatewayId);
  const setupMs = Date.now() - setup0;
  await sleep(1000); // let the first reconciles settle before the memory baseline
  const memoryBefore = await server.memory();

  const pings = watchPings(
    plan.map((t) => ({ ns: vpcNs(sides[0]!.vpcId), src: t.host[0], dst: t.host[1] })),
    cleanup,
    pingTimeoutMs,
    { held: true },
  );
  await pings.ready;
  // Nothing fails during the run: member 1 stays each gateway's active member, member 2 its standby.
  const processes = {
    server: [server.pid],
    'active charons': memberCharonPids(server.labRoot, 1),
    'standby charons': memberCharonPids(server.labRoot, 2),
    'this benchmark': [process.pid],
  };
  const cpu0 = sampleCpu(processes);
  const t0 = Date.now();
  try {
    // A tunnel is probed from the moment both its connections exist (the floor's, from the load on).
    const ids = await createAll(api, sides, plan, cleanup, (k) => pings.release(k));
    for (const t of plan) for (const me of [0, 1] as const) sides[me]!.connections.push(ids.get(`${me}/${t.index}`)!);
  } catch (e) {
    pings.stop();
    throw e;
  }
  const createsMs = Date.now() - t0;
  const replies = await pings.replies.catch(async (e: unknown) => {
    const dir = dumpDir();
    if (dir) console.log(`  (charon logs and list-sas of the failed run: ${await dumpLab(server.labRoot, dir, `api-${Date.now()}`)})`);
    throw e;
  });
  const cpu = cpuBetween(cpu0, sampleCpu(processes));
  const pingsDoneAt = Math.max(...replies);
  const dir = dumpDir();
  if (dir) console.log(`  (charon logs and list-sas of the run: ${await dumpLab(server.labRoot, dir, `api-ok-${Date.now()}`)})`);
  // The status is watched from here on, not during the bring-up: every poll lists all 2N connections
  // (at N=200, 8 pages of 100), and on these 2 cores that polling took a quarter or more of the
  // server's time while the last tunnels were coming up: it slowed what it measured.
  const upAt = await watchStatusUp(api, sides, 2 * plan.length, () => pingsDoneAt + 30_000);
  await sleep(1000);
  const memoryAfter = await server.memory();
  return {
    api,
    sides: [sides[0]!, sides[1]!],
    setupMs,
    createsMs,
    cpu,
    tunnelsMs: pingsDoneAt - t0,
    replies: replies.map((at) => at - t0),
    probeEchoes: pings.echoRequests(),
    statusUpMs: upAt === undefined ? undefined : upAt - t0,
    memoryBefore,
    memoryAfter,
    retransmit: readRetransmit(server.labRoot, sides[0]!.gatewayId),
  };
}
