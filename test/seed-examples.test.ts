import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

const DIR = join(__dirname, 'seed-examples');

/**
 * Runs a seed's curl example exactly as written, with the variables the docs tell the reader to set,
 * against a live server. `curl` is wrapped (not edited) so the status and body can be read.
 */
async function runExample(file: string, vars: Record<string, string>): Promise<{ status: number; body: string }> {
  const script = `set -u
curl() { command curl -sS -o "$CW_OUT" -w '%{http_code}' "$@"; }
${readFileSync(join(DIR, file), 'utf8')}`;
  const out = join(process.env['TMPDIR'] ?? '/tmp', `cw-seed-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  // Asynchronous: the server answering curl runs in this process.
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { env: { ...process.env, ...vars, CW_OUT: out }, encoding: 'utf8', timeout: 20_000 });
  const body = readFileSync(out, 'utf8');
  rmSync(out, { force: true });
  return { status: Number(stdout.trim().slice(-3)), body };
}

describe('seed 001: the curl examples of "Adding connections to a VPN gateway", pointed at Causeway', () => {
  let t: TestServer;
  let vars: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer({}, { listen: true });
    const { gateway } = await makeGateway(t, { cidr: '10.240.0.0/24' });
    const ike = (
      await t.call('POST', '/v1/ike_policies', {
        body: { name: 'seed-ike', ike_version: 2, authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', dh_group: 14 },
      })
    ).json();
    const esp = (
      await t.call('POST', '/v1/ipsec_policies', {
        body: { name: 'seed-esp', authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', pfs: 'group_14' },
      })
    ).json();
    vars = {
      vpc_api_endpoint: t.server.url,
      api_version: '2026-06-02',
      iam_token: `Bearer ${t.adminToken}`,
      vpnGatewayId: gateway.id,
      ikePolicyId: ike.id,
      ipsecPolicyId: esp.id,
      psk: 'lkj14b1oi0alcniejkso',
      localCidrs: '10.240.0.0/24',
      remoteCidrs: '192.168.1.0/24',
    };
  });
  afterAll(async () => {
    await t.close();
  });

  it('create connection, as printed: the body is not valid JSON (missing comma), so a clear 400 invalid_json', async () => {
    const r = await runExample('001-create-connection.sh', vars);
    expect(r.status).toBe(400);
    const e = JSON.parse(r.body);
    expect(e.errors[0].code).toBe('invalid_json');
    expect(e.errors[0].message).toMatch(/not valid JSON: .*position \d+/);
    expect(e.status_code).toBe(400);
  });

  it('create connection, corrected: 201 with the policies, CIDRs and DPD it asked for', async () => {
    const r = await runExample('001-create-connection.fixed.sh', { ...vars, localCidrs: '["10.240.0.0/24"]', remoteCidrs: '["192.168.1.0/24"]' });
    expect(r.status, r.body).toBe(201);
    const c = JSON.parse(r.body);
    expect(c).toMatchObject({
      name: 'my-vpn-connection',
      psk: vars['psk'],
      dead_peer_detection: { action: 'restart', interval: 2, timeout: 10 },
      local: { cidrs: ['10.240.0.0/24'] },
      peer: { address: '7.8.9.10', cidrs: ['192.168.1.0/24'], type: 'address' },
      ike_policy: { id: vars['ikePolicyId'] },
      ipsec_policy: { id: vars['ipsecPolicyId'] },
      status: 'down',
    });
    vars['connectionId'] = c.id;
  });

  it('advanced options, as printed: a backslash and a missing comma make it invalid JSON → 400', async () => {
    const r = await runExample('001-create-connection-advanced.sh', { ...vars, localCidrs: '["10.240.0.0/28"]', remoteCidrs: '["192.168.0.0/24"]' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).errors[0].code).toBe('invalid_json');
  });

  it('advanced options, corrected: peer_only, key_id and hostname identities, FQDN peer', async () => {
    const r = await runExample('001-create-connection-advanced.fixed.sh', { ...vars, localCidrs: '["10.240.0.0/28"]', remoteCidrs: '["192.168.0.0/24"]' });
    expect(r.status, r.body).toBe(201);
    expect(JSON.parse(r.body)).toMatchObject({
      name: 'my-advanced-vpn-connection',
      establish_mode: 'peer_only',
      local: { cidrs: ['10.240.0.0/28'], ike_identities: [{ type: 'key_id', value: 'dGVzdGtleQ==' }] },
      peer: { fqdn: 'on-prem.test.com', type: 'fqdn', cidrs: ['192.168.0.0/24'], ike_identity: { type: 'hostname', value: 'cisco-asa' } },
    });
  });

  it('add a local CIDR and a peer CIDR (legacy prefix/length paths, no body): 204, and they are set', async () => {
    const v = { ...vars, connectionId: vars['connectionId']!, cidr_prefix: '10.241.0.0', prefix_length: '24' };
    expect((await runExample('001-add-local-cidr.sh', v)).status).toBe(204);
    expect((await runExample('001-add-peer-cidr.sh', { ...v, cidr_prefix: '172.16.0.0', prefix_length: '16' })).status).toBe(204);
    const c = (await t.call('GET', `/v1/vpn_gateways/${vars['vpnGatewayId']}/connections/${vars['connectionId']}`)).json();
    expect(c.local.cidrs).toEqual(['10.240.0.0/24', '10.241.0.0/24']);
    expect(c.peer.cidrs).toEqual(['192.168.1.0/24', '172.16.0.0/16']);
    // a CIDR that overlaps the other side is refused with the envelope, not silently accepted
    const bad = await runExample('001-add-peer-cidr.sh', { ...v, cidr_prefix: '10.241.0.0', prefix_length: '25' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).errors[0].code).toBe('cidr_overlap');
  });

  it('the corrected example with distribute_traffic on a policy gateway is refused (route-mode field)', async () => {
    const r = await t.call('POST', `/v1/vpn_gateways/${vars['vpnGatewayId']}/connections`, { body: policyConnection({ distribute_traffic: true }) });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ code: 'mode_mismatch', target: { name: 'distribute_traffic' } });
  });
});

describe('seed 000: every API the 2020 "About VPN gateways" page lists, and its auto-negotiation set', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ autoSet: 'auto-2020' }, { listen: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('each listed method and path does what the table says', async () => {
    const { gateway } = await makeGateway(t);
    const GW = gateway.id;
    const ike = await t.call('POST', '/v1/ike_policies', {
      body: { ike_version: 1, authentication_algorithm: 'md5', encryption_algorithm: '3des', dh_group: 2 },
    });
    expect(ike.statusCode).toBe(201);
    const esp = await t.call('POST', '/v1/ipsec_policies', { body: { authentication_algorithm: 'sha1', encryption_algorithm: 'aes128', pfs: 'group_5' } });
    expect(esp.statusCode).toBe(201);
    const conn = await t.call('POST', `/v1/vpn_gateways/${GW}/connections`, {
      body: policyConnection({ ike_policy: { id: ike.json().id }, ipsec_policy: { id: esp.json().id } }),
    });
    expect(conn.statusCode).toBe(201);
    const C = conn.json().id;
    const I = ike.json().id;
    const P = esp.json().id;
    const rows: [string, string, number, unknown?][] = [
      ['GET', '/vpn_gateways', 200],
      ['GET', `/vpn_gateways/${GW}`, 200],
      ['PATCH', `/vpn_gateways/${GW}`, 200, { name: 'renamed-gw' }],
      ['GET', `/vpn_gateways/${GW}/connections`, 200],
      ['GET', `/vpn_gateways/${GW}/connections/${C}`, 200],
      ['PATCH', `/vpn_gateways/${GW}/connections/${C}`, 200, { name: 'renamed-conn' }],
      ['GET', `/vpn_gateways/${GW}/connections/${C}/local_cidrs`, 200],
      ['PUT', `/vpn_gateways/${GW}/connections/${C}/local_cidrs/10.250.0.0/16`, 204],
      ['GET', `/vpn_gateways/${GW}/connections/${C}/local_cidrs/10.250.0.0/16`, 204],
      ['DELETE', `/vpn_gateways/${GW}/connections/${C}/local_cidrs/10.250.0.0/16`, 204],
      ['GET', `/vpn_gateways/${GW}/connections/${C}/peer_cidrs`, 200],
      ['PUT', `/vpn_gateways/${GW}/connections/${C}/peer_cidrs/172.31.0.0/16`, 204],
      ['GET', `/vpn_gateways/${GW}/connections/${C}/peer_cidrs/172.31.0.0/16`, 204],
      ['DELETE', `/vpn_gateways/${GW}/connections/${C}/peer_cidrs/172.31.0.0/16`, 204],
      ['GET', '/ike_policies', 200],
      ['GET', `/ike_policies/${I}`, 200],
      ['PATCH', `/ike_policies/${I}`, 200, { key_lifetime: 3600 }],
      ['GET', `/ike_policies/${I}/connections`, 200],
      ['GET', '/ipsec_policies', 200],
      ['GET', `/ipsec_policies/${P}`, 200],
      ['PATCH', `/ipsec_policies/${P}`, 200, { key_lifetime: 1800 }],
      ['GET', `/ipsec_policies/${P}/connections`, 200],
      ['DELETE', `/vpn_gateways/${GW}/connections/${C}`, 202],
    ];
    for (const [method, path, status, body] of rows) {
      const r = await fetch(`${t.server.url}/v1${path}?version=2020-09-03&generation=2`, {
        method,
        headers: { authorization: `Bearer ${t.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(r.status, `${method} ${path}: ${await r.clone().text()}`).toBe(status);
    }
    await expect.poll(async () => (await t.call('GET', `/v1/vpn_gateways/${GW}/connections/${C}`)).statusCode).toBe(404);
    expect((await t.call('DELETE', `/v1/ike_policies/${I}`)).statusCode).toBe(204);
    expect((await t.call('DELETE', `/v1/ipsec_policies/${P}`)).statusCode).toBe(204);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${GW}`)).statusCode).toBe(202);
  });

  it('auto-negotiation with the seed 000 set (md5, sha1, 3des, DH 2 and 5) is flagged as weak', async () => {
    const token = await t.account('seed0');
    const { gateway } = await makeGateway(t, { token });
    const c = (await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { token, body: policyConnection() })).json();
    expect(c.ike_policy).toBeUndefined();
    const weak = c.status_reasons.find((r: { code: string }) => r.code === 'weak_algorithm_in_use');
    expect(weak.message).toMatch(/3des/);
    expect(weak.message).toMatch(/md5/);
    expect(weak.message).toMatch(/DH group 2/);
  });
});
