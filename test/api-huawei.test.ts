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
});
