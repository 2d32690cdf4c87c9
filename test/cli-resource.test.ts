import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliServer, type CliServer } from './cli-fixture.js';

/** The resource CLI against a real listening server: login and the profile, output, exit codes, help, completion, downloads. */
describe('causeway resource CLI', () => {
  let c: CliServer;
  let gw = '';
  beforeAll(async () => {
    c = await startCliServer();
    const vpc = (await c.t.call('POST', '/v1/vpcs', { body: { name: 'cli-vpc' } })).json() as { id: string };
    const subnet = (await c.t.call('POST', '/v1/subnets', { body: { name: 'cli-subnet', vpc: { id: vpc.id }, ipv4_cidr_block: '10.240.0.0/24' } })).json() as {
      id: string;
    };
    gw = ((await c.t.call('POST', '/v1/vpn_gateways', { body: { name: 'cli-gw', mode: 'policy', subnet: { id: subnet.id } } })).json() as { id: string }).id;
    const conn = await c.t.call('POST', `/v1/vpn_gateways/${gw}/connections`, {
      body: { name: 'cli-conn', psk: 'lkj14b1oi0alcniejkso', local: { cidrs: ['10.240.0.0/24'] }, peer: { address: '203.0.113.9', cidrs: ['192.168.1.0/24'] } },
    });
    expect(conn.statusCode, conn.body).toBe(201);
  }, 60_000);
  afterAll(() => c?.close());

  const noEnv = { CAUSEWAY_URL: '', CAUSEWAY_APIKEY: '' };
  const profile = () => JSON.parse(readFileSync(join(c.home, 'profile.json'), 'utf8')) as { url: string; token: string; expiration: number };

  it('login keeps a 0600 profile in a 0700 directory, reuses its token, refreshes it when expired or refused, and logout forgets it', async () => {
    const keyFile = join(c.home, 'key');
    writeFileSync(keyFile, `${c.apikey}\n`, { mode: 0o600 });
    const login = await c.run(['login', '--url', c.t.server.url, '--apikey-file', keyFile], { env: noEnv });
    expect(login.status, login.stderr).toBe(0);
    expect(login.stdout + login.stderr).not.toContain(c.apikey);
    expect(statSync(join(c.home, 'profile.json')).mode & 0o777).toBe(0o600);
    expect(statSync(c.home).mode & 0o777).toBe(0o700);
    const first = profile().token;

    expect((await c.run(['vpn-gateways'], { env: noEnv })).status).toBe(0);
    expect(profile().token).toBe(first);

    // A token the server refuses (401) is replaced, and so is one past its expiry.
    writeFileSync(join(c.home, 'profile.json'), JSON.stringify({ ...profile(), token: 'cw_not_a_token' }), { mode: 0o600 });
    expect((await c.run(['vpn-gateway', 'cli-gw'], { env: noEnv })).status).toBe(0);
    expect(profile().token).not.toBe('cw_not_a_token');
    writeFileSync(join(c.home, 'profile.json'), JSON.stringify({ ...profile(), expiration: 1 }), { mode: 0o600 });
    expect((await c.run(['vpcs', '-q'], { env: noEnv })).status).toBe(0);
    expect(profile().expiration).toBeGreaterThan(Date.now() / 1000);

    expect((await c.run(['logout'], { env: noEnv })).stdout).toMatch(/Logged out/);
    const after = await c.run(['vpcs'], { env: noEnv });
    expect(after.status).toBe(2);
    expect(after.stderr).toMatch(/not logged in/);
  }, 60_000);

  it('a wrong API key is the API error: exit 1, its message and code on stderr', async () => {
    const r = await c.run(['vpcs'], { env: { CAUSEWAY_APIKEY: 'cw_wrong' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Provided API key could not be found/);
    expect(r.stderr).toMatch(/Error code: BXNIM0415E/);
    expect(r.stderr).not.toContain('cw_wrong');
  });

  it('exit codes: 0 done, 1 the API refused (no stack trace), 2 usage', async () => {
    const missing = await c.run(['vpn-gateway', 'no-such-gateway']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/VPN gateway 'no-such-gateway' was not found/);
    expect(missing.stderr).toMatch(/Error code: vpn_gateway_not_found/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const refused = await c.run([
      'vpn-gateway-connection-create',
      'bad',
      'cli-gw',
      '203.0.113.10',
      'short',
      '--local-cidr',
      '10.240.0.0/24',
      '--peer-cidr',
      '192.168.9.0/24',
    ]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/Error code: \w+/);
    for (const args of [
      ['vpn-gateway-create'],
      ['vpn-gateways', '--bogus'],
      ['vpcs', '--output', 'yaml'],
      ['vpn-gateway-connection-update', 'cli-gw', 'cli-conn', '--admin-state-up', 'maybe'],
    ]) {
      const r = await c.run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
  }, 60_000);

  it('--output JSON (any case) prints the API JSON; -q prints nothing; the default is a table', async () => {
    const api = (await c.t.call('GET', `/v1/vpn_gateways/${gw}`)).json() as Record<string, unknown>;
    for (const output of ['JSON', 'json']) {
      const r = await c.run(['vpn-gateway', 'cli-gw', '--output', output]);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(api);
    }
    const quiet = await c.run(['vpn-gateway-connections', 'cli-gw', '-q']);
    expect([quiet.status, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    const table = await c.run(['vpn-gateway-connections', 'cli-gw']);
    expect(table.stdout).toMatch(/^ID\s+Name\s+Status/);
    expect(table.stdout).toMatch(/cli-conn\s+down\s+policy\s+203\.0\.113\.9/);
  }, 60_000);

  it("--help carries seed 001's flag descriptions", async () => {
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const create = flat((await c.run(['vpn-gateway-connection-create', '--help'])).stdout);
    for (const text of [
      'The dead peer detection action. This field value can be either `restart`, `clear`, `hold`, or `none`. (Default: `restart`).',
      'The dead peer detection interval in seconds (default: `2`).',
      'The type of local IKE identity. This field value can be either `fqdn`, `hostname`, `ipv4_address`, or `key_id`.',
      'Suppresses verbose output.',
    ]) {
      expect(create).toContain(text);
    }
    expect(create).toMatch(/Usage: causeway vpn-gateway-connection-create \[options\] <CONNECTION_NAME> <VPN_GATEWAY> <PEER> <PRESHARED_KEY>/);
    const add = flat((await c.run(['vpn-gateway-connection-local-cidr-add', '--help'])).stdout);
    expect(add).toContain('The prefix length part of the CIDR.');
    expect(add).toContain('The output in JSON format.');
  });

  it('bash completion completes commands, their flags and the values of choice flags', async () => {
    const complete = async (words: string[]) => {
      const script = `source <(causeway completion bash)\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n_causeway_completion\necho "\${COMPREPLY[*]}"`;
      const r = await c.sh(script);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split(' ');
    };
    expect(await complete(['causeway', 'vpn-gateway-connection-l'])).toEqual(
      expect.arrayContaining(['vpn-gateway-connection-local-cidr-add', 'vpn-gateway-connection-local-cidr-delete', 'vpn-gateway-connection-local-cidrs']),
    );
    expect(await complete(['causeway', 'vpn-gateway-connection-create', 'x', '--dead-peer'])).toEqual([
      '--dead-peer-detection-action',
      '--dead-peer-detection-interval',
      '--dead-peer-detection-timeout',
    ]);
    expect(await complete(['causeway', 'vpn-gateway-connection-create', '--establish-mode', ''])).toEqual(['bidirectional', 'peer_only']);
    expect(await complete(['causeway', 'lab', 'si'])).toEqual(['site']);
    expect(await complete(['causeway', 'lab', 'site', 'c'])).toEqual(['create', 'connect']);
  }, 60_000);

  it('peer-config writes the swanctl file (0600) named after the connection; events lists the timeline', async () => {
    const r = await c.run(['vpn-gateway-connection-peer-config', 'cli-gw', 'cli-conn', '--format', 'swanctl']);
    expect(r.status, r.stderr).toBe(0);
    const file = join(c.home, 'cli-conn.conf');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/connections\s*\{/);
    const bad = await c.run(['vpn-gateway-connection-peer-config', 'cli-gw', 'cli-conn', '--format', 'telex']);
    expect(bad.status).toBe(1);

    const events = await c.run(['vpn-gateway-connection-events', 'cli-gw', 'cli-conn']);
    expect(events.status, events.stderr).toBe(0);
    expect(events.stdout).toMatch(/^Time\s+Type\s+Message\s+Cause/);
    expect(events.stdout).toMatch(/\screated\s/);
    const json = JSON.parse((await c.run(['vpn-gateway-connection-events', 'cli-gw', 'cli-conn', '--limit', '1', '--output', 'json'])).stdout) as {
      events: unknown[];
      limit: number;
    };
    expect([json.events.length, json.limit]).toEqual([1, 1]);
  }, 60_000);

  it('a 404 for a route the server lacks (a wrong URL, or an older server) is a clean exit 1', async () => {
    const r = await c.run(['vpn-gateway-connection-events', 'cli-gw', 'cli-conn'], { env: { CAUSEWAY_URL: `${c.t.server.url}/nowhere` } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Error code: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('delete asks first (a closed stdin is a no), y deletes, -f skips the question', async () => {
    for (const name of ['ike-a', 'ike-b']) {
      await c.t.call('POST', '/v1/ike_policies', {
        body: { name, ike_version: 2, authentication_algorithms: ['sha256'], encryption_algorithms: ['aes256'], dh_groups: [14] },
      });
    }
    const names = async () => ((await c.t.call('GET', '/v1/ike_policies')).json() as { ike_policies: { name: string }[] }).ike_policies.map((p) => p.name);
    const no = await c.run(['ike-policy-delete', 'ike-a']);
    expect(no.status).toBe(1);
    expect(await names()).toContain('ike-a');
    expect((await c.run(['ike-policy-delete', 'ike-a'], { input: 'y\n' })).status).toBe(0);
    expect((await c.run(['ike-policy-delete', 'ike-b', '-f'])).status).toBe(0);
    expect(await names()).not.toEqual(expect.arrayContaining(['ike-a']));
    expect(await names()).not.toContain('ike-b');
  }, 60_000);

  it('--wait on a server without a data plane ends with the status reason (exit 1)', async () => {
    const r = await c.run([
      'vpn-gateway-connection-create',
      'waited',
      'cli-gw',
      '203.0.113.20',
      'lkj14b1oi0alcniejkso',
      '--local-cidr',
      '10.240.0.0/24',
      '--peer-cidr',
      '192.168.20.0/24',
      '--wait',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Waiting for connection waited: status down/);
    expect(r.stderr).toMatch(/data_plane_not_attached: No data plane/);
  }, 60_000);

  it('every other command once, by name, with the API state it leaves', async () => {
    const ok = async (args: string[]) => {
      const r = await c.run(args);
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const json = async (args: string[]) => JSON.parse(await ok([...args, '--output', 'json'])) as Record<string, unknown> & Record<string, unknown>[];
    expect(await ok(['vpcs'])).toMatch(/cli-vpc/);
    expect(await ok(['vpc', 'cli-vpc'])).toMatch(/^Name\s+cli-vpc$/m);
    expect((await json(['vpc-create', 'cli-vpc-2']))['name']).toBe('cli-vpc-2');
    expect((await json(['subnet-create', 'cli-subnet-2', 'cli-vpc-2', '--ipv4-cidr-block', '10.9.0.0/24']))['ipv4_cidr_block']).toBe('10.9.0.0/24');
    expect(await ok(['subnets', '--vpc', 'cli-vpc-2'])).toMatch(/cli-subnet-2\s+available\s+10\.9\.0\.0\/24/);
    expect(await ok(['subnet', 'cli-subnet-2'])).toMatch(/^IPv4 CIDR\s+10\.9\.0\.0\/24$/m);
    const g2 = await json(['vpn-gateway-create', 'cli-gw-2', 'cli-subnet-2', '--vpc', 'cli-vpc-2', '--wait']);
    expect([g2['mode'], g2['lifecycle_state']]).toEqual(['route', 'stable']);
    expect((await json(['vpn-gateway-update', 'cli-gw-2', '--name', 'cli-gw-3']))['name']).toBe('cli-gw-3');
    expect((await json(['vpn-gateways', '--mode', 'route'])).map((g) => g['name'])).toEqual(['cli-gw-3']);

    await ok(['ike-policy-create', 'cli-ike', 'sha256,sha384', '14,19', 'aes256', '2', '--key-lifetime', '3600', '-q']);
    await ok(['ipsec-policy-create', 'cli-ipsec', 'disabled', 'aes256gcm16', 'group_19', '-q']);
    expect((await json(['ike-policy-update', 'cli-ike', '--dh-group', '19', '--name', 'cli-ike-2']))['dh_groups']).toEqual([19]);
    expect((await json(['ipsec-policy-update', 'cli-ipsec', '--pfs', 'group_14']))['pfs_groups']).toEqual(['group_14']);
    expect(await ok(['ike-policies'])).toMatch(/cli-ike-2\s+sha256, sha384\s+aes256\s+19\s+2\s+3600/);
    expect(await ok(['ipsec-policy', 'cli-ipsec'])).toMatch(/^PFS groups\s+group_14$/m);

    const upd = await json([
      'vpn-gateway-connection-update',
      'cli-gw',
      'cli-conn',
      '--name',
      'cli-conn-2',
      '--admin-state-up',
      'false',
      '--ike-policy',
      'cli-ike-2',
      '--ipsec-policy',
      'cli-ipsec',
      '--local-ike-identities',
      '[{"type":"fqdn","value":"gw.example.com"}]',
      '--peer-address',
      '203.0.113.44',
    ]);
    expect(upd['name']).toBe('cli-conn-2');
    expect(upd['admin_state_up']).toBe(false);
    expect((upd['local'] as { ike_identities: unknown[] }).ike_identities).toEqual([{ type: 'fqdn', value: 'gw.example.com' }]);
    expect((upd['peer'] as { address: string }).address).toBe('203.0.113.44');
    expect(await ok(['ike-policy-connections', 'cli-ike-2'])).toMatch(/cli-conn-2/);
    expect(await ok(['ipsec-policy-connections', 'cli-ipsec'])).toMatch(/cli-conn-2/);
    const reset = await json(['vpn-gateway-connection-update', 'cli-gw', 'cli-conn-2', '--reset-ike-policy', '--reset-ipsec-policy', '--name', 'cli-conn']);
    expect([reset['ike_policy'], reset['ipsec_policy']]).toEqual([undefined, undefined]);

    await ok(['vpn-gateway-connection-peer-cidr-add', 'cli-gw', 'cli-conn', '10.77.0.0', '16', '-q']);
    expect((await json(['vpn-gateway-connection-peer-cidrs', 'cli-gw', 'cli-conn']))['cidrs']).toContain('10.77.0.0/16');
    await ok(['vpn-gateway-connection-peer-cidr-delete', 'cli-gw', 'cli-conn', '10.77.0.0/16', '-f']);
    expect((await json(['vpn-gateway-connection-peer-cidrs', 'cli-gw', 'cli-conn']))['cidrs']).not.toContain('10.77.0.0/16');
    await ok(['vpn-gateway-connection-local-cidr-add', 'cli-gw', 'cli-conn', '10.241.0.0/24', '-q']);
    await ok(['vpn-gateway-connection-local-cidr-delete', 'cli-gw', 'cli-conn', '10.240.0.0', '24', '-f']);
    expect((await json(['vpn-gateway-connection-local-cidrs', 'cli-gw', 'cli-conn']))['cidrs']).toEqual(['10.241.0.0/24']);

    await ok([
      'vpn-gateway-connection-create',
      'gone',
      'cli-gw',
      '203.0.113.50',
      'lkj14b1oi0alcniejkso',
      '--local-cidr',
      '10.240.0.0/24',
      '--peer-cidr',
      '192.168.50.0/24',
      '-q',
    ]);
    await ok(['vpn-gateway-connection-delete', 'cli-gw', 'gone', '-f']);
    expect(await ok(['vpn-gateway-delete', 'cli-gw-3', '-f'])).toMatch(/cli-gw-3 .* is being deleted/);
    await ok(['ipsec-policy-delete', 'cli-ipsec', '-f']);
  }, 120_000);
});
