import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipBatch, inNamespace, ip } from '../../src/dataplane/lab/ip-command.js';
import { subnetBridge, vpcNs } from '../../src/dataplane/lab/lab-names.js';
import { ViciClient } from '../../src/dataplane/vici/index.js';
import { installedChildSas } from '../../src/agent/peer-group-applier.js';
import type { TestServer } from '../harness.js';
import { labCli, labRuns, startLab, stopLab, tunnelDir } from './lab-fixture.js';
import { startPing } from './ping-gap.js';
import { answeredPing, echoes, expectAnswered } from './ping-echoes.js';

type Member = { index?: number; role: string; status: string; public_ip: { address: string }; private_ip: { address: string } };

const TAG = 'rr';
const PID = process.pid % 100000;
const CIDR = '10.81.0.0/24';
const ROUTER = '10.81.0.1';
const SITES = [
  { name: `rra${PID}`, lan: '10.82.0.0/24', host: '10.82.0.1' },
  { name: `rrb${PID}`, lan: '10.83.0.0/24', host: '10.83.0.1' },
];
/**
 * IBM's default DPD: 2 s interval, 10 s timeout (the site's charon runs the same schedule). A site
 * that keeps sending into its dead tunnel does so until its DPD gives that IKE_SA up: at most the
 * interval (its first check) and the timeout, and a second for the routes and the ping's step.
 */
const SITE_DPD_MS = 2_000 + 10_000;

/**
 * Route mode end to end, through the IBM API and the `causeway lab` CLI: a route gateway (two active
 * members, each with its own public IP), two lab sites each behind a route-based connection, and
 * routes in the VPC's default routing table to each site's LAN with the connection as next hop.
 * Every route connection runs one tunnel per member, each in its own tunnel namespace with its own
 * charon; the VPC namespace routes by the table via the member on the smaller public IP (or both,
 * ECMP, with distribute_traffic), and follows the tunnels' live state.
 */
describe.runIf(labRuns)('lab: route mode routes by the VPC routing tables', () => {
  let t: TestServer;
  let gwId: string;
  let vpcId: string;
  let subnetId: string;
  let zone: string;
  let table: string;
  let members: Member[];
  /** The member on the smaller public IP (primary without distribute_traffic) and the other. */
  let primary: 1 | 2;
  let secondary: 1 | 2;
  const conns: string[] = [];
  const routes: string[] = [];
  const cli = (args: string[]): Promise<string> => labCli(t, TAG, args);
  const vns = (): string => vpcNs(vpcId);
  const kernelRoutes = (): Promise<string> => ip(['route', 'show', 'table', 'all', 'proto', '77'], vns());
  // One request waits 2 s for its reply (the drop route's test expects none); more must all be answered.
  const ping = (to: string, from = ROUTER, count = 3): Promise<string> =>
    inNamespace(vns(), ['ping', ...(count > 1 ? answeredPing(count) : ['-n', '-c', '1', '-W', '2']), '-I', from, to], 30_000).catch(
      (e: { stdout?: string }) => e.stdout ?? '',
    );
  const status = async (conn: string): Promise<string> => (await t.call('GET', `/v1/vpn_gateways/${gwId}/connections/${conn}`)).json().status as string;
  const getMembers = async (): Promise<Member[]> => (await t.call('GET', `/v1/vpn_gateways/${gwId}`)).json().members as Member[];
  const ipValue = (a: string): number => a.split('.').reduce((v, o) => v * 256 + Number(o), 0);

  /** The installed CHILD_SAs of a tunnel's charon (their counters): none if it has none, or is down. */
  const children = async (conn: string, m: 1 | 2): Promise<Record<string, string>[]> => {
    const vici = new ViciClient({ socketPath: join(tunnelDir(t, conn, m), 'charon.vici') });
    try {
      await vici.connect(1_000);
      return installedChildSas(await vici.listSas({ noblock: true }));
    } catch {
      return [];
    } finally {
      vici.close();
    }
  };
  const allTunnelsUp = async (): Promise<boolean> => {
    for (const c of conns) for (const m of [1, 2] as const) if ((await children(c, m)).length === 0) return false;
    return true;
  };
  // Summed: for a moment after a member comes back, both ends may have initiated, and either SA may carry the flow.
  const packetsOut = async (conn: string, m: 1 | 2): Promise<number> => (await children(conn, m)).reduce((sum, c) => sum + Number(c['packets-out'] ?? 0), 0);
  const privateOf = (m: 1 | 2): string => members[m - 1]!.private_ip.address;
  const publicOf = (m: 1 | 2): string => members[m - 1]!.public_ip.address;
  const re = (s: string): string => s.replace(/\./g, '\\.');

  beforeAll(async () => {
    t = await startLab(TAG);
    const vpc = (await t.call('POST', '/v1/vpcs', { body: { name: 'vpc-rr' } })).json();
    vpcId = vpc.id;
    const sn = (await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpcId }, name: 'sn-rr', ipv4_cidr_block: CIDR } })).json();
    subnetId = sn.id;
    zone = sn.zone.name;
    const g = await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: subnetId }, mode: 'route', name: 'gw-rr' } });
    expect(g.statusCode, g.body).toBe(201);
    gwId = g.json().id;
    members = await getMembers();
    expect(members.every((m) => m.public_ip.address !== '0.0.0.0')).toBe(true);
    primary = ipValue(members[0]!.public_ip.address) < ipValue(members[1]!.public_ip.address) ? 1 : 2;
    secondary = primary === 1 ? 2 : 1;
    for (const s of SITES) {
      const siteIp = (await cli(['lab', 'site', 'create', s.name, '--lan', s.lan])).trim().split('\n').pop()!;
      const r = await t.call('POST', `/v1/vpn_gateways/${gwId}/connections`, {
        body: { name: `to-${s.name}`, psk: `psk-${s.name}-123`, peer: { address: siteIp } },
      });
      expect(r.statusCode, r.body).toBe(201);
      conns.push(r.json().id);
      expect(await cli(['lab', 'site', 'connect', s.name, '--connection', r.json().id])).toMatch(/now answers connection/);
    }
    table = (await t.call('GET', `/v1/vpcs/${vpcId}/default_routing_table`)).json().id;
  }, 120_000);
  afterAll(() => stopLab(t), 60_000);

  it('brings up both tunnels of both connections, each in its own tunnel namespace', async () => {
    for (const c of conns) await expect.poll(() => status(c), { timeout: 40_000, interval: 200 }).toBe('up');
    await expect.poll(allTunnelsUp, { timeout: 40_000, interval: 250 }).toBe(true);
    const namespaces = await ip(['netns', 'list']);
    for (const c of conns) for (const m of [1, 2]) expect(namespaces).toContain(`cw-tn-${c.replace(/-/g, '').slice(0, 12)}-${m}`);
  }, 90_000);

  it('routes from the VPC to both LANs by the default routing table, via the member on the smaller public IP', async () => {
    for (const [i, s] of SITES.entries()) {
      const r = await t.call('POST', `/v1/vpcs/${vpcId}/routing_tables/${table}/routes`, {
        body: { name: `to-${s.name}`, zone: { name: zone }, destination: s.lan, next_hop: { id: conns[i] } },
      });
      expect(r.statusCode, r.body).toBe(201);
      routes.push(r.json().id);
    }
    for (const s of SITES)
      await expect.poll(kernelRoutes, { timeout: 10_000, interval: 100 }).toMatch(new RegExp(`${re(s.lan)} via ${re(privateOf(primary))}`));
    for (const s of SITES) expectAnswered(await ping(s.host), 3);
  }, 60_000);

  it(`fails over to the other member's tunnels when the primary member fails`, async () => {
    const site = SITES[0]!;
    const pinger = startPing(vns(), ROUTER, site.host);
    await expect.poll(() => pinger.replies(), { timeout: 5_000, interval: 100 }).toBeGreaterThan(5);
    await cli(['lab', 'member', 'fail', gwId, '--member', String(primary)]);
    const t0 = Date.now(); // the CLI (a node process) has killed the member's charons and cut its links
    await expect.poll(kernelRoutes, { timeout: 5_000, interval: 50 }).toMatch(new RegExp(`${re(site.lan)} via ${re(privateOf(secondary))}`));
    const switched = Date.now() - t0;
    const before = pinger.replies();
    await expect.poll(() => pinger.replies() - before, { timeout: SITE_DPD_MS + 20_000, interval: 100 }).toBeGreaterThan(10);
    const gap = await pinger.stop();
    // Toward the site the route moves within a second; the site's replies may keep going into its
    // dead tunnel (libipsec sends on the first of its two 0.0.0.0/0 CHILD_SAs) until its own DPD drops
    // that IKE_SA: the gap is 0.5 s when the site already sends on the other tunnel, else up to its DPD.
    console.log(
      `route failover: VPC route moved ${switched} ms after \`lab member fail\`; ping gap ${gap} ms (bound: the site's DPD, ${SITE_DPD_MS} ms, + 1 s)`,
    );
    expect(switched).toBeLessThanOrEqual(1_500);
    expect(gap).toBeLessThanOrEqual(SITE_DPD_MS + 1_000);
    expect((await getMembers()).map((m) => m.status)).toEqual([1, 2].map((i) => (i === primary ? 'failed' : 'available')));
    for (const c of conns) expect(await status(c)).toBe('up');
    // Each tunnel shows its own member's state: the failed member's down, the other's up.
    const tunnels = async (): Promise<string[]> =>
      ((await t.call('GET', `/v1/vpn_gateways/${gwId}/connections/${conns[0]}`)).json().tunnels as { status: string }[]).map((x) => x.status);
    await expect.poll(tunnels, { timeout: 5_000, interval: 100 }).toEqual([1, 2].map((i) => (i === primary ? 'down' : 'up')));
    // And the timeline says which tunnel went.
    const tunnelEvents = async (): Promise<string[]> =>
      ((await t.call('GET', `/v1/vpn_gateways/${gwId}/connections/${conns[0]}/events`)).json().events as { type: string; message: string }[])
        .filter((e) => e.type.startsWith('tunnel_'))
        .map((e) => e.message);
    expect((await tunnelEvents())[0]).toBe(`The tunnel on gateway member ${primary} (${publicOf(primary)}) went down.`);
    // The other site, too (its replies as well may wait for its DPD).
    await expect.poll(() => ping(SITES[1]!.host, ROUTER, 1), { timeout: SITE_DPD_MS + 5_000, interval: 0 }).toMatch(/1 received/);

    await cli(['lab', 'member', 'recover', gwId, '--member', String(primary)]);
    await expect.poll(allTunnelsUp, { timeout: 40_000, interval: 250 }).toBe(true);
    for (const s of SITES)
      await expect.poll(kernelRoutes, { timeout: 10_000, interval: 100 }).toMatch(new RegExp(`${re(s.lan)} via ${re(privateOf(primary))}`));
    await expect.poll(async () => (await getMembers()).map((m) => m.status), { timeout: 5_000 }).toEqual(['available', 'available']);
    await expect.poll(tunnels, { timeout: 5_000, interval: 100 }).toEqual(['up', 'up']);
    await expect
      .poll(async () => (await tunnelEvents())[0], { timeout: 5_000, interval: 100 })
      .toBe(`The tunnel on gateway member ${primary} (${publicOf(primary)}) came up: it carries traffic.`);
  }, 120_000);

  it('spreads flows over both members with distribute_traffic (ECMP), counted per tunnel', async () => {
    for (const c of conns) {
      const r = await t.call('PATCH', `/v1/vpn_gateways/${gwId}/connections/${c}`, {
        body: { distribute_traffic: true },
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const site = SITES[0]!;
    await expect.poll(kernelRoutes, { timeout: 10_000, interval: 100 }).toMatch(new RegExp(`${re(site.lan)} .*\\n\\s+nexthop via`));
    // Flows hash on (source, destination): 16 VPC addresses to the site.
    const sources = Array.from({ length: 16 }, (_, i) => `10.81.0.${100 + i}`);
    await ipBatch(
      sources.map((s) => `addr add ${s}/24 dev ${subnetBridge(subnetId)}`),
      vns(),
    );
    const c = conns[0]!;
    // After the member came back, both ends may have initiated its tunnel at once: two IKE_SAs, each
    // with a copy of the CHILD_SA. The agent closes one of such a pair (duplicate-sas.ts): one CHILD_SA
    // per tunnel, and every flow counted on it.
    await expect.poll(async () => [(await children(c, 1)).length, (await children(c, 2)).length], { timeout: 15_000, interval: 250 }).toEqual([1, 1]);
    const before = [await packetsOut(c, 1), await packetsOut(c, 2)];
    // The echo requests ping sent: 2 per flow, and one more each 0.2 s that a reply was late.
    let sent = 0;
    for (const src of sources) {
      const out = await ping(site.host, src, 2);
      expectAnswered(out, 2);
      sent += echoes(out).sent;
    }
    // charon's counters follow the packets a moment later: wait until every echo request is counted.
    let after = [await packetsOut(c, 1), await packetsOut(c, 2)];
    for (let i = 0; i < 30 && after[0]! + after[1]! - before[0]! - before[1]! < sent; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = [await packetsOut(c, 1), await packetsOut(c, 2)];
    }
    const [m1, m2] = [after[0]! - before[0]!, after[1]! - before[1]!];
    console.log(`ECMP split: member 1 ${m1} packets, member 2 ${m2} (${sources.length} flows x 2 pings to ${site.lan})`);
    expect(m1 + m2).toBe(sent);
    expect(m1).toBeGreaterThan(0);
    expect(m2).toBeGreaterThan(0);
  }, 90_000);

  it('a drop route blackholes its destination inside a delivered LAN; deleted, the traffic flows again', async () => {
    const site = SITES[0]!;
    const r = await t.call('POST', `/v1/vpcs/${vpcId}/routing_tables/${table}/routes`, {
      body: { name: 'drop-site-host', zone: { name: zone }, destination: `${site.host}/32`, action: 'drop' },
    });
    expect(r.statusCode, r.body).toBe(201);
    await expect.poll(kernelRoutes, { timeout: 10_000, interval: 100 }).toMatch(new RegExp(`^blackhole ${re(site.host)} table \\d+`, 'm'));
    expect(await ping(site.host, ROUTER, 1)).not.toMatch(/1 received/);
    // The LAN's own route stays: the drop covers only its /32.
    expect(await kernelRoutes()).toMatch(new RegExp(re(site.lan)));
    expect((await t.call('DELETE', `/v1/vpcs/${vpcId}/routing_tables/${table}/routes/${r.json().id}`)).statusCode).toBe(204);
    await expect.poll(kernelRoutes, { timeout: 10_000, interval: 100 }).not.toMatch(/blackhole/);
    expect(await ping(site.host, ROUTER, 1)).toMatch(/1 received/);
  }, 60_000);

  it('deleting a route removes its kernel routes; the other route stays', async () => {
    const r = await t.call('DELETE', `/v1/vpcs/${vpcId}/routing_tables/${table}/routes/${routes[1]}`);
    expect(r.statusCode).toBe(204);
    await expect.poll(kernelRoutes, { timeout: 10_000, interval: 100 }).not.toMatch(new RegExp(re(SITES[1]!.lan)));
    expect(await kernelRoutes()).toMatch(new RegExp(re(SITES[0]!.lan)));
    for (const m of [1, 2] as const)
      expect(await ip(['route', 'show', 'table', '200'], `cw-gw-${gwId.replace(/-/g, '').slice(0, 12)}-${m}`)).not.toMatch(new RegExp(re(SITES[1]!.lan)));
  }, 30_000);

  it('deleting a connection removes its tunnel namespaces and their routes', async () => {
    const c = conns[0]!;
    // A connection that is a route's next hop cannot go (409): its route first.
    expect((await t.call('DELETE', `/v1/vpcs/${vpcId}/routing_tables/${table}/routes/${routes[0]}`)).statusCode).toBe(204);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gwId}/connections/${c}`)).statusCode).toBe(202);
    const short = c.replace(/-/g, '').slice(0, 12);
    await expect.poll(async () => (await ip(['netns', 'list'])).includes(`cw-tn-${short}-`), { timeout: 15_000, interval: 200 }).toBe(false);
    await expect.poll(kernelRoutes, { timeout: 10_000, interval: 100 }).toBe('');
  }, 30_000);

  it('deleting the gateway leaves no tunnel or member namespace and no tunnel charon', async () => {
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gwId}/connections/${conns[1]}`)).statusCode).toBe(202);
    await expect.poll(async () => (await t.call('DELETE', `/v1/vpn_gateways/${gwId}`)).statusCode, { timeout: 15_000, interval: 200 }).toBe(202);
    const short = gwId.replace(/-/g, '').slice(0, 12);
    await expect
      .poll(
        async () =>
          (await ip(['netns', 'list']))
            .split('\n')
            .filter(
              (l) => l.includes(`cw-gw-${short}-`) || (/^cw-tn-/.test(l) && conns.some((c) => l.startsWith(`cw-tn-${c.replace(/-/g, '').slice(0, 12)}`))),
            ),
        {
          timeout: 15_000,
          interval: 200,
        },
      )
      .toEqual([]);
    for (const c of conns) for (const m of [1, 2] as const) expect(existsSync(tunnelDir(t, c, m))).toBe(false);
  }, 40_000);
});
