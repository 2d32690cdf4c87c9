/* eslint-disable @typescript-eslint/no-explicit-any -- answers are loose JSON in tests */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutronCall, startTestServer, type TestServer } from './harness.js';
import { huaweiAccount, huaweiGateway } from './huawei-fixture.js';

/** One domain: a connection made in Huawei shows in the native API and in Neutron, and the other way round. */
describe('Huawei ↔ IBM and Huawei ↔ Neutron', () => {
  let t: TestServer;
  let a: Awaited<ReturnType<typeof huaweiAccount>>;
  let gw: Awaited<ReturnType<typeof huaweiGateway>>;
  let eip1: string;
  let cgw: string;

  beforeAll(async () => {
    t = await startTestServer();
    a = await huaweiAccount(t, 'cross');
    gw = await huaweiGateway(t, a, '10.250.0.0/24', ['10.250.0.0/24']);
    eip1 = (await gw.show()).eip1.id;
    cgw = (await a.hw('POST', '/customer-gateways', { customer_gateway: { id_value: '198.51.100.20' } })).json().customer_gateway.id;
  });
  afterAll(() => t.close());

  /** A POLICY connection on eip1 toward the customer gateway, from the gateway's subnet to `destination`. */
  const policyConnection = (destination: string, extra: Record<string, unknown> = {}) => ({
    vpn_connection: {
      vgw_id: gw.id,
      vgw_ip: eip1,
      cgw_id: cgw,
      style: 'policy',
      psk: 'Cross-psk-123',
      policy_rules: [{ source: '10.250.0.0/24', destination: [destination] }],
      ...extra,
    },
  });

  it('Huawei → IBM: a POLICY connection shows as a policy connection with its CIDRs and policies; the gateway as route mode', async () => {
    const c = (await a.hw('POST', '/vpn-connection', policyConnection('192.168.20.0/24'))).json().vpn_connection;
    const ibmGw = (await t.call('GET', `/v1/vpn_gateways/${gw.id}`, { token: a.ibm })).json();
    expect(ibmGw.mode).toBe('route');
    const r = await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`, { token: a.ibm });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      id: c.id,
      mode: 'policy',
      peer: { address: '198.51.100.20', cidrs: ['192.168.20.0/24'] },
      local: { cidrs: ['10.250.0.0/24'] },
    });
    expect(r.json().ike_policy.id).toBeDefined();
  });

  it('IBM → Huawei: a static route connection made natively shows as STATIC with Huawei spellings', async () => {
    const r = await t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, {
      token: a.ibm,
      body: { psk: 'ibm-made-psk-1', peer: { address: '203.0.113.30' } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const h = await a.hw('GET', `/vpn-connection/${r.json().id}`);
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json().vpn_connection).toMatchObject({ style: 'STATIC', vgw_id: gw.id, status: 'DOWN', ikepolicy: { peer_id: '203.0.113.30' } });
    const list = (await a.hw('GET', `/vpn-connection?vgw_id=${gw.id}`)).json();
    expect(list.vpn_connections.map((x: any) => x.id)).toContain(r.json().id);
  });

  it('IBM → Huawei update: a native connection with a policy Huawei cannot spell takes a partial ikepolicy, keeping the rest', async () => {
    const ike = await t.call('POST', '/v1/ike_policies', {
      token: a.ibm,
      body: { name: 'native-ike', ike_version: 2, authentication_algorithms: ['sha384'], encryption_algorithms: ['aes256'], dh_groups: [31] },
    });
    expect(ike.statusCode, ike.body).toBe(201);
    const r = await t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, {
      token: a.ibm,
      body: { name: 'native-upd', psk: 'ibm-made-psk-2', peer: { address: '203.0.113.31' }, ike_policy: { id: ike.json().id } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const u = await a.hw('PUT', `/vpn-connection/${r.json().id}`, { vpn_connection: { name: 'renamed-by-huawei', ikepolicy: { lifetime_seconds: 3600 } } });
    expect(u.statusCode, u.body).toBe(200);
    expect(u.json().vpn_connection).toMatchObject({ name: 'renamed-by-huawei', ikepolicy: { lifetime_seconds: 3600, authentication_algorithm: 'sha2-384' } });
    const after = (await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${r.json().id}`, { token: a.ibm })).json();
    const policy = (await t.call('GET', `/v1/ike_policies/${after.ike_policy.id}`, { token: a.ibm })).json();
    expect(policy).toMatchObject({ dh_groups: [31], encryption_algorithms: ['aes256'], authentication_algorithms: ['sha384'], key_lifetime: 3600 });
    // The user's own policy is untouched: Huawei moved the connection to a shared policy of the new content.
    expect((await t.call('GET', `/v1/ike_policies/${ike.json().id}`, { token: a.ibm })).json().key_lifetime).toBe(28800);
  });

  it('a shared policy changed natively is not reused for its old content', async () => {
    const make = async (n: number) =>
      (await a.hw('POST', '/vpn-connection', policyConnection(`192.168.${30 + n}.0/24`, { ikepolicy: { lifetime_seconds: 7000 } }))).json().vpn_connection;
    const first = await make(1);
    const ibm = (await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${first.id}`, { token: a.ibm })).json();
    const patched = await t.call('PATCH', `/v1/ike_policies/${ibm.ike_policy.id}`, {
      token: a.ibm,
      body: { key_lifetime: 9000 },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect([200, 409]).toContain(patched.statusCode);
    const second = await make(2);
    expect(second.ikepolicy.lifetime_seconds).toBe(7000);
  });

  it('Huawei → Neutron: a POLICY connection shows as an ipsec_site_connection; Neutron → Huawei the other way round', async () => {
    const c = (
      await a.hw('POST', '/vpn-connection', {
        vpn_connection: { vgw_id: gw.id, vgw_ip: eip1, cgw_id: cgw, style: 'policy', psk: 'Cross-psk-456', peer_subnets: ['192.168.21.0/24'] },
      })
    ).json().vpn_connection;
    const n = await neutronCall(t, 'GET', `/vpn/ipsec-site-connections/${c.id}`, undefined, a.token);
    expect(n.statusCode, n.body).toBe(200);
    expect(n.json().ipsec_site_connection).toMatchObject({ id: c.id, peer_address: '198.51.100.20', vpnservice_id: gw.id });
    // Neutron: policies, a service on a router, a connection; Huawei shows it as POLICY.
    const nn = (m: string, u: string, b?: unknown) => neutronCall(t, m, u, b, a.token);
    const ike = (await nn('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'x-ike', ike_version: 'v2', auth_algorithm: 'sha256', pfs: 'group14' } })).json()
      .ikepolicy;
    const esp = (await nn('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'x-esp', auth_algorithm: 'sha256', pfs: 'group14' } })).json().ipsecpolicy;
    const nets = (await nn('GET', '/networks?router:external=true')).json().networks;
    const net = (await nn('POST', '/networks', { network: { name: 'n-x' } })).json().network;
    const sub = (await nn('POST', '/subnets', { subnet: { network_id: net.id, cidr: '10.251.0.0/24', ip_version: 4 } })).json().subnet;
    const router = (await nn('POST', '/routers', { router: { name: 'r-x', external_gateway_info: { network_id: nets[0].id } } })).json().router;
    await nn('PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: sub.id });
    const svc = (await nn('POST', '/vpn/vpnservices', { vpnservice: { router_id: router.id, subnet_id: sub.id } })).json().vpnservice;
    const sc = await nn('POST', '/vpn/ipsec-site-connections', {
      ipsec_site_connection: {
        vpnservice_id: svc.id,
        ikepolicy_id: ike.id,
        ipsecpolicy_id: esp.id,
        peer_address: '203.0.113.40',
        peer_id: '203.0.113.40',
        peer_cidrs: ['192.168.22.0/24'],
        psk: 'neutron-psk',
      },
    });
    expect(sc.statusCode, sc.body).toBe(201);
    const h = (await a.hw('GET', `/vpn-connection/${sc.json().ipsec_site_connection.id}`)).json().vpn_connection;
    expect(h).toMatchObject({
      style: 'POLICY',
      vgw_id: svc.id,
      peer_subnets: ['192.168.22.0/24'],
      policy_rules: [{ source: '10.251.0.0/24', destination: ['192.168.22.0/24'] }],
    });
    expect(h.ikepolicy).toMatchObject({ ike_version: 'v2', authentication_algorithm: 'sha2-256', dh_group: 'group14' });
  });
});
