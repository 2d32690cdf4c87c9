import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { makeGateway, policyConnection, startTestServer, type TestServer, neutronCall } from './harness.js';
import { neutronFixture } from './neutron-fixture.js';

/** Dialect fidelity found by real clients, real OpenStack Neutron's code and the seeds (issue 9, item 6). */
describe('dialect fidelity', () => {
  let t: TestServer;
  let alice: string;
  const n = (method: string, url: string, body?: unknown, token = alice) => neutronCall(t, method, url, body, token);

  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'remote', 'quota.gatewaysPerZone': '9' });
    alice = await t.account('alice');
  });
  afterAll(() => t.close());

  it('bounds a policy lifetime in every dialect: Neutron refuses 2^63 and 10^30, nothing is stored', async () => {
    const before = (await n('GET', '/vpn/ikepolicies')).json().ikepolicies.length;
    for (const value of ['9223372036854775807', '1000000000000000000000000000000', '2147483648']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v2.0/vpn/ikepolicies',
        headers: { 'x-auth-token': alice, 'content-type': 'application/json' },
        payload: `{"ikepolicy": {"name": "big-${value.length}", "lifetime": {"units": "seconds", "value": ${value}}}}`,
      });
      expect([r.statusCode, r.json().NeutronError?.message], value).toEqual([400, expect.stringMatching(/too large - must be no larger than '2147483647'/)]);
    }
    expect((await n('GET', '/vpn/ikepolicies')).json().ikepolicies.length).toBe(before);
    const ok = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'largest', lifetime: { units: 'seconds', value: 2147483647 } } });
    expect(ok.statusCode).toBe(201);
    // IBM's own range stays 300–86400 for IPsec.
    const ibm = await t.call('POST', '/v1/ipsec_policies', {
      token: alice,
      body: { name: 'x', authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', pfs: 'disabled', key_lifetime: 2147483647 },
    });
    expect(ibm.statusCode).toBe(400);
  });

  it("refuses a body that is not UTF-8 with a 400 in the dialect's envelope, storing nothing", async () => {
    const bad = Buffer.concat([Buffer.from('{"ikepolicy": {"name": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/v2.0/vpn/ikepolicies',
      headers: { 'x-auth-token': alice, 'content-type': 'application/json' },
      payload: bad,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().NeutronError.message).toMatch(/UTF-8/);
    expect((await n('GET', '/vpn/ikepolicies')).json().ikepolicies.some((p: { name: string }) => p.name.startsWith('caf'))).toBe(false);
    const ibm = await t.app.inject({
      method: 'POST',
      url: '/v1/vpcs?version=2026-06-02',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0x22, 0x7d]),
    });
    expect([ibm.statusCode, ibm.json().errors[0].code]).toEqual([400, 'invalid_json']);
  });

  it("answers unknown paths outside the dialects with an envelope, not the framework's default body", async () => {
    for (const url of ['/docs/nope', '/docs/errors/x', '/nothing-here']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json()).toEqual({ errors: [{ code: 'not_found', message: expect.stringContaining(url) }], trace: expect.any(String), status_code: 404 });
    }
  });

  it('cuts echoed values short in Neutron messages: a 1 MB description gets a short 400', async () => {
    const r = await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'x', description: 'd'.repeat(1024 * 1000) } });
    expect(r.statusCode).toBe(400);
    expect(r.body.length).toBeLessThan(1000);
    // Every other place a value is echoed: attribute checks, handler checks, domain messages, unknown keys.
    const big = 'x'.repeat(400_000);
    const net = (await n('POST', '/networks', { network: { name: 'echo' } })).json().network;
    const router = (await n('POST', '/routers', { router: { name: 'echo' } })).json().router;
    const cases: [string, string, unknown][] = [
      ['POST', '/subnets', { subnet: { network_id: net.id, cidr: big } }],
      ['POST', '/subnets', { subnet: { network_id: net.id, ip_version: big, cidr: '10.9.0.0/24' } }],
      ['POST', '/subnets', { subnet: { network_id: net.id, cidr: '10.9.0.0/24', gateway_ip: big } }],
      ['PUT', `/routers/${router.id}/add_router_interface`, { [big]: 1 }],
      ['POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: [big] } }],
      ['POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: ['10.1.0.0/24', big, big] } }],
      ['POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'subnet', endpoints: [big] } }],
    ];
    for (const [method, url, body] of cases) {
      const res = await n(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.body.length, `${method} ${url}: ${res.body.slice(0, 200)}`).toBeLessThan(1000);
    }
    // A long unknown path is not echoed whole either, in any dialect.
    const path = `/${'p'.repeat(8000)}`;
    for (const prefix of ['/v1', '/v2.0', '/identity/v3', '']) {
      const res = await t.app.inject({ method: 'GET', url: `${prefix}${path}` });
      expect(res.statusCode, prefix).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, prefix).toBeLessThan(500);
      expect(res.body.length, prefix).toBeLessThan(1000);
    }
  });

  it('refuses any update of a policy in use, a rename too, as Neutron does', async () => {
    const fx = await neutronFixture((m, u, b) => n(m, u, b), '10.60.0.0/28', 'fid');
    const svc = (await n('POST', '/vpn/vpnservices', { vpnservice: { subnet_id: fx.sub.id, router_id: fx.router.id, name: 'vpn-fid' } })).json().vpnservice;
    const ike = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'in-use' } })).json().ikepolicy;
    const esp = (await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'in-use' } })).json().ipsecpolicy;
    const c = await n('POST', '/vpn/ipsec-site-connections', {
      ipsec_site_connection: {
        name: 'fid-1',
        psk: 'secret',
        ikepolicy_id: ike.id,
        ipsecpolicy_id: esp.id,
        vpnservice_id: svc.id,
        peer_address: '203.0.113.61',
        peer_id: '203.0.113.61',
        peer_cidrs: ['192.168.61.0/24'],
      },
    });
    expect(c.statusCode).toBe(201);
    for (const [path, key, id, type] of [
      ['ikepolicies', 'ikepolicy', ike.id, 'IKEPolicyInUse'],
      ['ipsecpolicies', 'ipsecpolicy', esp.id, 'IPsecPolicyInUse'],
    ] as const) {
      for (const body of [{ name: 'renamed' }, { description: 'only a description' }]) {
        const r = await n('PUT', `/vpn/${path}/${id}`, { [key]: body });
        expect([r.statusCode, r.json().NeutronError.type]).toEqual([409, type]);
      }
      expect((await n('GET', `/vpn/${path}/${id}`)).json()[key].name).toBe('in-use');
    }

    // Seed 003 (OTC): created_at/updated_at on connections; PENDING_CREATE until the data plane applied it.
    const conn = c.json().ipsec_site_connection;
    expect(conn.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(conn.updated_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(conn.status).toBe('PENDING_CREATE');
    const plan = await t.server.control.agent.plan(svc.id);
    await t.server.control.agent.report(svc.id, { generation: plan.generation, connections: [{ id: conn.id, status: 'up', reasons: [] }] });
    expect((await n('GET', `/vpn/ipsec-site-connections/${conn.id}`)).json().ipsec_site_connection.status).toBe('ACTIVE');
    // A change the data plane has not applied yet: PENDING_UPDATE, then back once an agent reports the new generation.
    const put = await n('PUT', `/vpn/ipsec-site-connections/${conn.id}`, { ipsec_site_connection: { psk: 'another-secret' } });
    expect(put.json().ipsec_site_connection.status).toBe('PENDING_UPDATE');
    expect(put.json().ipsec_site_connection.updated_at >= conn.updated_at).toBe(true);
    const plan2 = await t.server.control.agent.plan(svc.id);
    await t.server.control.agent.report(svc.id, { generation: plan2.generation, connections: [{ id: conn.id, status: 'down', reasons: [] }] });
    expect((await n('GET', `/vpn/ipsec-site-connections/${conn.id}`)).json().ipsec_site_connection.status).toBe('DOWN');
    // A rename changes no tunnel: no PENDING_UPDATE.
    expect(
      (await n('PUT', `/vpn/ipsec-site-connections/${conn.id}`, { ipsec_site_connection: { name: 'fid-renamed' } })).json().ipsec_site_connection.status,
    ).toBe('DOWN');

    // Seed 003: PSK 6–128 characters from its set; names 1–64 characters.
    const base = {
      ikepolicy_id: ike.id,
      ipsecpolicy_id: esp.id,
      vpnservice_id: svc.id,
      peer_address: '203.0.113.62',
      peer_id: '203.0.113.62',
      peer_cidrs: ['192.168.62.0/24'],
    };
    for (const [extra, field] of [
      [{ psk: 'five5' }, 'psk'],
      [{ psk: 'has&amp' }, 'psk'],
      [{ psk: 'x'.repeat(129) }, 'psk'],
      [{ psk: 'secret', name: 'n'.repeat(65) }, 'name'],
      [{ psk: 'secret', name: '' }, 'name'],
    ] as const) {
      const r = await n('POST', '/vpn/ipsec-site-connections', { ipsec_site_connection: { ...base, ...extra } });
      expect([r.statusCode, r.json().NeutronError?.message], JSON.stringify(extra).slice(0, 60)).toEqual([400, expect.stringContaining(field)]);
    }
    const okPsk = await n('POST', '/vpn/ipsec-site-connections', {
      ipsec_site_connection: { ...base, name: 'n'.repeat(64), psk: 'Aa1~`!@#$%^()-_+=[]{}|\\,./:;' },
    });
    expect(okPsk.statusCode).toBe(201);
  });

  it("accepts OTC's sha2-256 spelling beside sha256 and answers in the spelling the request used", async () => {
    const otc = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'otc', auth_algorithm: 'sha2-256' } })).json().ikepolicy;
    expect(otc.auth_algorithm).toBe('sha2-256');
    expect((await n('GET', `/vpn/ikepolicies/${otc.id}`)).json().ikepolicy.auth_algorithm).toBe('sha2-256');
    const up = (await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'upstream', auth_algorithm: 'sha256' } })).json().ipsecpolicy;
    expect(up.auth_algorithm).toBe('sha256');
    const md5 = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'md5', auth_algorithm: 'md5' } });
    expect([md5.statusCode, md5.json().ipsecpolicy.auth_algorithm]).toEqual([201, 'md5']);
    // The same policy through IBM: the domain holds sha256.
    expect((await t.call('GET', `/v1/ike_policies/${otc.id}`, { token: alice })).json().authentication_algorithms).toEqual(['sha256']);
    const again = (await n('PUT', `/vpn/ikepolicies/${otc.id}`, { ikepolicy: { auth_algorithm: 'sha2-384' } })).json().ikepolicy;
    expect(again.auth_algorithm).toBe('sha2-384');
  });

  it('serves /v1/regions, the region and its zones from --region and --zones', async () => {
    const regions = (await t.call('GET', '/v1/regions')).json();
    expect(regions).toEqual({
      regions: [{ endpoint: expect.any(String), href: expect.stringMatching(/\/v1\/regions\/lab$/), name: 'lab', status: 'available' }],
    });
    expect((await t.call('GET', '/v1/regions/lab')).json().name).toBe('lab');
    const zones = (await t.call('GET', '/v1/regions/lab/zones')).json().zones;
    expect(zones).toEqual([
      {
        data_center: 'lab-1',
        href: expect.stringMatching(/\/v1\/regions\/lab\/zones\/lab-1$/),
        name: 'lab-1',
        region: { href: expect.any(String), name: 'lab' },
        status: 'available',
        universal_name: 'lab-1',
      },
    ]);
    expect((await t.call('GET', '/v1/regions/lab/zones/lab-1')).json().name).toBe('lab-1');
    expect((await t.call('GET', '/v1/regions/mars')).json().errors[0].code).toBe('region_not_found');
    expect((await t.call('GET', '/v1/regions/lab/zones/lab-9')).statusCode).toBe(404);
  });

  it('an IBM connection whose data plane has not applied a change shows lifecycle_state updating', async () => {
    const { gateway } = await makeGateway(t, { token: alice, cidr: '10.61.0.0/24', name: 'gw-updating' });
    const c = (await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { token: alice, body: policyConnection() })).json();
    const plan = await t.server.control.agent.plan(gateway.id);
    await t.server.control.agent.report(gateway.id, { generation: plan.generation, connections: [{ id: c.id, status: 'up', reasons: [] }] });
    expect((await t.call('GET', `/v1/vpn_gateways/${gateway.id}/connections/${c.id}`, { token: alice })).json().lifecycle_state).toBe('stable');
    const renamed = (await t.call('PATCH', `/v1/vpn_gateways/${gateway.id}/connections/${c.id}`, { token: alice, body: { name: 'renamed' } })).json();
    expect(renamed.lifecycle_state).toBe('stable');
    const patched = (await t.call('PATCH', `/v1/vpn_gateways/${gateway.id}/connections/${c.id}`, { token: alice, body: { admin_state_up: false } })).json();
    expect(patched.lifecycle_state).toBe('updating');
    expect(await t.server.control.changes.current()).toBeGreaterThan(plan.generation);
    void SYSTEM_ACTOR;
  });
});
