import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, neutronCall } from './harness.js';
import { neutronFixture } from './neutron-fixture.js';

/** Neutron VPNaaS v2.0 resources (seed 003) over the shared domain: semantics the OpenStack clients and tempest rely on. */
describe('Neutron VPNaaS: IKE and IPsec policies', () => {
  let t: TestServer;
  let alice: string;
  const n = (method: string, url: string, body?: unknown, token = alice) => neutronCall(t, method, url, body, token);

  beforeAll(async () => {
    t = await startTestServer();
    alice = await t.account('alice');
  });
  afterAll(() => t.close());

  it('creates an IKE policy with Neutron defaults, shows and lists it', async () => {
    const r = await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'ike-a' } });
    expect(r.statusCode).toBe(201);
    const p = r.json().ikepolicy;
    expect(p).toMatchObject({
      name: 'ike-a',
      description: '',
      auth_algorithm: 'sha1',
      encryption_algorithm: 'aes-128',
      phase1_negotiation_mode: 'main',
      ike_version: 'v1',
      pfs: 'group5',
      lifetime: { units: 'seconds', value: 3600 },
    });
    expect(p.tenant_id).toBe(p.project_id);
    expect(p.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await n('GET', `/vpn/ikepolicies/${p.id}`)).json().ikepolicy).toEqual(p);
    expect((await n('GET', '/vpn/ikepolicies?name=ike-a')).json().ikepolicies.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await n('GET', '/vpn/ikepolicies?name=nope')).json().ikepolicies).toEqual([]);
    expect((await n('GET', `/vpn/ikepolicies?id=${p.id}&fields=id&fields=name`)).json().ikepolicies).toEqual([{ id: p.id, name: 'ike-a' }]);
  });

  it('updates an IKE policy not in use and merges a partial lifetime', async () => {
    const p = (
      await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'ike-b', ike_version: 'v1', encryption_algorithm: 'aes-128', auth_algorithm: 'sha256' } })
    ).json().ikepolicy;
    const u = await n('PUT', `/vpn/ikepolicies/${p.id}`, {
      ikepolicy: {
        name: 'ike-b2',
        description: 'Updated ike policy',
        encryption_algorithm: 'aes-256',
        ike_version: 'v2',
        pfs: 'group14',
        lifetime: { units: 'seconds', value: 2000 },
      },
    });
    expect(u.statusCode).toBe(200);
    const g = (await n('GET', `/vpn/ikepolicies/${p.id}`)).json().ikepolicy;
    expect(g).toMatchObject({
      name: 'ike-b2',
      description: 'Updated ike policy',
      encryption_algorithm: 'aes-256',
      ike_version: 'v2',
      pfs: 'group14',
      lifetime: { units: 'seconds', value: 2000 },
    });
    await n('PUT', `/vpn/ikepolicies/${p.id}`, { ikepolicy: { lifetime: { value: 7200 } } });
    expect((await n('GET', `/vpn/ikepolicies/${p.id}`)).json().ikepolicy.lifetime).toEqual({ units: 'seconds', value: 7200 });
    expect((await n('DELETE', `/vpn/ikepolicies/${p.id}`)).statusCode).toBe(204);
    expect((await n('DELETE', `/vpn/ikepolicies/${p.id}`)).statusCode).toBe(404);
  });

  it('echoes an IPsec policy lifetime value as it was sent', async () => {
    const c = await n('POST', '/vpn/ipsecpolicies', {
      ipsecpolicy: { name: 'esp-a', pfs: 'group5', encryption_algorithm: 'aes-128', auth_algorithm: 'sha256' },
    });
    expect(c.statusCode).toBe(201);
    const p = c.json().ipsecpolicy;
    expect(p).toMatchObject({
      pfs: 'group5',
      encryption_algorithm: 'aes-128',
      auth_algorithm: 'sha256',
      transform_protocol: 'esp',
      encapsulation_mode: 'tunnel',
    });
    const u = (
      await n('PUT', `/vpn/ipsecpolicies/${p.id}`, {
        ipsecpolicy: {
          description: 'Updated ipsec policy',
          pfs: 'group2',
          name: 'esp-a2',
          encryption_algorithm: 'aes-256',
          lifetime: { units: 'seconds', value: '2000' },
        },
      })
    ).json().ipsecpolicy;
    expect(u).toMatchObject({
      description: 'Updated ipsec policy',
      pfs: 'group2',
      name: 'esp-a2',
      encryption_algorithm: 'aes-256',
      lifetime: { units: 'seconds', value: '2000' },
    });
    expect((await n('GET', `/vpn/ipsecpolicies/${p.id}`)).json().ipsecpolicy.lifetime).toEqual({ units: 'seconds', value: 2000 });
  });

  it('refuses bad input with NeutronError bodies and 400', async () => {
    for (const [body, msg] of [
      [{ ikepolicy: { name: 'x', pfs: 'group99' } }, /pfs/],
      [{ ikepolicy: { name: 'x', lifetime: { units: 'seconds', value: 10 } } }, /too small/],
      [{ ikepolicy: { name: 'x', bogus: 1 } }, /Unrecognized attribute/],
      [{ ikepolicy: { name: 'y'.repeat(256) } }, /exceeds maximum length/],
      [{ nothing: {} }, /Unable to find 'ikepolicy'/],
    ] as const) {
      const r = await n('POST', '/vpn/ikepolicies', body);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json().NeutronError).toEqual({ type: expect.any(String), message: expect.stringMatching(msg), detail: '' });
    }
    const r = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'ah', transform_protocol: 'ah' } });
    expect([r.statusCode, r.json().NeutronError.type]).toEqual([400, 'IpsecValidationFailure']);
  });

  it('lists with sorting, limit/marker pagination and links', async () => {
    const carol = await t.account('carol');
    for (const name of ['p-c', 'p-a', 'p-b']) await n('POST', '/vpn/ikepolicies', { ikepolicy: { name } }, carol);
    const sorted = (await n('GET', '/vpn/ikepolicies?sort_key=name&sort_dir=asc', undefined, carol)).json().ikepolicies.map((x: { name: string }) => x.name);
    expect(sorted).toEqual(['p-a', 'p-b', 'p-c']);
    const page1 = (await n('GET', '/vpn/ikepolicies?sort_key=name&sort_dir=desc&limit=2', undefined, carol)).json();
    expect(page1.ikepolicies.map((x: { name: string }) => x.name)).toEqual(['p-c', 'p-b']);
    const next = page1.ikepolicies_links.find((l: { rel: string }) => l.rel === 'next').href as string;
    expect(next).toContain(`marker=${page1.ikepolicies[1].id}`);
    const page2 = (await n('GET', next.slice(next.indexOf('/v2.0') + 5), undefined, carol)).json();
    expect(page2.ikepolicies.map((x: { name: string }) => x.name)).toEqual(['p-a']);
    expect(page2.ikepolicies_links.map((l: { rel: string }) => l.rel)).toEqual(['previous']);
    expect((await n('GET', '/vpn/ikepolicies?sort_key=name', undefined, carol)).statusCode).toBe(400);
    expect((await n('GET', '/vpn/ikepolicies?limit=x', undefined, carol)).statusCode).toBe(400);
    expect((await n('GET', '/vpn/ikepolicies?ike_version=v1&pfs=group5&fields=name', undefined, carol)).json().ikepolicies).toHaveLength(3);
  });

  it('keeps projects apart, lets an admin create for another project, and answers 401 without a token', async () => {
    const bob = await t.account('bob');
    const mine = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'alice-only' } })).json().ikepolicy;
    expect((await n('GET', `/vpn/ikepolicies/${mine.id}`, undefined, bob)).statusCode).toBe(404);
    expect((await n('GET', '/vpn/ikepolicies', undefined, bob)).json().ikepolicies).toEqual([]);
    const forAlice = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'from-admin', project_id: mine.project_id } }, t.adminToken);
    expect(forAlice.statusCode).toBe(201);
    expect((await n('GET', '/vpn/ipsecpolicies')).json().ipsecpolicies.map((x: { id: string }) => x.id)).toContain(forAlice.json().ipsecpolicy.id);
    const notAdmin = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'sneaky', tenant_id: mine.project_id } }, bob);
    expect(notAdmin.statusCode).toBe(400);
    const anon = await t.app.inject({ method: 'GET', url: '/v2.0/vpn/ikepolicies' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().NeutronError.type).toBe('HTTPUnauthorized');
  });
});

describe('Neutron VPNaaS: services, endpoint groups and connections', () => {
  let t: TestServer;
  let alice: string;
  const n = (method: string, url: string, body?: unknown, token = alice) => neutronCall(t, method, url, body, token);
  let fx: Awaited<ReturnType<typeof neutronFixture>>;
  let svc: { id: string };
  let svcNoSubnet: { id: string };
  let ike: { id: string };
  let esp: { id: string };

  beforeAll(async () => {
    t = await startTestServer({ 'quota.gatewaysPerZone': '9' });
    alice = await t.account('alice');
    fx = await neutronFixture((m, u, b) => n(m, u, b), '10.100.0.0/28', 'a');
    const s = await n('POST', '/vpn/vpnservices', { vpnservice: { subnet_id: fx.sub.id, router_id: fx.router.id, name: 'vpn-a', admin_state_up: true } });
    expect(s.statusCode).toBe(201);
    svc = s.json().vpnservice;
    svcNoSubnet = (await n('POST', '/vpn/vpnservices', { vpnservice: { router_id: fx.router.id, name: 'vpn-b', admin_state_up: true } })).json().vpnservice;
    ike = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'ike-f' } })).json().ikepolicy;
    esp = (await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'esp-f' } })).json().ipsecpolicy;
  });
  afterAll(() => t.close());

  const legacy = (extra: Record<string, unknown> = {}) => ({
    ipsec_site_connection: {
      psk: 'secret',
      initiator: 'bi-directional',
      ipsecpolicy_id: esp.id,
      admin_state_up: true,
      ikepolicy_id: ike.id,
      vpnservice_id: svc.id,
      peer_address: '172.24.4.233',
      peer_id: '172.24.4.233',
      peer_cidrs: ['1.1.1.0/24', '2.2.2.0/24'],
      ...extra,
    },
  });

  it('a vpnservice is a policy gateway: its fields, status and external IP', async () => {
    const s = (await n('GET', `/vpn/vpnservices/${svc.id}`)).json().vpnservice;
    expect(s).toMatchObject({
      id: svc.id,
      name: 'vpn-a',
      router_id: fx.router.id,
      subnet_id: fx.sub.id,
      admin_state_up: true,
      flavor_id: null,
      external_v6_ip: null,
    });
    expect(s.external_v4_ip).toMatch(/^198\.51\.100\./);
    expect(['ACTIVE', 'DOWN', 'BUILD', 'ERROR', 'PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE']).toContain(s.status);
    expect(s.tenant_id).toBe(s.project_id);
    const g = (await t.call('GET', `/v1/vpn_gateways/${svc.id}`, { token: alice })).json();
    expect([g.mode, g.name]).toEqual(['policy', 'vpn-a']);
  });

  it('refuses services Neutron refuses', async () => {
    const long = await n('POST', '/vpn/vpnservices', { vpnservice: { subnet_id: fx.sub.id, router_id: fx.router.id, name: 'x'.repeat(256) } });
    expect(long.statusCode).toBe(400);
    const desc = await n('POST', '/vpn/vpnservices', {
      vpnservice: { subnet_id: fx.sub.id, router_id: fx.router.id, name: 'ok', description: 'y'.repeat(256) },
    });
    expect(desc.statusCode).toBe(400);
    const other = await neutronFixture((m, u, b) => n(m, u, b), '10.100.0.16/28', 'b');
    await n('PUT', `/routers/${other.router.id}/remove_router_interface`, { subnet_id: other.sub.id });
    const notOn = await n('POST', '/vpn/vpnservices', { vpnservice: { subnet_id: other.sub.id, router_id: other.router.id, name: 'nope' } });
    expect([notOn.statusCode, notOn.json().NeutronError.type]).toEqual([400, 'SubnetIsNotConnectedToRouter']);
    const bare = (await n('POST', '/routers', { router: { name: 'bare' } })).json().router;
    const notExt = await n('POST', '/vpn/vpnservices', { vpnservice: { router_id: bare.id, name: 'nope2' } });
    expect([notExt.statusCode, notExt.json().NeutronError.type]).toEqual([400, 'RouterIsNotExternal']);
  });

  it('endpoint groups: a bare string is a list, order kept, bad endpoints refused', async () => {
    const sub = await n('POST', '/vpn/endpoint-groups', {
      endpoint_group: { name: 'local', type: 'subnet', endpoints: fx.sub.id, description: 'endpoint type:subnet' },
    });
    expect(sub.statusCode).toBe(201);
    expect(sub.json().endpoint_group.endpoints).toEqual([fx.sub.id]);
    const cidr = (
      await n('POST', '/vpn/endpoint-groups', { endpoint_group: { name: 'peer', type: 'cidr', endpoints: ['10.102.0.0/24', '10.101.0.0/24'] } })
    ).json().endpoint_group;
    expect((await n('GET', `/vpn/endpoint-groups/${cidr.id}`)).json().endpoint_group.endpoints).toEqual(['10.102.0.0/24', '10.101.0.0/24']);
    expect((await n('POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: ['fec0:101::/64', 'fec0:102::/64'] } })).statusCode).toBe(201);
    for (const bad of [
      { type: 'subnet', endpoints: ['10.2.0.0/24'] },
      { type: 'cidr', endpoints: fx.sub.id },
      { type: 'cidr', endpoints: ['10.2.0.0/24', '2000::1'] },
      { type: 'cidr', endpoints: ['10.2.0.0/24', '2000::/64'] },
      { type: 'cidr', endpoints: [] },
      { type: 'bogus', endpoints: ['10.0.0.0/8'] },
    ])
      expect((await n('POST', '/vpn/endpoint-groups', { endpoint_group: bad })).statusCode).toBe(400);
    const u = await n('PUT', `/vpn/endpoint-groups/${cidr.id}`, { endpoint_group: { name: 'peer2' } });
    expect(u.json().endpoint_group.name).toBe('peer2');
  });

  it('creates a legacy-mode connection with defaults; refuses the Neutron negatives with 400', async () => {
    const r = await n('POST', '/vpn/ipsec-site-connections', legacy({ name: 'conn-1', mtu: 1500 }));
    expect(r.statusCode).toBe(201);
    const c = r.json().ipsec_site_connection;
    expect(c).toMatchObject({
      name: 'conn-1',
      mtu: 1500,
      initiator: 'bi-directional',
      auth_mode: 'psk',
      route_mode: 'static',
      psk: 'secret',
      dpd: { action: 'hold', interval: 30, timeout: 120 },
      peer_cidrs: ['1.1.1.0/24', '2.2.2.0/24'],
      local_ep_group_id: null,
      vpnservice_id: svc.id,
    });
    const again = await n('POST', '/vpn/ipsec-site-connections', legacy({ name: 'conn-2', peer_cidrs: ['10.1.1.0/24', '10.2.2.0/24'] }));
    expect(again.statusCode).toBe(201);
    const { peer_cidrs: _p, ...noCidrs } = legacy().ipsec_site_connection;
    for (const body of [
      { ipsec_site_connection: noCidrs },
      legacy({ mtu: 63 }),
      legacy({ dpd: 59 }),
      legacy({ peer_cidrs: ['1.0.0.0/33'] }),
      legacy({ peer_cidr: '10.1.0.0/24' }),
      legacy({ peer_id: undefined }),
      legacy({ dpd: { interval: 30, timeout: 10 } }),
    ]) {
      const bad = await n('POST', '/vpn/ipsec-site-connections', JSON.parse(JSON.stringify(body)));
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await n('DELETE', `/vpn/ipsec-site-connections/${again.json().ipsec_site_connection.id}`)).statusCode).toBe(204);
    expect((await n('GET', `/vpn/ipsec-site-connections/${again.json().ipsec_site_connection.id}`)).statusCode).toBe(404);
    expect((await n('DELETE', `/vpn/ikepolicies/${ike.id}`)).statusCode).toBe(409);
    expect((await n('PUT', `/vpn/ikepolicies/${ike.id}`, { ikepolicy: { pfs: 'group14' } })).statusCode).toBe(409);
    expect((await n('DELETE', `/vpn/vpnservices/${svc.id}`)).statusCode).toBe(409);
    const native = (await t.call('GET', `/v1/vpn_gateways/${svc.id}/connections/${c.id}`, { token: alice })).json();
    expect(native.local.cidrs).toEqual(['10.100.0.0/28']);
    expect(native.peer.cidrs).toEqual(['1.1.1.0/24', '2.2.2.0/24']);
  });

  it('endpoint-group mode: both groups, right types, local subnets on the router', async () => {
    const local = (await n('POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'subnet', endpoints: fx.sub.id } })).json().endpoint_group;
    const peer = (await n('POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: ['10.2.0.0/24', '10.3.0.0/24'] } })).json()
      .endpoint_group;
    const v6 = (await n('POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: ['fec0:101::/64'] } })).json().endpoint_group;
    const base = { vpnservice_id: svcNoSubnet.id, peer_ep_group_id: peer.id, local_ep_group_id: local.id, peer_cidrs: undefined };
    const ok = await n('POST', '/vpn/ipsec-site-connections', JSON.parse(JSON.stringify(legacy({ ...base, name: 'epg', mtu: 1500 }))));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().ipsec_site_connection).toMatchObject({ local_ep_group_id: local.id, peer_ep_group_id: peer.id, peer_cidrs: [], mtu: 1500 });
    for (const extra of [
      { local_ep_group_id: undefined },
      { peer_ep_group_id: undefined },
      { local_ep_group_id: peer.id, peer_ep_group_id: local.id },
      { peer_ep_group_id: v6.id },
      { peer_cidrs: ['10.1.0.0/24'] },
    ])
      expect(
        (await n('POST', '/vpn/ipsec-site-connections', JSON.parse(JSON.stringify(legacy({ ...base, ...extra }))))).statusCode,
        JSON.stringify(extra),
      ).toBe(400);
    expect(
      (
        await n(
          'POST',
          '/vpn/ipsec-site-connections',
          JSON.parse(JSON.stringify(legacy({ vpnservice_id: svc.id, peer_ep_group_id: peer.id, peer_cidrs: undefined, peer_id: undefined }))),
        )
      ).statusCode,
    ).toBe(400);
    expect((await n('DELETE', `/vpn/endpoint-groups/${peer.id}`)).json().NeutronError.type).toBe('EndpointGroupInUse');
    expect((await n('DELETE', `/vpn/ipsec-site-connections/${ok.json().ipsec_site_connection.id}`)).statusCode).toBe(204);
    expect((await n('DELETE', `/vpn/endpoint-groups/${peer.id}`)).statusCode).toBe(204);
  });

  it('a connection made natively shows through Neutron', async () => {
    const r = await t.call('POST', `/v1/vpn_gateways/${svc.id}/connections`, {
      token: alice,
      body: { name: 'native-1', psk: 'secret-123', peer: { address: '203.0.113.50', cidrs: ['192.168.50.0/24'] }, local: { cidrs: ['10.100.0.0/28'] } },
    });
    expect(r.statusCode).toBe(201);
    const v = (await n('GET', `/vpn/ipsec-site-connections/${r.json().id}`)).json().ipsec_site_connection;
    expect(v).toMatchObject({ name: 'native-1', peer_address: '203.0.113.50', peer_cidrs: ['192.168.50.0/24'], vpnservice_id: svc.id, ikepolicy_id: null });
  });

  it('tears down in the order tempest does, each delete right after the one before', async () => {
    const f = await neutronFixture((m, u, b) => n(m, u, b), '10.100.1.0/28', 'td');
    const s = (await n('POST', '/vpn/vpnservices', { vpnservice: { subnet_id: f.sub.id, router_id: f.router.id, name: 'vpn-td' } })).json().vpnservice;
    const i = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'ike-td' } })).json().ikepolicy;
    const e = (await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'esp-td' } })).json().ipsecpolicy;
    const c = await n('POST', '/vpn/ipsec-site-connections', legacy({ name: 'conn-td', vpnservice_id: s.id, ikepolicy_id: i.id, ipsecpolicy_id: e.id }));
    expect(c.statusCode).toBe(201);
    const steps: [string, string, unknown?][] = [
      ['DELETE', `/vpn/ipsec-site-connections/${c.json().ipsec_site_connection.id}`],
      ['DELETE', `/vpn/ikepolicies/${i.id}`],
      ['DELETE', `/vpn/ipsecpolicies/${e.id}`],
      ['DELETE', `/vpn/vpnservices/${s.id}`],
      ['PUT', `/routers/${f.router.id}/remove_router_interface`, { subnet_id: f.sub.id }],
      ['DELETE', `/routers/${f.router.id}`],
      ['DELETE', `/subnets/${f.sub.id}`],
      ['DELETE', `/networks/${f.net.id}`],
    ];
    for (const [method, url, body] of steps) {
      const r = await n(method, url, body);
      expect([url, r.statusCode], r.body).toEqual([url, method === 'PUT' ? 200 : 204]);
    }
    // The same through the native API: a subnet (and then its VPC) right after its gateway's delete.
    const vpc = (await t.call('POST', '/v1/vpcs', { token: alice, body: {} })).json();
    const sub = (await t.call('POST', '/v1/subnets', { token: alice, body: { vpc: { id: vpc.id }, ipv4_cidr_block: '10.100.2.0/28' } })).json();
    const gw = (await t.call('POST', '/v1/vpn_gateways', { token: alice, body: { subnet: { id: sub.id }, mode: 'policy' } })).json();
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw.id}`, { token: alice })).statusCode).toBe(202);
    expect((await t.call('DELETE', `/v1/subnets/${sub.id}`, { token: alice })).statusCode).toBe(204);
    expect((await t.call('DELETE', `/v1/vpcs/${vpc.id}`, { token: alice })).statusCode).toBe(204);
  });

  it('the native API refuses to delete a subnet a router interface or an endpoint group still uses', async () => {
    const f = await neutronFixture((m, u, b) => n(m, u, b), '10.100.3.0/28', 'iu');
    const r = await t.call('DELETE', `/v1/subnets/${f.sub.id}`, { token: alice });
    expect([r.statusCode, r.json().errors[0].code]).toEqual([409, 'subnet_in_use']);
    expect(r.json().errors[0].message).toMatch(/router/);
    await n('PUT', `/routers/${f.router.id}/remove_router_interface`, { subnet_id: f.sub.id });
    const g = (await n('POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'subnet', endpoints: [f.sub.id] } })).json().endpoint_group;
    const r2 = await t.call('DELETE', `/v1/subnets/${f.sub.id}`, { token: alice });
    expect([r2.statusCode, r2.json().errors[0].message]).toEqual([409, expect.stringMatching(/endpoint group/)]);
    await n('DELETE', `/vpn/endpoint-groups/${g.id}`);
    expect((await t.call('DELETE', `/v1/subnets/${f.sub.id}`, { token: alice })).statusCode).toBe(204);
  });
});
