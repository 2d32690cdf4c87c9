import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, ensureNamespace, inNamespace, ip, ipBatch } from '../../src/dataplane/lab/ip-command.js';
import { plugIntoInternet } from '../../src/dataplane/lab/lab-internet.js';
import { createSite, connectSite } from '../../src/dataplane/lab/lab-site.js';
import { labDown } from '../../src/dataplane/lab/lab-teardown.js';
import { memberRoutePlan, type MemberAddresses, type TunnelState, vpcRoutePlan } from '../../src/dataplane/lab/route-plan.js';
import { syncMemberRoutes, syncVpcRoutes } from '../../src/dataplane/lab/route-table-sync.js';
import { ensureTunnelNamespace, removeTunnelNamespace, type TunnelNetwork } from '../../src/dataplane/lab/tunnel-network.js';
import { duplicateIkeSas } from '../../src/agent/duplicate-sas.js';
import { installedChildSas } from '../../src/agent/peer-group-applier.js';
import { translate } from '../../src/dataplane/strongswan/conn-translator.js';
import { peerSwanctlConfForAll } from '../../src/dataplane/strongswan/peer-config.js';
import { ViciClient, type ViciSectionInput } from '../../src/dataplane/vici/index.js';
import { parseCidr, type Cidr } from '../../src/domain/cidr.js';
import { type DesiredConnection, desiredGatewayState } from '../../src/domain/desired-state.js';
import { desiredConnection } from '../../src/domain/desired-connection.js';
import type { PlannedRoute } from '../../src/domain/vpc-route.js';
import { connection, member, routeGateway } from '../domain-fixtures.js';
import { labInternet, labRuns } from './lab-fixture.js';
import { answeredPing, echoes, pingAnswered } from './ping-echoes.js';

/**
 * Route-based tunnels that route, built from the lab primitives: two member namespaces with their own
 * public IPs, a VPC namespace behind them, two lab sites (each a strongSwan peer with 0.0.0.0/0
 * selectors, from `peer_config`), and a tunnel namespace with its own charon per (member, connection).
 * Member 2 holds the smaller public IP, so it is the primary without distribute_traffic.
 */
const PID = process.pid;
const INET = labInternet('rd');
const VPC = `cw-rdv-${PID}`;
const MEMBER_NS = { 1: `cw-rdm1-${PID}`, 2: `cw-rdm2-${PID}` } as const;
const cidr = (t: string): Cidr => (parseCidr(t) as { cidr: Cidr }).cidr;
const POOLS = { gateways: cidr('192.0.2.0/24'), sites: cidr('203.0.113.0/24'), internetNs: INET };
const MEMBERS: MemberAddresses[] = [
  { index: 1, publicIp: '192.0.2.40', privateIp: '10.1.0.4' },
  { index: 2, publicIp: '192.0.2.30', privateIp: '10.1.0.5' },
];
const PRIVATE = MEMBERS.map((m) => m.privateIp);
// Connection ids from the PID: tunnel namespaces are named by connection, and test runs may overlap.
const HEX = PID.toString(16).padStart(8, '0').slice(-8);
const SITES = [
  { name: `rda${PID}`, lan: '10.2.0.0/24', host: '10.2.0.1', conn: `${HEX}-000a-4000-8000-00000000000a` },
  { name: `rdb${PID}`, lan: '10.3.0.0/24', host: '10.3.0.1', conn: `${HEX}-000b-4000-8000-00000000000b` },
];
const ROUTES: PlannedRoute[] = SITES.map((s, i) => ({
  routingTableId: 'r0000000-0000-4000-8000-000000000001',
  routeId: `route-${i}`,
  destination: s.lan,
  action: 'deliver',
  nextHopConnectionId: s.conn,
  priority: 2,
  zone: 'us-south-1',
  subnetCidrs: ['10.1.0.0/24'],
}));
const gw = routeGateway({
  members: MEMBERS.map((m) => member(m.index, 'active', m.publicIp, { privateIp: { id: `r${m.index}`, address: m.privateIp } })),
});

describe.runIf(labRuns)('lab: route-based tunnels route through a tunnel namespace per member and connection', () => {
  const labRoot = mkdtempSync(join(tmpdir(), 'cw-route-'));
  const desired: DesiredConnection[] = [];
  const tunnels = new Map<string, TunnelNetwork>();
  const key = (conn: string, m: number): string => `${conn}/${m}`;

  const vici = async <T>(t: TunnelNetwork, fn: (v: ViciClient) => Promise<T>): Promise<T> => {
    const v = new ViciClient({ socketPath: t.charon.socket });
    try {
      await v.connect(1000);
      return await fn(v);
    } finally {
      v.close();
    }
  };
  /** The installed CHILD_SA of a tunnel's charon (its counters), or undefined when none (or no charon). */
  const child = async (t: TunnelNetwork): Promise<Record<string, string> | undefined> => (await children(t))[0];
  const states = async (): Promise<TunnelState[]> =>
    Promise.all(
      [...tunnels].map(async ([k, t]) => {
        const [connectionId, m] = k.split('/');
        return { connectionId: connectionId!, memberIndex: Number(m) as 1 | 2, up: (await child(t)) !== undefined };
      }),
    );
  /** What the agent will do on every tunnel change: member routes, then the VPC's. */
  const sync = async (distribute: boolean): Promise<TunnelState[]> => {
    const st = await states();
    for (const m of MEMBERS) await syncMemberRoutes(MEMBER_NS[m.index], memberRoutePlan(m.index, ROUTES, st));
    await syncVpcRoutes(
      VPC,
      vpcRoutePlan(ROUTES, st, MEMBERS, () => distribute),
      PRIVATE,
    );
    return st;
  };
  /** Every installed CHILD_SA of a tunnel's charon: after a charon came back, both ends may have initiated (two IKE_SAs). */
  const children = async (t: TunnelNetwork): Promise<Record<string, string>[]> => {
    if (t.charon.pid() === undefined) return [];
    return installedChildSas(await vici(t, (v) => v.listSas({ noblock: true })).catch(() => []));
  };
  /** As the agent does (route-tunnels.ts): one IKE_SA of a pair both ends initiated is closed. Returns how many were. */
  const closeDuplicates = async (): Promise<number> => {
    let closed = 0;
    for (const t of tunnels.values())
      await vici(t, async (v) => {
        for (const ikeId of duplicateIkeSas(await v.listSas({ noblock: true }))) {
          await v.terminate({ ikeId }, { timeoutMs: 5_000 }).catch(() => undefined);
          closed++;
        }
      }).catch(() => undefined);
    return closed;
  };
  /**
   * Syncs until the VPC's routes match `expected`, and returns them. In one loaded run, the read right
   * after `waitAllUp` found a tunnel without its CHILD_SA, and the sync routed around it. The agent syncs
   * again on every tunnel change, and so does this. It prints which tunnels read as down on each pass.
   */
  const syncUntil = async (distribute: boolean, expected: RegExp): Promise<string> => {
    const down: string[] = [];
    const routes = (): Promise<string> => ip(['route', 'show', 'table', 'all', 'proto', '77'], VPC);
    await expect
      .poll(
        async () => {
          const st = await sync(distribute);
          down.push(
            st
              .filter((x) => !x.up)
              .map((x) => `${x.connectionId.slice(-2)}/${x.memberIndex}`)
              .join(',') || 'none',
          );
          return routes();
        },
        { timeout: 10_000, interval: 200 },
      )
      .toMatch(expected);
    if (down.length > 1) console.log(`routes as expected after ${down.length} syncs; tunnels down at each: ${down.join(' | ')}`);
    return routes();
  };
  const packetsOut = async (): Promise<Map<string, number>> =>
    new Map(await Promise.all([...tunnels].map(async ([k, t]) => [k, (await children(t)).reduce((n, c) => n + Number(c['packets-out'] ?? 0), 0)] as const)));
  const loadTunnel = async (d: DesiredConnection, m: 1 | 2): Promise<void> => {
    const tr = translate({ ...d, tunnels: d.tunnels.filter((t) => t.memberIndex === m) });
    await vici(tunnels.get(key(d.connectionId, m))!, async (v) => {
      for (const s of tr.shared) await v.loadShared(s);
      for (const [name, body] of Object.entries(tr.conns)) await v.loadConn(name, body as ViciSectionInput);
    });
  };
  const waitAllUp = async (timeout = 40_000): Promise<void> => {
    await expect.poll(async () => (await states()).filter((s) => s.up).length, { timeout, interval: 250 }).toBe(SITES.length * 2);
  };

  beforeAll(async () => {
    // The VPC: one subnet bridge holding its router address; both members' private legs plug into it.
    await ensureNamespace(VPC);
    await ipBatch(['link add bsub type bridge', 'link set bsub up', 'addr add 10.1.0.1/24 dev bsub'], VPC);
    const conns = [];
    for (const s of SITES) {
      const site = await createSite(labRoot, s.name, s.lan, POOLS);
      conns.push(connection({ id: s.conn, kind: 'route_static', localCidrs: [], peerCidrs: [], peer: { address: site.publicIp! }, psk: `psk-${s.name}` }));
    }
    desired.push(...conns.map((c) => desiredConnection(gw, c, undefined, undefined)));
    // IBM's default DPD (2 s / 10 s) as each tunnel charon's IKEv2 retransmit schedule, as the agent sets it.
    const { retransmit } = desiredGatewayState(
      gw,
      conns.map((connection) => ({ connection })),
    );
    for (const m of MEMBERS) {
      const ns = MEMBER_NS[m.index];
      await ensureNamespace(ns);
      await plugIntoInternet(ns, `urdm${m.index}`, 'pub0', [m.publicIp!], POOLS.gateways, INET);
      await ip(['link', 'add', 'priv0', 'type', 'veth', 'peer', 'name', `prd${m.index}`, 'netns', VPC], ns);
      await ipBatch([`link set prd${m.index} master bsub up`], VPC);
      await ipBatch(['link set priv0 up', `addr add ${m.privateIp}/24 dev priv0`], ns);
    }
    for (const d of desired) {
      for (const t of d.tunnels) {
        const net = await ensureTunnelNamespace({
          labRoot,
          memberNs: MEMBER_NS[t.memberIndex],
          memberIndex: t.memberIndex,
          connectionId: d.connectionId,
          publicIp: t.localAddress,
          peerIp: d.remoteAddress,
          ...(retransmit ? { charon: { retransmit } } : {}),
        });
        tunnels.set(key(d.connectionId, t.memberIndex), net);
        await loadTunnel(d, t.memberIndex);
      }
      const site = SITES.find((s) => s.conn === d.connectionId)!;
      await connectSite(labRoot, site.name, peerSwanctlConfForAll([d]), [d.connectionId], retransmit ? { retransmit } : {});
    }
  }, 120_000);

  afterAll(async () => {
    for (const [k] of tunnels) {
      const [conn, m] = k.split('/');
      await removeTunnelNamespace(labRoot, MEMBER_NS[Number(m) as 1 | 2], conn!, Number(m) as 1 | 2).catch(() => undefined);
    }
    await labDown(labRoot); // the sites' charons (by PID) and namespaces, the lab internet
    for (const ns of [MEMBER_NS[1], MEMBER_NS[2], VPC, INET]) await deleteNamespace(ns);
    rmSync(labRoot, { recursive: true, force: true });
  }, 60_000);

  it('building a tunnel namespace again changes nothing (same slot, same charon)', async () => {
    const d = desired[0]!;
    const before = tunnels.get(key(d.connectionId, 1))!;
    const pid = before.charon.pid();
    const again = await ensureTunnelNamespace({
      labRoot,
      memberNs: MEMBER_NS[1],
      memberIndex: 1,
      connectionId: d.connectionId,
      publicIp: '192.0.2.40',
      peerIp: d.remoteAddress,
    });
    expect([again.slot, again.charon.pid()]).toEqual([before.slot, pid]);
    const rules = await ip(['rule', 'show'], MEMBER_NS[1]);
    expect(rules.match(new RegExp(`from ${d.remoteAddress.replace(/\./g, '\\.')} iif pub0`, 'g'))).toHaveLength(1);
    expect(rules).toMatch(/^100:\s+from all lookup local/m);
    expect(rules).not.toMatch(/^0:\s+from all lookup local/m);
  }, 30_000);

  it('a second tunnel to the same peer address on one member is refused', async () => {
    await expect(
      ensureTunnelNamespace({
        labRoot,
        memberNs: MEMBER_NS[1],
        memberIndex: 1,
        connectionId: `${HEX}-000c-4000-8000-00000000000c`,
        publicIp: '192.0.2.40',
        peerIp: desired[0]!.remoteAddress,
      }),
    ).rejects.toThrow(/already sends/);
  });

  it('routes traffic from the VPC to both sites, through the tunnels on the smaller public IP', async () => {
    await waitAllUp();
    const vpcRoutes = await syncUntil(false, /10\.2\.0\.0\/24 via 10\.1\.0\.5 .*\n10\.3\.0\.0\/24 via 10\.1\.0\.5 /);
    const before = await packetsOut();
    for (const s of SITES) await pingAnswered(VPC, s.host, { source: '10.1.0.1' });
    const after = await packetsOut();
    for (const s of SITES) {
      expect(after.get(key(s.conn, 2))! - before.get(key(s.conn, 2))!).toBeGreaterThanOrEqual(3);
      expect(after.get(key(s.conn, 1))! - before.get(key(s.conn, 1))!).toBe(0);
    }
    // a second sync with nothing changed sends nothing to change (level-based)
    await sync(false);
    expect(await ip(['route', 'show', 'table', 'all', 'proto', '77'], VPC)).toBe(vpcRoutes);
  }, 90_000);

  it("fails over to the other member's tunnel when the primary tunnel's charon is killed", async () => {
    const primary = tunnels.get(key(SITES[0]!.conn, 2))!;
    const pid = primary.charon.pid()!;
    const t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    await expect
      .poll(async () => (await states()).find((s) => s.connectionId === SITES[0]!.conn && s.memberIndex === 2)?.up, { timeout: 5000, interval: 100 })
      .toBe(false);
    await syncUntil(false, /10\.2\.0\.0\/24 via 10\.1\.0\.4 .*\n10\.3\.0\.0\/24 via 10\.1\.0\.5 /);
    const switched = Date.now() - t0;
    // The reply comes back over whichever tunnel the site's charon sends on (libipsec takes the first
    // of its two 0.0.0.0/0 CHILDs); once its DPD (2 s / 10 s) drops the dead one, over member 1's.
    let replied = 0;
    while (Date.now() - t0 < 40_000) {
      const out = await inNamespace(VPC, ['ping', ...answeredPing(1), '-I', '10.1.0.1', SITES[0]!.host], 30_000).catch(() => '');
      if (/1 received/.test(out)) {
        replied = Date.now() - t0;
        break;
      }
    }
    console.log(`failover: VPC route switched ${switched} ms after the kill; first reply through member 1 after ${replied} ms`);
    expect(replied).toBeGreaterThan(0);
    await pingAnswered(VPC, SITES[1]!.host, { source: '10.1.0.1' });

    // The tunnel comes back (its charon restarted and reloaded): member 2 is primary again.
    await primary.charon.ensure();
    await loadTunnel(desired[0]!, 2);
    await waitAllUp();
    await syncUntil(false, /10\.2\.0\.0\/24 via 10\.1\.0\.5 /);
  }, 120_000);

  it('spreads flows over both members with distribute_traffic (ECMP), counted per tunnel', async () => {
    await syncUntil(true, /10\.2\.0\.0\/24 .*\n\s+nexthop via 10\.1\.0\.4 .*\n\s+nexthop via 10\.1\.0\.5/);
    // Flows hash on (source, destination): 16 VPC addresses to each site.
    const sources = Array.from({ length: 16 }, (_, i) => `10.1.0.${100 + i}`);
    await ipBatch(
      sources.map((s) => `addr add ${s}/24 dev bsub`),
      VPC,
    );
    // Settled first: one CHILD_SA per tunnel. The charon killed above came back while its site retried,
    // and both ends may initiate again later: as the agent does on every pass, close a duplicate each poll.
    let closed = 0;
    await expect
      .poll(
        async () => {
          closed += await closeDuplicates();
          return Promise.all([...tunnels.values()].map(async (t) => (await children(t)).length));
        },
        { timeout: 15_000, interval: 250 },
      )
      .toEqual([...tunnels.keys()].map(() => 1));
    console.log(`ECMP: ${closed} duplicate IKE_SA(s) closed before counting`);
    const before = await packetsOut();
    // Per site, the echo requests ping sent: 2 per flow, and one more each 0.2 s that a reply was late.
    const sent = new Map<string, number>();
    for (const s of SITES)
      for (const src of sources) {
        const out = await pingAnswered(VPC, s.host, { count: 2, source: src });
        sent.set(s.conn, (sent.get(s.conn) ?? 0) + echoes(out).sent);
      }
    const sentAll = [...sent.values()].reduce((a, b) => a + b, 0);
    // charon's counters follow the packets a moment later: wait until every echo request is counted.
    const counted = (m: Map<string, number>): number =>
      SITES.reduce((n, s) => n + m.get(key(s.conn, 1))! + m.get(key(s.conn, 2))!, 0) -
      SITES.reduce((n, s) => n + before.get(key(s.conn, 1))! + before.get(key(s.conn, 2))!, 0);
    let after = await packetsOut();
    for (let i = 0; i < 30 && counted(after) < sentAll; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await packetsOut();
    }
    const split = SITES.map((s) => {
      const m1 = after.get(key(s.conn, 1))! - before.get(key(s.conn, 1))!;
      const m2 = after.get(key(s.conn, 2))! - before.get(key(s.conn, 2))!;
      return { site: s.lan, member1: m1, member2: m2, sent: sent.get(s.conn)! };
    });
    console.log(`ECMP split (ESP packets out per tunnel, ${sources.length} flows x 2 pings per site): ${JSON.stringify(split)}`);
    for (const x of split) {
      expect(x.member1 + x.member2).toBe(x.sent);
      expect(x.member1).toBeGreaterThan(0);
      expect(x.member2).toBeGreaterThan(0);
    }
    // without it again: one member per route
    await sync(false);
    expect(await ip(['route', 'show', 'table', 'all', 'proto', '77'], VPC)).not.toMatch(/nexthop/);
  }, 120_000);

  it('removing the tunnels leaves no tunnel namespace, rule or route behind', async () => {
    for (const [k] of [...tunnels]) {
      const [conn, m] = k.split('/');
      await removeTunnelNamespace(labRoot, MEMBER_NS[Number(m) as 1 | 2], conn!, Number(m) as 1 | 2);
      tunnels.delete(k);
    }
    await sync(false);
    expect(await ip(['route', 'show', 'table', 'all', 'proto', '77'], VPC)).toBe('');
    expect(await ip(['rule', 'show'], VPC)).not.toMatch(/lookup \d{8}/);
    for (const m of MEMBERS) expect(await ip(['rule', 'show'], MEMBER_NS[m.index])).not.toMatch(/iif pub0/);
    const names = (await ip(['netns', 'list'])).split('\n').map((l) => l.split(' ')[0]);
    for (const s of SITES) for (const m of [1, 2]) expect(names).not.toContain(`cw-tn-${s.conn.replace(/-/g, '').slice(0, 12)}-${m}`);
  }, 60_000);
});
