/* eslint-disable @typescript-eslint/no-explicit-any -- Huawei answers are loose JSON in tests */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { huaweiAccount, huaweiGateway } from './huawei-fixture.js';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Huawei Cloud VPN v5 (seed 004) over the shared domain, with no data plane (everything stable at once). */
describe('Huawei Cloud VPN v5', () => {
  let t: TestServer;
  let a: Awaited<ReturnType<typeof huaweiAccount>>;
  let b: Awaited<ReturnType<typeof huaweiAccount>>;

  beforeAll(async () => {
    t = await startTestServer();
    a = await huaweiAccount(t, 'hwa');
    b = await huaweiAccount(t, 'hwb');
  });
  afterAll(() => t.close());

  it('seed 004: the request sent verbatim (ids swapped) answers 201, and its show answers every field of the seed', async () => {
    const gw = await huaweiGateway(t, a);
    const shown = await gw.show();
    expect(shown).toMatchObject({ status: 'ACTIVE', ha_mode: 'active-active', local_subnets: ['10.240.0.0/24'], connect_subnet: gw.subnetId });
    expect(shown.name).toMatch(/^vpngw-[0-9a-f]{4}$/);
    expect(shown.eip1.id).not.toBe(shown.eip2.id);
    expect(shown.eip1.ip_address).not.toBe(shown.eip2.ip_address);
    const cgw = await a.hw('POST', '/customer-gateways', { customer_gateway: { id_value: '203.0.113.164' } });
    expect(cgw.statusCode).toBe(201);
    expect(cgw.json().customer_gateway.name).toMatch(/^cgw-[0-9a-f]{4}$/);
    const seed = {
      vpn_connection: { vgw_id: gw.id, vgw_ip: shown.eip1.id, cgw_id: cgw.json().customer_gateway.id, peer_subnets: ['192.168.44.0/24'], psk: 'abcd****' },
    };
    const r = await a.hw('POST', '/vpn-connection', seed);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['x-request-id']).toBe(r.json().request_id);
    const created = r.json().vpn_connection;
    expect(created).not.toHaveProperty('status');
    expect(created).not.toHaveProperty('psk');
    const s = await a.hw('GET', `/vpn-connection/${created.id}`);
    const c = s.json().vpn_connection;
    const seedResponse = {
      id: created.id,
      status: 'DOWN',
      vgw_id: gw.id,
      vgw_ip: shown.eip1.id,
      style: 'STATIC',
      cgw_id: seed.vpn_connection.cgw_id,
      peer_subnets: ['192.168.44.0/24'],
      enable_nqa: false,
      ikepolicy: {
        ike_version: 'v2',
        authentication_algorithm: 'sha2-256',
        encryption_algorithm: 'aes-128',
        dh_group: 'group15',
        authentication_method: 'pre-share',
        lifetime_seconds: 86400,
        local_id_type: 'ip',
        local_id: shown.eip1.ip_address,
        peer_id_type: 'ip',
        peer_id: '203.0.113.164',
        dpd: { timeout: 15, interval: 30, msg: 'seq-hash-notify' },
      },
      ipsecpolicy: {
        authentication_algorithm: 'sha2-256',
        encryption_algorithm: 'aes-128',
        pfs: 'group15',
        transform_protocol: 'esp',
        lifetime_seconds: 3600,
        encapsulation_mode: 'tunnel',
      },
      enterprise_project_id: '0',
    };
    expect(c).toMatchObject(seedResponse);
    expect(c.name).toMatch(/^vpn-[0-9a-f]{4}$/);
    expect(c.tunnel_local_address).toMatch(/^169\.254\.\d+\.\d+\/30$/);
    expect(c.tunnel_peer_address).toMatch(/^169\.254\.\d+\.\d+\/30$/);
    expect(c.created_at).toMatch(TIME);
    expect(c.updated_at).toMatch(TIME);
    expect(s.json().request_id).toBe(s.headers['x-request-id']);
  });

  it('POLICY connections take policy_rules; update, reset and delete; the customer gateway in use cannot go', async () => {
    const gw = await huaweiGateway(t, a, '10.241.0.0/24', ['10.241.0.0/24']);
    const shown = await gw.show();
    const cgw = (await a.hw('POST', '/customer-gateways', { customer_gateway: { name: 'branch', id_value: '198.51.100.7' } })).json().customer_gateway;
    const r = await a.hw('POST', '/vpn-connection', {
      vpn_connection: {
        name: 'pol-1',
        vgw_id: gw.id,
        vgw_ip: shown.eip2.id,
        cgw_id: cgw.id,
        style: 'policy',
        psk: 'Secret-key-123',
        policy_rules: [{ source: '10.241.0.0/24', destination: ['192.168.10.0/24', '192.168.11.0/24'] }],
        ikepolicy: { encryption_algorithm: 'aes-256', dh_group: 'group14', dpd: { interval: 20, timeout: 10 } },
        ipsecpolicy: { pfs: 'disable' },
        tags: [{ key: 'k', value: 'v' }],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().vpn_connection.id;
    const c = (await a.hw('GET', `/vpn-connection/${id}`)).json().vpn_connection;
    expect(c).toMatchObject({
      style: 'POLICY',
      vgw_ip: shown.eip2.id,
      policy_rules: [{ rule_index: 0, source: '10.241.0.0/24', destination: ['192.168.10.0/24', '192.168.11.0/24'] }],
      ikepolicy: { encryption_algorithm: 'aes-256', dh_group: 'group14', dpd: { interval: 20, timeout: 10, msg: 'seq-hash-notify' } },
      ipsecpolicy: { pfs: 'disable' },
      tags: [{ key: 'k', value: 'v' }],
    });
    const u = await a.hw('PUT', `/vpn-connection/${id}`, {
      vpn_connection: { name: 'pol-2', policy_rules: [{ source: '10.241.0.0/24', destination: ['192.168.12.0/24'] }], ikepolicy: { lifetime_seconds: 3600 } },
    });
    expect(u.statusCode, u.body).toBe(200);
    expect(u.json().vpn_connection).toMatchObject({
      name: 'pol-2',
      policy_rules: [{ destination: ['192.168.12.0/24'] }],
      ikepolicy: { lifetime_seconds: 3600 },
    });
    expect((await a.hw('POST', `/vpn-connection/${id}/reset`)).statusCode).toBe(200);
    const del = await a.hw('DELETE', `/customer-gateways/${cgw.id}`);
    expect(del.statusCode).toBe(400);
    expect(del.json()).toMatchObject({ error_code: 'VPN.0001', error_msg: `invalid request: customer gateway ${cgw.id} has connection` });
    const m = await a.hw('POST', '/connection-monitors', { connection_monitor: { vpn_connection_id: id } });
    expect(m.statusCode, m.body).toBe(201);
    expect((await a.hw('POST', '/connection-monitors', { connection_monitor: { vpn_connection_id: id } })).json().error_code).toBe('VPN.0381');
    expect((await a.hw('GET', `/vpn-connection/${id}`)).json().vpn_connection.connection_monitor_id).toBe(m.json().connection_monitor.id);
    expect((await a.hw('DELETE', `/vpn-connection/${id}`)).statusCode).toBe(204);
    expect((await a.hw('GET', `/vpn-connection/${id}`)).statusCode).toBe(404);
    expect((await a.hw('DELETE', `/customer-gateways/${cgw.id}`)).statusCode).toBe(204);
    expect((await a.hw('DELETE', `/vpn-gateways/${gw.id}`)).statusCode).toBe(204);
    expect((await a.hw('GET', `/vpn-gateways/${gw.id}`)).statusCode).toBe(404);
  });

  it('pages customer gateways by created_at markers, each exactly once', async () => {
    for (let i = 0; i < 5; i++) await b.hw('POST', '/customer-gateways', { customer_gateway: { name: `c${i}`, id_value: `192.0.2.${i + 1}` } });
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const p = (await b.hw('GET', `/customer-gateways?limit=2${marker ? `&marker=${marker}` : ''}`)).json();
      expect(p.total_count).toBe(5);
      seen.push(...p.customer_gateways.map((c: any) => c.name));
      if (p.page_info.current_count < 2) break;
      marker = p.page_info.next_marker;
    }
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('another project answers 404; no token answers 401; bad input answers VPN.0001 in the envelope', async () => {
    const other = await b.hw('GET', '/vpn-gateways', undefined, b.token);
    expect(other.statusCode).toBe(200);
    const cross = await t.app.inject({ method: 'GET', url: `/v5/${a.project}/vpn-gateways`, headers: { 'x-auth-token': b.token } });
    expect(cross.statusCode).toBe(404);
    expect(cross.json()).toMatchObject({ error_code: 'VPN.0004' });
    const none = await t.app.inject({ method: 'GET', url: `/v5/${a.project}/vpn-gateways` });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error_code: 'VPN.0010', request_id: none.headers['x-request-id'] });
    const bad = await a.hw('POST', '/vpn-connection', { vpn_connection: { vgw_id: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error_code).toBe('VPN.0001');
    const q = (await a.hw('GET', '/vpn/quotas')).json();
    expect(q.quotas.resources.map((r: any) => r.type)).toEqual(['vpn_gateway', 'customer_gateway', 'vpn_connection']);
  });
  it('connection create and update check peer_subnets and tunnel addresses alike (B5), writing nothing on a refusal', async () => {
    const v = await huaweiAccount(t, 'hwv');
    const gw = await huaweiGateway(t, v, '10.242.0.0/24', ['10.242.0.0/24']);
    const eip = (await gw.show()).eip1.id;
    const cgw = (await v.hw('POST', '/customer-gateways', { customer_gateway: { id_value: '198.51.100.9' } })).json().customer_gateway.id;
    const base = { vgw_id: gw.id, vgw_ip: eip, cgw_id: cgw, psk: 'Secret-key-123', peer_subnets: ['192.168.50.0/24'] };
    const bad = async (method: string, path: string, body: unknown, re: RegExp) => {
      const r = await v.hw(method, path, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ error_code: 'VPN.0001', request_id: r.headers['x-request-id'] });
      expect(r.json().error_msg).toMatch(re);
    };
    await bad('POST', '/vpn-connection', { vpn_connection: { ...base, peer_subnets: ['214.0.1.0/24'] } }, /reserved range 214\.0\.0\.0\/8/);
    const tl = { tunnel_local_address: '169.254.999.1/30', tunnel_peer_address: '169.254.999.2/30' };
    await bad('POST', '/vpn-connection', { vpn_connection: { ...base, ...tl } }, /not an IPv4 address/);
    const r = await v.hw('POST', '/vpn-connection', { vpn_connection: { ...base, name: 'st-1' } });
    expect(r.statusCode, r.body).toBe(201);
    const path = `/vpn-connection/${r.json().vpn_connection.id}`;
    const before = (await v.hw('GET', path)).json().vpn_connection;
    await bad('PUT', path, { vpn_connection: { name: 'st-2', peer_subnets: ['foo'] } }, /peer_subnets/);
    await bad('PUT', path, { vpn_connection: { peer_subnets: ['100.64.0.0/24'] } }, /reserved range 100\.64\.0\.0\/10/);
    await bad('PUT', path, { vpn_connection: { tunnel_local_address: '169.254.7.1/30' } }, /go together/);
    await bad('PUT', path, { vpn_connection: tl }, /not an IPv4 address/);
    await bad('PUT', path, { vpn_connection: { tunnel_local_address: '169.254.195.1/30', tunnel_peer_address: '169.254.195.2/30' } }, /169\.254\.195/);
    await bad('PUT', path, { vpn_connection: { tunnel_local_address: '169.254.7.0/30', tunnel_peer_address: '169.254.7.1/30' } }, /network or broadcast/);
    await bad('PUT', path, { vpn_connection: { tunnel_local_address: '169.254.7.1/30', tunnel_peer_address: '169.254.8.2/30' } }, /same \/30/);
    await bad('PUT', path, { vpn_connection: { tunnel_local_address: '169.254.7.1/30', tunnel_peer_address: '169.254.7.1/30' } }, /differ/);
    expect((await v.hw('GET', path)).json().vpn_connection).toEqual(before);
    const u = await v.hw('PUT', path, {
      vpn_connection: { peer_subnets: ['192.168.51.0/24'], tunnel_local_address: '169.254.7.2/30', tunnel_peer_address: '169.254.7.1/30' },
    });
    expect(u.statusCode, u.body).toBe(200);
    expect((await v.hw('GET', path)).json().vpn_connection).toMatchObject({
      peer_subnets: ['192.168.51.0/24'],
      tunnel_local_address: '169.254.7.2/30',
      tunnel_peer_address: '169.254.7.1/30',
    });
    // BGP: the tunnel addresses are the BGP tunnel's, checked and updated the same way.
    const bgpCgw = (await v.hw('POST', '/customer-gateways', { customer_gateway: { id_value: '198.51.100.10', bgp_asn: 65010 } })).json();
    const tb = { tunnel_local_address: '169.254.9.1/30', tunnel_peer_address: '169.254.9.2/30' };
    const bgp = await v.hw('POST', '/vpn-connection', { vpn_connection: { ...base, cgw_id: bgpCgw.customer_gateway.id, style: 'bgp', ...tb } });
    expect(bgp.statusCode, bgp.body).toBe(201);
    const bgpPath = `/vpn-connection/${bgp.json().vpn_connection.id}`;
    await bad('PUT', bgpPath, { vpn_connection: { tunnel_local_address: '169.254.9.5/30', tunnel_peer_address: '169.254.9.3/30' } }, /network or broadcast/);
    const ub = await v.hw('PUT', bgpPath, { vpn_connection: { tunnel_local_address: '169.254.10.5/30', tunnel_peer_address: '169.254.10.6/30' } });
    expect(ub.statusCode, ub.body).toBe(200);
    expect((await v.hw('GET', bgpPath)).json().vpn_connection).toMatchObject({
      tunnel_local_address: '169.254.10.5/30',
      tunnel_peer_address: '169.254.10.6/30',
    });
  });

  it('update applies ikepolicy local_id and peer_id with their types, and show prints what is stored', async () => {
    const v = await huaweiAccount(t, 'hwid');
    const gw = await huaweiGateway(t, v, '10.243.0.0/24', ['10.243.0.0/24']);
    const eip = (await gw.show()).eip1;
    const cgw = (await v.hw('POST', '/customer-gateways', { customer_gateway: { id_value: '198.51.100.11' } })).json().customer_gateway.id;
    const base = { vgw_id: gw.id, vgw_ip: eip.id, cgw_id: cgw, psk: 'Secret-key-123', peer_subnets: ['192.168.60.0/24'] };
    const noId = await v.hw('POST', '/vpn-connection', { vpn_connection: { ...base, ikepolicy: { peer_id_type: 'fqdn' } } });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error_msg).toMatch(/peer_id is required with peer_id_type fqdn/);
    const path = `/vpn-connection/${(await v.hw('POST', '/vpn-connection', { vpn_connection: base })).json().vpn_connection.id}`;
    const ids = async () => {
      const k = (await v.hw('GET', path)).json().vpn_connection.ikepolicy;
      return { local_id_type: k.local_id_type, local_id: k.local_id, peer_id_type: k.peer_id_type, peer_id: k.peer_id };
    };
    const put = (ikepolicy: unknown) => v.hw('PUT', path, { vpn_connection: { ikepolicy } });
    const r = await put({ local_id_type: 'fqdn', local_id: 'hq.example.com', peer_id_type: 'fqdn', peer_id: 'branch.example.com' });
    expect(r.statusCode, r.body).toBe(200);
    expect(await ids()).toEqual({ local_id_type: 'fqdn', local_id: 'hq.example.com', peer_id_type: 'fqdn', peer_id: 'branch.example.com' });
    // An id without its type keeps the stored type.
    expect((await put({ local_id: 'hq2.example.com' })).statusCode).toBe(200);
    expect((await ids()).local_id).toBe('hq2.example.com');
    // A type alone can only go back to the derived id (the gateway's EIP, the customer gateway's address).
    expect((await put({ local_id_type: 'ip', peer_id_type: 'ip' })).statusCode).toBe(200);
    expect(await ids()).toEqual({ local_id_type: 'ip', local_id: eip.ip_address, peer_id_type: 'ip', peer_id: '198.51.100.11' });
    const fq = await put({ local_id_type: 'fqdn' });
    expect(fq.statusCode).toBe(400);
    expect(fq.json()).toMatchObject({ error_code: 'VPN.0001', error_msg: expect.stringMatching(/local_id is required with local_id_type fqdn/) });
    expect((await put({ local_id_type: 'ip', local_id: 'not-an-ip' })).statusCode).toBe(400);
    expect((await ids()).local_id_type).toBe('ip');
  });

  it('customer gateways: id_value must be unicast (VPN.0203/0204); bgp_asn 0 is "none" for fqdn only', async () => {
    const v = await huaweiAccount(t, 'hwcg');
    const cg = (body: object) => v.hw('POST', '/customer-gateways', { customer_gateway: body });
    for (const [ip, code] of [
      ['0.0.0.0', 'VPN.0203'],
      ['foo', 'VPN.0203'],
      ['2001:db8::1', 'VPN.0203'],
      ['127.0.0.1', 'VPN.0204'],
      ['224.0.0.5', 'VPN.0204'],
      ['240.0.0.1', 'VPN.0204'],
      ['255.255.255.255', 'VPN.0204'],
    ] as const) {
      const r = await cg({ id_value: ip });
      expect(r.statusCode, ip).toBe(400);
      expect(r.json(), ip).toMatchObject({ error_code: code, request_id: r.headers['x-request-id'] });
    }
    const f = await cg({ id_type: 'fqdn', id_value: 'branch.example.com', bgp_asn: 0 });
    expect(f.statusCode, f.body).toBe(201);
    expect(f.json().customer_gateway).not.toHaveProperty('bgp_asn');
    expect((await cg({ id_value: '198.51.100.12', bgp_asn: 0 })).json()).toMatchObject({ error_code: 'VPN.0001' });
    expect((await cg({ id_type: 'fqdn', id_value: 'b2.example.com', bgp_asn: 65001 })).json().error_msg).toMatch(/id_type ip only/);
    expect((await cg({ id_value: '198.51.100.12' })).json().customer_gateway.bgp_asn).toBe(65000);
  });

  it('gateways: access_* on create must be its own VPC and subnet; eip_id_* on update only the current EIPs', async () => {
    const v = await huaweiAccount(t, 'hwgw');
    const vpc = (await t.call('POST', '/v1/vpcs', { token: v.ibm, body: {} })).json() as { id: string };
    const subnet = (await t.call('POST', '/v1/subnets', { token: v.ibm, body: { vpc: { id: vpc.id }, ipv4_cidr_block: '10.244.0.0/24' } })).json() as {
      id: string;
    };
    const base = { vpc_id: vpc.id, connect_subnet: subnet.id, local_subnets: ['10.244.0.0/24'] };
    const create = (extra: object) => v.hw('POST', '/vpn-gateways', { vpn_gateway: { ...base, ...extra } });
    const refused = async (r: Awaited<ReturnType<typeof create>>, re: RegExp) => {
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ error_code: 'VPN.0001', error_msg: expect.stringMatching(re) });
    };
    await refused(await create({ access_vpc_id: subnet.id }), /access_vpc_id must be vpc_id/);
    await refused(await create({ access_subnet_id: vpc.id }), /access_subnet_id must be connect_subnet/);
    await refused(await create({ access_private_ip_1: '10.244.0.10', access_private_ip_2: '10.244.0.11' }), /private gateways, which are not supported/);
    const r = await create({ access_vpc_id: vpc.id, access_subnet_id: subnet.id });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().vpn_gateway.id;
    const shown = (await v.hw('GET', `/vpn-gateways/${id}`)).json().vpn_gateway;
    expect(shown).toMatchObject({ access_vpc_id: vpc.id, access_subnet_id: subnet.id });
    const put = (body: object) => v.hw('PUT', `/vpn-gateways/${id}`, { vpn_gateway: body });
    await refused(
      await put({ name: 'gw-x', eip_id_1: '7c4b8e0a-1111-4222-8333-444455556666' }),
      /binding an existing EIP is not supported: EIPs come from the pool/,
    );
    await refused(await put({ eip_id_2: shown.eip1.id }), /eip_id_2/);
    const ok = await put({ name: 'gw-y', eip_id_1: shown.eip1.id, eip_id_2: shown.eip2.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().vpn_gateway).toMatchObject({ name: 'gw-y', eip1: { id: shown.eip1.id }, eip2: { id: shown.eip2.id } });
  });
});
