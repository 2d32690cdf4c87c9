import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../src/dataplane/lab/ip-command.js';
import { gatewayNamespaces, vpcNs } from '../src/dataplane/lab/lab-names.js';
import { labDown } from '../src/dataplane/lab/lab-teardown.js';
import { startTestServer, type TestServer } from './harness.js';
import { pingAnswered } from './lab/ping-echoes.js';

const run = promisify(execFile);
const BIN = resolve('bin/causeway');
const OPENSTACK = '/usr/bin/openstack';
const root = process.getuid?.() === 0;
/** The real client from Debian (python3-openstackclient + python3-neutronclient); `make test` installs it, CI must not skip. */
const haveClient = existsSync(OPENSTACK);

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/**
 * The real `openstack` CLI against a listening Causeway: Keystone password auth, then Neutron
 * VPNaaS and core commands exactly as an OpenStack user types them. With root the lab data plane
 * is on and a connection made through the CLI carries a ping.
 */
describe.skipIf(!haveClient && !process.env['CI'])('the real OpenStack CLI against Causeway', () => {
  let t: TestServer;
  let env: NodeJS.ProcessEnv;
  let adminEnv: NodeJS.ProcessEnv;

  const os = async (args: string[], e: NodeJS.ProcessEnv = env): Promise<{ code: number; out: string; err: string }> => {
    try {
      const { stdout, stderr } = await run(OPENSTACK, args, { env: e, timeout: 60_000 });
      return { code: 0, out: stdout, err: stderr };
    } catch (x) {
      const r = x as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof r.code === 'number' ? r.code : 1, out: r.stdout ?? '', err: r.stderr ?? '' };
    }
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON output, asserted field by field
  const json = async (args: string[], e: NodeJS.ProcessEnv = env): Promise<any> => {
    const r = await os([...args, '-f', 'json'], e);
    if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} → ${r.code}: ${r.err}`);
    return JSON.parse(r.out);
  };
  const causeway = (args: string[]) => run(BIN, [...args, '--data-dir', t.dataDir], { timeout: 60_000 });

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestServer(
      {
        port: String(port),
        publicUrl: `http://127.0.0.1:${port}`,
        ...(root ? { dataplane: 'lab', labInternet: `cw-inet-o${process.pid}` } : {}),
        'quota.gatewaysPerZone': '9',
      },
      { listen: true },
    );
    await t.account('demo');
    await causeway(['user', 'create', '--account', 'demo', '--name', 'demo', '--password', 'demo-pass-1']);
    await causeway(['user', 'create', '--account', 'admin', '--name', 'cloud-admin', '--password', 'admin-pass-1', '--admin']);
    const base = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: t.dataDir,
      OS_AUTH_URL: `http://127.0.0.1:${port}/identity/v3`,
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
      OS_REGION_NAME: 'RegionOne',
    };
    env = { ...base, OS_USERNAME: 'demo', OS_PASSWORD: 'demo-pass-1', OS_PROJECT_NAME: 'demo' };
    adminEnv = { ...base, OS_USERNAME: 'cloud-admin', OS_PASSWORD: 'admin-pass-1', OS_PROJECT_NAME: 'admin' };
  }, 120_000);

  afterAll(async () => {
    if (!t) return;
    t.server.agent?.stop();
    await t.server.agent?.idle();
    if (root) await labDown(join(t.dataDir, 'lab'));
    await t.close();
  }, 60_000);

  it('authenticates with Keystone: openstack token issue', async () => {
    const tok = await json(['token', 'issue']);
    expect(tok.id).toMatch(/\./);
    expect(tok.project_id).toMatch(/^[0-9a-f]{32}$/);
  }, 60_000);

  it('vpn ike policy: create, list, show, set, delete', async () => {
    const p = await json([
      'vpn',
      'ike',
      'policy',
      'create',
      'ike1',
      '--auth-algorithm',
      'sha256',
      '--encryption-algorithm',
      'aes-256',
      '--ike-version',
      'v2',
      '--pfs',
      'group14',
      '--lifetime',
      'units=seconds,value=3600',
    ]);
    expect(p).toMatchObject({
      Name: 'ike1',
      'Authentication Algorithm': 'sha256',
      'Encryption Algorithm': 'aes-256',
      'IKE Version': 'v2',
      'Perfect Forward Secrecy (PFS)': 'group14',
    });
    expect((await json(['vpn', 'ike', 'policy', 'list'])).map((x: { Name: string }) => x.Name)).toContain('ike1');
    expect((await os(['vpn', 'ike', 'policy', 'set', 'ike1', '--lifetime', 'value=7200', '--pfs', 'group5', '--description', 'seven-two'])).code).toBe(0);
    const shown = await json(['vpn', 'ike', 'policy', 'show', 'ike1']);
    expect(shown).toMatchObject({ 'Perfect Forward Secrecy (PFS)': 'group5', Description: 'seven-two', Lifetime: { units: 'seconds', value: 7200 } });
    expect((await os(['vpn', 'ike', 'policy', 'delete', 'ike1'])).code).toBe(0);
    const gone = await os(['vpn', 'ike', 'policy', 'show', 'ike1']);
    expect(gone.code).not.toBe(0);
    expect(gone.err).toMatch(/Unable to find ikepolicy with name or id 'ike1'/);
  }, 120_000);

  it('vpn ipsec policy: create, list, show, set, delete', async () => {
    const p = await json([
      'vpn',
      'ipsec',
      'policy',
      'create',
      'esp1',
      '--auth-algorithm',
      'sha256',
      '--encryption-algorithm',
      'aes-256',
      '--pfs',
      'group14',
      '--encapsulation-mode',
      'tunnel',
      '--transform-protocol',
      'esp',
    ]);
    expect(p).toMatchObject({ Name: 'esp1', 'Encryption Algorithm': 'aes-256', 'Transform Protocol': 'esp', 'Encapsulation Mode': 'tunnel' });
    expect((await json(['vpn', 'ipsec', 'policy', 'list'])).map((x: { Name: string }) => x.Name)).toContain('esp1');
    expect((await os(['vpn', 'ipsec', 'policy', 'set', 'esp1', '--encryption-algorithm', 'aes-128'])).code).toBe(0);
    expect((await json(['vpn', 'ipsec', 'policy', 'show', 'esp1']))['Encryption Algorithm']).toBe('aes-128');
    const ah = await os(['vpn', 'ipsec', 'policy', 'create', 'ah1', '--transform-protocol', 'ah']);
    expect(ah.code).toBe(1);
    expect(ah.err).toMatch(/transform_protocol with value 'ah'/);
    expect((await os(['vpn', 'ipsec', 'policy', 'delete', 'esp1'])).code).toBe(0);
  }, 120_000);

  /** A network (= a Causeway VPC) with a subnet on a router with an external gateway, all by the CLI. */
  const site = async (tag: string, cidr: string) => {
    const net = await json(['network', 'create', `net-${tag}`]);
    const sub = await json(['subnet', 'create', `sub-${tag}`, '--network', `net-${tag}`, '--subnet-range', cidr]);
    await json(['router', 'create', `router-${tag}`]);
    expect((await os(['router', 'set', `router-${tag}`, '--external-gateway', 'public'])).code).toBe(0);
    expect((await os(['router', 'add', 'subnet', `router-${tag}`, `sub-${tag}`])).code).toBe(0);
    const svc = await json(['vpn', 'service', 'create', `vpn-${tag}`, '--router', `router-${tag}`, '--subnet', `sub-${tag}`]);
    return { net, sub, svc };
  };

  it("vpn service, endpoint groups and a connection; the native API sees the same objects; errors are Neutron's", async () => {
    const a = await site('a', '10.71.0.0/24');
    expect(a.svc).toMatchObject({ Name: 'vpn-a', Router: expect.any(String), Subnet: a.sub.id });
    const local = await json(['vpn', 'endpoint', 'group', 'create', 'epg-local', '--type', 'subnet', '--value', 'sub-a']);
    expect(local.Endpoints).toEqual([a.sub.id]);
    const peer = await json(['vpn', 'endpoint', 'group', 'create', 'epg-peer', '--type', 'cidr', '--value', '10.9.0.0/24', '--value', '10.8.0.0/24']);
    expect(peer.Endpoints).toEqual(['10.9.0.0/24', '10.8.0.0/24']);
    await json(['vpn', 'ike', 'policy', 'create', 'ike-c', '--ike-version', 'v2', '--auth-algorithm', 'sha256', '--pfs', 'group14']);
    await json(['vpn', 'ipsec', 'policy', 'create', 'esp-c', '--auth-algorithm', 'sha256', '--pfs', 'group14']);
    const c = await json([
      'vpn',
      'ipsec',
      'site',
      'connection',
      'create',
      'conn-a',
      '--vpnservice',
      'vpn-a',
      '--ikepolicy',
      'ike-c',
      '--ipsecpolicy',
      'esp-c',
      '--peer-address',
      '203.0.113.77',
      '--peer-id',
      '203.0.113.77',
      '--psk',
      'cli-secret-1',
      '--peer-cidr',
      '192.168.77.0/24',
      '--mtu',
      '1400',
      '--dpd',
      'action=restart,interval=10,timeout=40',
    ]);
    expect(c).toMatchObject({
      Name: 'conn-a',
      'Peer Address': '203.0.113.77',
      'Peer CIDRs': ['192.168.77.0/24'],
      MTU: 1400,
      dpd: { action: 'restart', interval: 10, timeout: 40 },
    });
    expect(['PENDING_CREATE', 'DOWN', 'ACTIVE']).toContain(c.Status);

    const native = await t.call('GET', `/v1/vpn_gateways/${a.svc.ID}/connections/${c.ID}`);
    expect(native.statusCode).toBe(200);
    expect(native.json()).toMatchObject({ name: 'conn-a', peer: { address: '203.0.113.77', cidrs: ['192.168.77.0/24'] }, local: { cidrs: ['10.71.0.0/24'] } });

    const inUse = await os(['vpn', 'ike', 'policy', 'delete', 'ike-c']);
    expect(inUse.code).toBe(1);
    expect(inUse.err).toMatch(/in use/);
    const busy = await os(['vpn', 'service', 'delete', 'vpn-a']);
    expect(busy.err).toMatch(/still in use/);
    await json(['router', 'create', 'router-bare']);
    const noGw = await os(['vpn', 'service', 'create', 'vpn-x', '--router', 'router-bare']);
    expect(noGw.code).toBe(1);
    expect(noGw.err).toMatch(/has no external network gateway set/);

    expect((await os(['vpn', 'ipsec', 'site', 'connection', 'delete', 'conn-a'])).code).toBe(0);
    expect((await os(['vpn', 'ike', 'policy', 'delete', 'ike-c'])).code).toBe(0);
  }, 180_000);

  it('router routes: set --route, add/remove route, unset --route, --no-route; the native API sees them in the default routing table', async () => {
    const net = await json(['network', 'create', 'net-rt']);
    await json(['subnet', 'create', 'sub-rt', '--network', 'net-rt', '--subnet-range', '10.74.0.0/24']);
    await json(['router', 'create', 'router-rt']);
    expect((await os(['router', 'add', 'subnet', 'router-rt', 'sub-rt'])).code).toBe(0);
    // The client shows routes as {destination, gateway} or {destination, nexthop}, depending on the formatter.
    const routesOf = async (): Promise<string[]> =>
      ((await json(['router', 'show', 'router-rt'])).routes as { destination: string; nexthop?: string; gateway?: string }[])
        .map((r) => `${r.destination} via ${r.nexthop ?? r.gateway}`)
        .sort();
    const native = async (): Promise<string[]> => {
      const table = (await t.call('GET', `/v1/vpcs/${net.id}/default_routing_table`)).json() as { id: string };
      const routes = (await t.call('GET', `/v1/vpcs/${net.id}/routing_tables/${table.id}/routes`)).json() as {
        routes: { destination: string; action: string; next_hop: { address: string } }[];
      };
      return routes.routes.map((r) => `${r.destination} ${r.action} ${r.next_hop.address}`).sort();
    };

    const set = await os(['router', 'set', 'router-rt', '--route', 'destination=192.168.90.0/24,gateway=10.74.0.9']);
    expect([set.code, set.err]).toEqual([0, '']);
    expect((await os(['router', 'set', 'router-rt', '--route', 'destination=192.168.91.0/24,gateway=10.74.0.10'])).code).toBe(0);
    expect(await routesOf()).toEqual(['192.168.90.0/24 via 10.74.0.9', '192.168.91.0/24 via 10.74.0.10']);
    expect(await native()).toEqual(['192.168.90.0/24 deliver 10.74.0.9', '192.168.91.0/24 deliver 10.74.0.10']);

    const add = await os(['router', 'add', 'route', 'router-rt', '--route', 'destination=192.168.92.0/24,gateway=10.74.0.11']);
    expect([add.code, add.err]).toEqual([0, '']);
    const rm = await os(['router', 'remove', 'route', 'router-rt', '--route', 'destination=192.168.90.0/24,gateway=10.74.0.9']);
    expect([rm.code, rm.err]).toEqual([0, '']);
    expect(await routesOf()).toEqual(['192.168.91.0/24 via 10.74.0.10', '192.168.92.0/24 via 10.74.0.11']);

    const unset = await os(['router', 'unset', 'router-rt', '--route', 'destination=192.168.91.0/24,gateway=10.74.0.10']);
    expect([unset.code, unset.err]).toEqual([0, '']);
    expect(await native()).toEqual(['192.168.92.0/24 deliver 10.74.0.11']);

    const bad = await os(['router', 'set', 'router-rt', '--route', 'destination=192.168.93.0/33,gateway=10.74.0.12']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a valid IPv4 CIDR/);

    expect((await os(['router', 'set', 'router-rt', '--no-route'])).code).toBe(0);
    expect(await routesOf()).toEqual([]);
    expect(await native()).toEqual([]);
    for (const args of [
      ['router', 'remove', 'subnet', 'router-rt', 'sub-rt'],
      ['router', 'delete', 'router-rt'],
      ['subnet', 'delete', 'sub-rt'],
      ['network', 'delete', 'net-rt'],
    ]) {
      const r = await os(args);
      expect([args.join(' '), r.code, r.err]).toEqual([args.join(' '), 0, '']);
    }
  }, 120_000);

  it('sees connections made through the native API', async () => {
    const svc = (await json(['vpn', 'service', 'list'])).find((s: { Name: string }) => s.Name === 'vpn-a');
    const r = await t.call('POST', `/v1/vpn_gateways/${svc.ID}/connections`, {
      body: { name: 'from-ibm', psk: 'native-secret-1', peer: { address: '203.0.113.88', cidrs: ['192.168.88.0/24'] }, local: { cidrs: ['10.71.0.0/24'] } },
    });
    expect(r.statusCode).toBe(201);
    const shown = await json(['vpn', 'ipsec', 'site', 'connection', 'show', 'from-ibm'], adminEnv);
    expect(shown).toMatchObject({ ID: r.json().id, 'Peer Address': '203.0.113.88', 'VPN Service': svc.ID });
    expect((await os(['vpn', 'ipsec', 'site', 'connection', 'delete', 'from-ibm'], adminEnv)).code).toBe(0);
  }, 120_000);

  it.skipIf(!root && !process.env['CI'])(
    'a connection between two Causeway gateways made with the CLI reaches ACTIVE and carries a ping',
    async () => {
      const left = await site('l', '10.81.0.0/24');
      const right = await site('r', '10.82.0.0/24');
      await json([
        'vpn',
        'ike',
        'policy',
        'create',
        'ike-lab',
        '--ike-version',
        'v2',
        '--auth-algorithm',
        'sha256',
        '--encryption-algorithm',
        'aes-256',
        '--pfs',
        'group14',
      ]);
      await json(['vpn', 'ipsec', 'policy', 'create', 'esp-lab', '--auth-algorithm', 'sha256', '--encryption-algorithm', 'aes-256', '--pfs', 'group14']);
      const ipOf = async (svc: string): Promise<string> => (await json(['vpn', 'service', 'show', svc])).external_v4_ip;
      const lIp = await ipOf('vpn-l');
      const rIp = await ipOf('vpn-r');
      const conn = (name: string, svc: string, peerIp: string, peerCidr: string) =>
        json([
          'vpn',
          'ipsec',
          'site',
          'connection',
          'create',
          name,
          '--vpnservice',
          svc,
          '--ikepolicy',
          'ike-lab',
          '--ipsecpolicy',
          'esp-lab',
          '--peer-address',
          peerIp,
          '--peer-id',
          peerIp,
          '--psk',
          'lab-cli-secret',
          '--peer-cidr',
          peerCidr,
        ]);
      await conn('l-to-r', 'vpn-l', rIp, '10.82.0.0/24');
      await conn('r-to-l', 'vpn-r', lIp, '10.81.0.0/24');
      for (const name of ['l-to-r', 'r-to-l']) {
        await expect
          .poll(async () => (await json(['vpn', 'ipsec', 'site', 'connection', 'show', name])).Status, { timeout: 60_000, interval: 1_000 })
          .toBe('ACTIVE');
      }
      await pingAnswered(vpcNs(left.net.id), '10.82.0.1');

      // Torn down the way tempest and Horizon do it, each command right after the last: every delete
      // succeeds although the data plane is still letting go, and the gateways' namespaces go.
      for (const args of [
        ['vpn', 'ipsec', 'site', 'connection', 'delete', 'l-to-r', 'r-to-l'],
        ['vpn', 'ike', 'policy', 'delete', 'ike-lab'],
        ['vpn', 'ipsec', 'policy', 'delete', 'esp-lab'],
        ['vpn', 'service', 'delete', 'vpn-l', 'vpn-r'],
        ['router', 'remove', 'subnet', 'router-l', 'sub-l'],
        ['router', 'remove', 'subnet', 'router-r', 'sub-r'],
        ['router', 'delete', 'router-l', 'router-r'],
        ['subnet', 'delete', 'sub-l', 'sub-r'],
        ['network', 'delete', 'net-l', 'net-r'],
      ]) {
        const r = await os(args);
        expect([args.join(' '), r.code, r.err]).toEqual([args.join(' '), 0, '']);
      }
      const idOf = (o: { id?: string; ID?: string }): string => (o.id ?? o.ID)!; // the client's JSON says `ID` for some resources
      const gone = [...gatewayNamespaces(idOf(left.svc)), ...gatewayNamespaces(idOf(right.svc)), vpcNs(idOf(left.net)), vpcNs(idOf(right.net))];
      expect((await listNamespaces()).filter((ns) => gone.includes(ns))).toEqual([]);
    },
    240_000,
  );
});
