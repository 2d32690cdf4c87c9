import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { vpcNs } from '../../src/dataplane/lab/lab-names.js';
import { isCharonPid, pidAlive } from '../../src/dataplane/lab/lab-state.js';
import { ViciClient } from '../../src/dataplane/vici/index.js';
import type { IbmApi } from './api-client.js';
import type { ApiSide } from './api-run.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import type { LabServer } from './lab-server.js';
import { watchPings } from './ping-watch.js';
import { DPD, type TunnelSpec } from './tunnel-plan.js';
import { textOf } from '../../src/domain/text.js';

/** The charon directory of a gateway's active member (the agent records which in `active.json`; member 1 until a failover). */
export const gatewayDir = (server: LabServer, gatewayId: string): string => {
  const root = join(server.labRoot, `gateway-${gatewayId}`);
  let active = 1;
  try {
    active = (JSON.parse(readFileSync(join(root, 'active.json'), 'utf8')) as { active: number }).active;
  } catch {
    /* no failover yet */
  }
  return join(root, `member-${active}`);
};

/** One IKE_SA as list-sas shows it: its unique id, and its CHILD_SAs (name → unique id) that are INSTALLED. */
interface IkeSa {
  readonly uniqueid: string;
  readonly installed: Map<string, string>;
}

async function ikeSas(vici: ViciClient): Promise<IkeSa[]> {
  return (await vici.listSas({ noblock: true })).map((sa) => {
    const children = Object.values((sa.value['child-sas'] ?? {}) as Record<string, Record<string, unknown>>);
    return {
      uniqueid: textOf(sa.value['uniqueid']),
      installed: new Map(children.filter((c) => c['state'] === 'INSTALLED').map((c) => [String(c['name']), String(c['uniqueid'])])),
    };
  });
}

/** A connection's CHILDs are named `cw-<connection id>-<n>` whatever the IKE conn is called (per connection, or per peer group). */
const carries = (sa: IkeSa, connId: string): boolean => [...sa.installed.keys()].some((n) => n.startsWith(`cw-${connId}-`));

export interface SaReplaceResult {
  readonly connectionId: string;
  /** PATCH sent → an IKE_SA with a new unique id carries the connection's installed CHILD_SA. */
  readonly replacedMs: number;
  /** Other connections on that gateway whose CHILD_SA (unique id) was left as it was, out of how many. */
  readonly untouched: number;
  readonly others: number;
}

/**
 * An API change → the SA replaced: PATCHes the DPD interval (a phase-1 setting) of side 1's connection
 * with the lowest id (with peer groups, the group's leader, whose phase 1 the group runs) and watches
 * gateway 1's charon over VICI (list-sas) until an IKE_SA with a new unique id carries that
 * connection's CHILD_SA, installed.
 */
export async function measureSaReplace(server: LabServer, api: IbmApi, side: ApiSide, timeoutMs = 60_000): Promise<SaReplaceResult> {
  const vici = new ViciClient({ socketPath: join(gatewayDir(server, side.gatewayId), 'charon.vici') });
  try {
    await vici.connect(10_000);
    const connId = [...side.connections].sort()[0]!;
    const before = await ikeSas(vici);
    const old = new Set(before.filter((sa) => carries(sa, connId)).map((sa) => sa.uniqueid));
    if (old.size === 0) throw new Error(`connection ${connId} has no installed CHILD_SA before the PATCH`);
    const otherChildren = new Map(before.flatMap((sa) => [...sa.installed].filter(([n]) => !n.startsWith(`cw-${connId}-`))));
    const t0 = Date.now();
    await api.call('PATCH', `/vpn_gateways/${side.gatewayId}/connections/${connId}`, { dead_peer_detection: { interval: DPD.interval + 1 } });
    for (;;) {
      const now = await ikeSas(vici);
      if (now.some((sa) => !old.has(sa.uniqueid) && carries(sa, connId))) {
        const replacedMs = Date.now() - t0;
        const children = new Map(now.flatMap((sa) => [...sa.installed]));
        const untouched = [...otherChildren].filter(([n, id]) => children.get(n) === id).length;
        return { connectionId: connId, replacedMs, untouched, others: otherChildren.size };
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`connection ${connId}: no new IKE_SA carrying its CHILD_SA within ${timeoutMs / 1000} s of the PATCH`);
      await sleep(20);
    }
  } finally {
    vici.close();
  }
}

/** Reads the charon PID of a gateway's active member (<data-dir>/lab/gateway-<id>/member-N/charon.pid); it must still be a charon. */
export function charonPid(server: LabServer, gatewayId: string): number {
  const pid = Number(readFileSync(join(gatewayDir(server, gatewayId), 'charon.pid'), 'utf8').trim());
  if (!pidAlive(pid) || !isCharonPid(pid)) throw new Error(`gateway ${gatewayId}: charon.pid holds ${pid}, which is not a running charon`);
  return pid;
}

const statusOf = async (api: IbmApi, side: ApiSide, connId: string): Promise<string> =>
  (await api.call<{ status: string }>('GET', `/vpn_gateways/${side.gatewayId}/connections/${connId}`)).status;

/** Polls a connection's API status every 50 ms until it is `want`; returns when (ms since the epoch), or undefined at `until`. */
async function waitStatus(api: IbmApi, side: ApiSide, connId: string, want: string, until: number): Promise<number | undefined> {
  for (;;) {
    if ((await statusOf(api, side, connId)) === want) return Date.now();
    if (Date.now() > until) return undefined;
    await sleep(50);
  }
}

export interface PeerFreezeResult {
  readonly peerPid: number;
  /** Peer frozen → our connection's API status `down`. */
  readonly downMs: number | undefined;
  /** Peer thawed → our connection `up` again. */
  readonly upAgainMs: number | undefined;
}

/**
 * Peer death → status down. The peer gateway's charon is stopped by its PID with SIGSTOP: it answers
 * nothing from then on, as a dead peer, while the agent (which serves both gateways here) still sees
 * the process and so does not restart it. Our side must notice through DPD. Then SIGCONT, and the
 * time until our connection is up again.
 */
export async function measurePeerFreeze(
  server: LabServer,
  api: IbmApi,
  ours: ApiSide,
  peer: ApiSide,
  cleanup: CleanupRegistry,
  timeoutMs = 60_000,
): Promise<PeerFreezeResult> {
  const connId = ours.connections[ours.connections.length - 1]!;
  if ((await waitStatus(api, ours, connId, 'up', Date.now() + 30_000)) === undefined) throw new Error(`connection ${connId} is not up before the peer's death`);
  const peerPid = charonPid(server, peer.gatewayId);
  const thaw = cleanup.add(
    `SIGCONT to the peer's charon ${peerPid}`,
    async () => void process.kill(peerPid, 'SIGCONT'),
    () => void process.kill(peerPid, 'SIGCONT'),
  );
  const t0 = Date.now();
  process.kill(peerPid, 'SIGSTOP');
  let downAt: number | undefined;
  try {
    downAt = await waitStatus(api, ours, connId, 'down', t0 + timeoutMs);
  } finally {
    await thaw();
  }
  const t1 = Date.now();
  const upAt = await waitStatus(api, ours, connId, 'up', t1 + timeoutMs);
  return { peerPid, downMs: downAt === undefined ? undefined : downAt - t0, upAgainMs: upAt === undefined ? undefined : upAt - t1 };
}

export interface PeerKillResult {
  readonly peerPid: number;
  /** SIGKILL → a new charon recorded for the peer gateway (the agent restarted it). */
  readonly restartedMs: number | undefined;
  /** Whether our connection's API status was seen `down` (polled every 50 ms) before the tunnel carried a ping again. */
  readonly downSeen: boolean;
  /** SIGKILL → the last tunnel carries a ping again. */
  readonly pingAgainMs: number;
}

/**
 * The peer gateway's charon SIGKILLed by its PID. The agent serving both gateways notices and starts a
 * new charon, so this measures how fast the tunnel comes back, and whether our status showed down.
 */
export async function measurePeerKill(
  server: LabServer,
  api: IbmApi,
  ours: ApiSide,
  peer: ApiSide,
  tunnel: TunnelSpec,
  cleanup: CleanupRegistry,
  timeoutMs = 60_000,
): Promise<PeerKillResult> {
  const connId = ours.connections[tunnel.index]!;
  if ((await waitStatus(api, ours, connId, 'up', Date.now() + 30_000)) === undefined)
    throw new Error(`connection ${connId} is not up before the peer's charon is killed`);
  const peerPid = charonPid(server, peer.gatewayId);
  const t0 = Date.now();
  process.kill(peerPid, 'SIGKILL');
  const pings = watchPings([{ ns: vpcNs(ours.vpcId), src: tunnel.host[0], dst: tunnel.host[1] }], cleanup, timeoutMs);
  let done = false;
  let downSeen = false;
  let restartedAt: number | undefined;
  const watch = (async () => {
    while (!done) {
      if ((await statusOf(api, ours, connId)) === 'down') downSeen = true;
      if (restartedAt === undefined) {
        try {
          if (charonPid(server, peer.gatewayId) !== peerPid) restartedAt = Date.now();
        } catch {
          /* not restarted yet */
        }
      }
      await sleep(50);
    }
  })();
  try {
    const [at] = await pings.replies;
    return { peerPid, restartedMs: restartedAt === undefined ? undefined : restartedAt - t0, downSeen, pingAgainMs: at! - t0 };
  } finally {
    done = true;
    await watch;
  }
}
