import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID } from '../src/domain/router.js';
import { startTestServer, type TestServer } from './harness.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Neutron core resources: networks, subnets, routers, ports', () => {
  let t: TestServer;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = await startTestServer();
    alice = await t.account('alice');
    bob = await t.account('bob');
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: string, url: string, o: { token?: string; body?: unknown } = {}): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: method as 'GET',
      url: `/v2.0${url}`,
      headers: {
        ...(o.token ? { 'x-auth-token': o.token } : { authorization: `Bearer ${t.adminToken}` }),
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(o.body !== undefined ? { payload: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
    });
  const ok = async (r: Promise<LightMyRequestResponse>, status = 200): Promise<J> => {
    const res = await r;
    expect(res.statusCode, res.body).toBe(status);
    return status === 204 ? {} : (res.json() as J);
  };
  /** A Neutron error: status, envelope and JSON content type. */
  const fault = async (r: Promise<LightMyRequestResponse>, status: number, type?: string): Promise<{ type: string; message: string }> => {
    const res = await r;
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const e = (res.json() as J)['NeutronError'] as { type: string; message: string; detail: string };
    expect(typeof e.message).toBe('string');
    expect(e.detail).toBe('');
    if (type) expect(e.type).toBe(type);
    return e;
  };
  const network = async (token: string, name: string): Promise<J> =>
    (await ok(call('POST', '/networks', { token, body: { network: { name, admin_state_up: true } } }), 201))['network'];
  const subnet = async (token: string, networkId: string, cidr: string, extra: J = {}): Promise<J> =>
    (await ok(call('POST', '/subnets', { token, body: { subnet: { network_id: networkId, cidr, ip_version: 4, ...extra } } }), 201))['subnet'];
  const router = async (token: string, body: J): Promise<J> => (await ok(call('POST', '/routers', { token, body: { router: body } }), 201))['router'];

  it('shows the built-in external network and its subnet (the public pool) to every project', async () => {
    const nets = (await ok(call('GET', '/networks?router:external=True', { token: alice })))['networks'] as J[];
    expect(nets).toHaveLength(1);
    expect(nets[0]).toMatchObject({
      id: PUBLIC_NETWORK_ID,
      name: 'public',
      'router:external': true,
      shared: true,
      subnets: [PUBLIC_SUBNET_ID],
      status: 'ACTIVE',
    });
    const shown = (await ok(call('GET', `/networks/${PUBLIC_NETWORK_ID}`, { token: bob })))['network'];
    expect(shown).toEqual(nets[0]);
    const sub = (await ok(call('GET', `/subnets/${PUBLIC_SUBNET_ID}`, { token: alice })))['subnet'];
    expect(sub).toMatchObject({ network_id: PUBLIC_NETWORK_ID, cidr: '198.51.100.0/24', gateway_ip: '198.51.100.1', ip_version: 4 });
    expect(sub['tenant_id']).toBe(shown['tenant_id']);
    await fault(call('DELETE', `/networks/${PUBLIC_NETWORK_ID}`), 403);
    await fault(call('DELETE', `/subnets/${PUBLIC_SUBNET_ID}`, { token: alice }), 403);
    await fault(call('POST', '/subnets', { body: { subnet: { network_id: PUBLIC_NETWORK_ID, cidr: '10.9.0.0/24', ip_version: 4 } } }), 403);
    await fault(call('PUT', `/networks/${PUBLIC_NETWORK_ID}`, { body: { network: { name: 'x' } } }), 403);
    await fault(call('POST', '/networks', { token: alice, body: { network: { name: 'ext', 'router:external': true } } }), 400);
  });

  it('network CRUD: create = show, list filters, rename, duplicate names, delete then 404', async () => {
    const net = await network(alice, 'net-a');
    expect(net).toMatchObject({
      name: 'net-a',
      admin_state_up: true,
      status: 'ACTIVE',
      subnets: [],
      shared: false,
      'router:external': false,
      mtu: 1500,
      port_security_enabled: true,
    });
    expect(net['tenant_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(net['project_id']).toBe(net['tenant_id']);
    expect((await ok(call('GET', `/networks/${net['id']}`, { token: alice })))['network']).toEqual(net);
    const byName = (await ok(call('GET', '/networks?name=net-a', { token: alice })))['networks'] as J[];
    expect(byName.map((n) => n['id'])).toEqual([net['id']]);
    const list = (await ok(call('GET', '/networks?fields=id&fields=name', { token: alice })))['networks'] as J[];
    expect(list.map((n) => n['id']).sort()).toEqual([net['id'], PUBLIC_NETWORK_ID].sort());
    expect(Object.keys(list[0]!).sort()).toEqual(['id', 'name']);
    const dup = await fault(call('POST', '/networks', { token: alice, body: { network: { name: 'net-a' } } }), 400);
    expect(dup.message).toMatch(/already exists/);
    const unnamed = await network(alice, '');
    expect(unnamed['name']).not.toBe('');
    const renamed = (await ok(call('PUT', `/networks/${net['id']}`, { token: alice, body: { network: { name: 'net-a2' } } })))['network'];
    expect(renamed['name']).toBe('net-a2');
    await fault(call('PUT', `/networks/${net['id']}`, { token: alice, body: { network: { status: 'DOWN' } } }), 400);
    await fault(call('POST', '/networks', { token: alice, body: { network: { name: 'x', bogus: 1 } } }), 400);
    await fault(call('POST', '/networks', { token: alice, body: {} }), 400);
    await ok(call('DELETE', `/networks/${net['id']}`, { token: alice }), 204);
    await fault(call('GET', `/networks/${net['id']}`, { token: alice }), 404, 'NetworkNotFound');
    await fault(call('DELETE', `/networks/${net['id']}`, { token: alice }), 404, 'NetworkNotFound');
    await ok(call('DELETE', `/networks/${unnamed['id']}`, { token: alice }), 204);
  });

  it('a name or a malformed id in the path is 404 (openstacksdk find then lists ?name=)', async () => {
    const net = await network(alice, 'findme');
    const e = await fault(call('GET', '/networks/findme', { token: alice }), 404, 'NetworkNotFound');
    expect(e.message).toBe('Network findme could not be found.');
    await fault(call('GET', '/subnets/nope', { token: alice }), 404, 'SubnetNotFound');
    await fault(call('GET', '/routers/r1', { token: alice }), 404, 'RouterNotFound');
    await fault(call('GET', '/ports/p1', { token: alice }), 404, 'PortNotFound');
    await fault(call('PUT', '/routers/r1/add_router_interface', { token: alice, body: { subnet_id: net['id'] } }), 404, 'RouterNotFound');
    expect(((await ok(call('GET', '/networks?name=findme', { token: alice })))['networks'] as J[]).map((n) => n['id'])).toEqual([net['id']]);
  });

  it('subnet CRUD as tempest creates it; overlap message; same CIDR on another network; IPv6 refused', async () => {
    const net = await network(alice, 'net-s');
    const other = await network(alice, 'net-s2');
    const s = await subnet(alice, net['id'], '10.100.0.0/28', { gateway_ip: '10.100.0.1' });
    expect(s).toMatchObject({
      network_id: net['id'],
      cidr: '10.100.0.0/28',
      ip_version: 4,
      gateway_ip: '10.100.0.1',
      allocation_pools: [{ start: '10.100.0.2', end: '10.100.0.14' }],
      enable_dhcp: true,
      dns_nameservers: [],
      host_routes: [],
      ipv6_ra_mode: null,
      subnetpool_id: null,
      tenant_id: net['tenant_id'],
      project_id: net['tenant_id'],
    });
    expect((await ok(call('GET', `/subnets/${s['id']}`, { token: alice })))['subnet']).toEqual(s);
    expect((await ok(call('GET', `/networks/${net['id']}`, { token: alice })))['network']['subnets']).toEqual([s['id']]);
    const overlap = await fault(
      call('POST', '/subnets', { token: alice, body: { subnet: { network_id: net['id'], cidr: '10.100.0.0/24', ip_version: 4 } } }),
      400,
    );
    expect(overlap.message).toContain('overlaps with another subnet');
    const twin = await subnet(alice, other['id'], '10.100.0.0/28');
    expect(twin['cidr']).toBe('10.100.0.0/28');
    await fault(call('POST', '/subnets', { token: alice, body: { subnet: { network_id: net['id'], cidr: '2001:db8::/64', ip_version: 6 } } }), 400);
    await fault(
      call('POST', '/subnets', { token: alice, body: { subnet: { network_id: net['id'], cidr: '10.101.0.0/28', ip_version: 4, gateway_ip: '10.101.0.9' } } }),
      400,
    );
    await fault(call('POST', '/subnets', { token: alice, body: { subnet: { network_id: net['id'], cidr: 'banana', ip_version: 4 } } }), 400);
    await fault(call('POST', '/subnets', { token: alice, body: { subnet: { network_id: 'not-a-uuid', cidr: '10.1.0.0/24', ip_version: 4 } } }), 400);
    await fault(
      call('POST', '/subnets', { token: bob, body: { subnet: { network_id: net['id'], cidr: '10.1.0.0/24', ip_version: 4 } } }),
      404,
      'NetworkNotFound',
    );
    const renamed = (await ok(call('PUT', `/subnets/${s['id']}`, { token: alice, body: { subnet: { name: 'sub-renamed' } } })))['subnet'];
    expect(renamed['name']).toBe('sub-renamed');
    await fault(call('PUT', `/subnets/${s['id']}`, { token: alice, body: { subnet: { cidr: '10.0.0.0/24' } } }), 400);
    const filtered = (await ok(call('GET', `/subnets?network_id=${other['id']}`, { token: alice })))['subnets'] as J[];
    expect(filtered.map((x) => x['id'])).toEqual([twin['id']]);
    await ok(call('DELETE', `/subnets/${s['id']}`, { token: alice }), 204);
    await fault(call('DELETE', `/subnets/${s['id']}`, { token: alice }), 404, 'SubnetNotFound');
  });

  it('router gateway: an address from the public pool per router, never the first host; clear and set again', async () => {
    const r1 = await router(alice, { name: 'r1', admin_state_up: false, external_gateway_info: { network_id: PUBLIC_NETWORK_ID } });
    const r2 = await router(alice, { name: 'r2' });
    expect(r1).toMatchObject({
      name: 'r1',
      admin_state_up: false,
      status: 'ACTIVE',
      external_gateway_info: { network_id: PUBLIC_NETWORK_ID, enable_snat: true },
    });
    expect(r1['routes']).toEqual([]);
    const ip1 = r1['external_gateway_info']['external_fixed_ips'][0];
    expect(ip1.subnet_id).toBe(PUBLIC_SUBNET_ID);
    expect(ip1.ip_address).toMatch(/^198\.51\.100\.\d+$/);
    expect(ip1.ip_address).not.toBe('198.51.100.1');
    expect(r2['external_gateway_info']).toBeNull();
    expect((await ok(call('GET', `/routers/${r1['id']}`, { token: alice })))['router']).toEqual(r1);
    const set = (
      await ok(call('PUT', `/routers/${r2['id']}`, { token: alice, body: { router: { external_gateway_info: { network_id: PUBLIC_NETWORK_ID } } } }))
    )['router'];
    const ip2 = set['external_gateway_info']['external_fixed_ips'][0].ip_address;
    expect(ip2).not.toBe(ip1.ip_address);
    // Re-setting the same gateway keeps the address (tempest's update_router sends it back without fixed IPs).
    const again = (
      await ok(
        call('PUT', `/routers/${r2['id']}`, {
          token: alice,
          body: { router: { name: 'r2b', admin_state_up: true, external_gateway_info: { network_id: PUBLIC_NETWORK_ID } } },
        }),
      )
    )['router'];
    expect(again['external_gateway_info']['external_fixed_ips'][0].ip_address).toBe(ip2);
    const cleared = (await ok(call('PUT', `/routers/${r2['id']}`, { token: alice, body: { router: { external_gateway_info: {} } } })))['router'];
    expect(cleared['external_gateway_info']).toBeNull();
    const net = await network(alice, 'not-external');
    await fault(call('PUT', `/routers/${r2['id']}`, { token: alice, body: { router: { external_gateway_info: { network_id: net['id'] } } } }), 400);
    await fault(
      call('PUT', `/routers/${r2['id']}`, {
        token: alice,
        body: { router: { external_gateway_info: { network_id: PUBLIC_NETWORK_ID, external_fixed_ips: [{ ip_address: '198.51.100.77' }] } } },
      }),
      403,
    );
    const pinned = (
      await ok(
        call('PUT', `/routers/${r2['id']}`, {
          body: {
            router: {
              external_gateway_info: { network_id: PUBLIC_NETWORK_ID, external_fixed_ips: [{ subnet_id: PUBLIC_SUBNET_ID, ip_address: '198.51.100.77' }] },
            },
          },
        }),
      )
    )['router'];
    expect(pinned['external_gateway_info']['external_fixed_ips'][0].ip_address).toBe('198.51.100.77');
    await fault(
      call('PUT', `/routers/${r1['id']}`, {
        body: { router: { external_gateway_info: { network_id: PUBLIC_NETWORK_ID, external_fixed_ips: [{ ip_address: '198.51.100.77' }] } } },
      }),
      409,
      'IpAddressAlreadyAllocated',
    );
    // A router with no interface has no VPC to route in.
    await fault(call('PUT', `/routers/${r2['id']}`, { token: alice, body: { router: { routes: [{ destination: '10.0.0.0/8', nexthop: '10.1.0.1' }] } } }), 400);
    await fault(
      call('POST', '/routers', {
        token: alice,
        body: { router: { name: 'x', external_gateway_info: { network_id: PUBLIC_NETWORK_ID, enable_snat: 'maybe' } } },
      }),
      400,
    );
    expect(((await ok(call('GET', '/routers?name=r1', { token: alice })))['routers'] as J[]).map((r) => r['id'])).toEqual([r1['id']]);
    await ok(call('DELETE', `/routers/${r1['id']}`, { token: alice }), 204);
    await ok(call('DELETE', `/routers/${r2['id']}`, { token: alice }), 204);
    await fault(call('DELETE', `/routers/${r2['id']}`, { token: alice }), 404, 'RouterNotFound');
    // Released addresses are handed out again.
    const r3 = await router(alice, { name: 'r3', external_gateway_info: { network_id: PUBLIC_NETWORK_ID } });
    expect(r3['external_gateway_info']['external_fixed_ips'][0].ip_address).toBe(ip1.ip_address);
    await ok(call('DELETE', `/routers/${r3['id']}`, { token: alice }), 204);
  });

  it('interfaces and ports: add, ports?device_id, one router per subnet, in-use refusals, remove', async () => {
    const net = await network(alice, 'net-if');
    const s1 = await subnet(alice, net['id'], '10.20.0.0/24');
    const s2 = await subnet(alice, net['id'], '10.21.0.0/24');
    const r = await router(alice, { name: 'ri', external_gateway_info: { network_id: PUBLIC_NETWORK_ID } });
    const other = await router(alice, { name: 'ri-other' });
    const added = await ok(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: { subnet_id: s1['id'] } }));
    expect(added).toMatchObject({
      id: r['id'],
      subnet_id: s1['id'],
      subnet_ids: [s1['id']],
      network_id: net['id'],
      tenant_id: r['tenant_id'],
      project_id: r['tenant_id'],
    });
    const ports = (await ok(call('GET', `/ports?device_id=${r['id']}`, { token: alice })))['ports'] as J[];
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatchObject({
      id: added['port_id'],
      device_id: r['id'],
      device_owner: 'network:router_interface',
      network_id: net['id'],
      status: 'ACTIVE',
      admin_state_up: true,
      fixed_ips: [{ subnet_id: s1['id'], ip_address: '10.20.0.1' }],
    });
    expect(ports[0]!['mac_address']).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect((await ok(call('GET', `/ports/${added['port_id']}`, { token: alice })))['port']).toEqual(ports[0]);
    const slim = (
      await ok(call('GET', `/ports?device_id=${r['id']}&fields=id&fields=name&fields=mac_address&fields=fixed_ips&fields=status`, { token: alice }))
    )['ports'] as J[];
    expect(Object.keys(slim[0]!).sort()).toEqual(['fixed_ips', 'id', 'mac_address', 'name', 'status']);
    expect((await ok(call('GET', `/ports?fixed_ips=subnet_id%3D${s1['id']}`, { token: alice })))['ports'] as J[]).toHaveLength(1);
    expect((await ok(call('GET', `/ports?device_id=${other['id']}`, { token: alice })))['ports'] as J[]).toEqual([]);
    await fault(call('PUT', `/routers/${other['id']}/add_router_interface`, { token: alice, body: { subnet_id: s1['id'] } }), 409);
    await fault(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: { subnet_id: s1['id'] } }), 400);
    await fault(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: { port_id: added['port_id'] } }), 400);
    await fault(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: {} }), 400);
    await fault(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: { subnet_id: PUBLIC_SUBNET_ID } }), 400);
    await fault(call('DELETE', `/routers/${r['id']}`, { token: alice }), 409, 'RouterInUse');
    await fault(call('DELETE', `/subnets/${s1['id']}`, { token: alice }), 409, 'SubnetInUse');
    await fault(call('DELETE', `/networks/${net['id']}`, { token: alice }), 409, 'NetworkInUse');
    await fault(call('DELETE', `/ports/${added['port_id']}`, { token: alice }), 409);
    // A vpnservice on the router (Neutron's extras on a gateway, written by the VPN API; simulated here) pins the router and its subnet.
    const db = t.server.store.db;
    const gw = '11111111-2222-4333-8444-555555555555';
    await db.insertInto('extras').values({ dialect: 'neutron', resource: 'vpn_gateway', id: gw, data: '{}' }).execute();
    await db
      .insertInto('extra_refs')
      .values([
        { dialect: 'neutron', resource: 'vpn_gateway', id: gw, ref_resource: 'router', ref_id: r['id'] as string },
        { dialect: 'neutron', resource: 'vpn_gateway', id: gw, ref_resource: 'subnet', ref_id: s1['id'] as string },
      ])
      .execute();
    await fault(call('PUT', `/routers/${r['id']}`, { token: alice, body: { router: { external_gateway_info: {} } } }), 409, 'RouterInUse');
    await fault(call('PUT', `/routers/${r['id']}/remove_router_interface`, { token: alice, body: { subnet_id: s1['id'] } }), 409, 'SubnetInUse');
    await db.deleteFrom('extra_refs').where('id', '=', gw).execute();
    await ok(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: { subnet_id: s2['id'] } }));
    const removed = await ok(call('PUT', `/routers/${r['id']}/remove_router_interface`, { token: alice, body: { port_id: added['port_id'] } }));
    expect(removed).toMatchObject({ id: r['id'], subnet_id: s1['id'], port_id: added['port_id'], network_id: net['id'] });
    await fault(call('PUT', `/routers/${r['id']}/remove_router_interface`, { token: alice, body: { subnet_id: s1['id'] } }), 404);
    await fault(call('GET', `/ports/${added['port_id']}`, { token: alice }), 404, 'PortNotFound');
    await ok(call('PUT', `/routers/${r['id']}/remove_router_interface`, { token: alice, body: { subnet_id: s2['id'] } }));
    await ok(call('DELETE', `/routers/${r['id']}`, { token: alice }), 204);
    await ok(call('DELETE', `/routers/${other['id']}`, { token: alice }), 204);
    await ok(call('DELETE', `/networks/${net['id']}`, { token: alice }), 204);
  });

  it("tempest's fixture and cleanup: ports?device_id → remove_router_interface → delete router with gateway; admin deletes the network", async () => {
    const net = await network(alice, 'tempest-net');
    const s = await subnet(alice, net['id'], '10.100.0.16/28', { gateway_ip: '10.100.0.17' });
    const r = await router(alice, { name: 'tempest-router', admin_state_up: false, external_gateway_info: { network_id: PUBLIC_NETWORK_ID } });
    await ok(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: { subnet_id: s['id'] } }));
    const ports = (await ok(call('GET', `/ports?device_id=${r['id']}`, { token: alice })))['ports'] as J[];
    for (const p of ports) {
      if (['network:router_interface', 'network:router_interface_distributed', 'network:ha_router_replicated_interface'].includes(p['device_owner'])) {
        await ok(call('PUT', `/routers/${r['id']}/remove_router_interface`, { token: alice, body: { subnet_id: p['fixed_ips'][0].subnet_id } }));
      }
    }
    await ok(call('DELETE', `/routers/${r['id']}`, { token: alice }), 204);
    expect((await ok(call('GET', `/ports?device_id=${r['id']}`, { token: alice })))['ports']).toEqual([]);
    await ok(call('DELETE', `/networks/${net['id']}`), 204);
    await fault(call('GET', `/subnets/${s['id']}`, { token: alice }), 404);
  });

  it("another project's objects are 404 and not listed; the admin sees all and creates for a project", async () => {
    const net = await network(alice, 'private');
    const s = await subnet(alice, net['id'], '10.30.0.0/24');
    const r = await router(alice, { name: 'private-r' });
    const add = await ok(call('PUT', `/routers/${r['id']}/add_router_interface`, { token: alice, body: { subnet_id: s['id'] } }));
    await fault(call('GET', `/networks/${net['id']}`, { token: bob }), 404, 'NetworkNotFound');
    await fault(call('GET', `/subnets/${s['id']}`, { token: bob }), 404, 'SubnetNotFound');
    await fault(call('GET', `/routers/${r['id']}`, { token: bob }), 404, 'RouterNotFound');
    await fault(call('GET', `/ports/${add['port_id']}`, { token: bob }), 404, 'PortNotFound');
    await fault(call('DELETE', `/networks/${net['id']}`, { token: bob }), 404);
    await fault(call('PUT', `/routers/${r['id']}`, { token: bob, body: { router: { name: 'x' } } }), 404);
    await fault(call('PUT', `/routers/${r['id']}/remove_router_interface`, { token: bob, body: { subnet_id: s['id'] } }), 404);
    const bobNets = (await ok(call('GET', '/networks', { token: bob })))['networks'] as J[];
    expect(bobNets.map((n) => n['id'])).not.toContain(net['id']);
    expect((await ok(call('GET', '/ports', { token: bob })))['ports'] as J[]).toEqual([]);
    expect(((await ok(call('GET', '/routers', { token: bob })))['routers'] as J[]).map((x) => x['id'])).not.toContain(r['id']);
    expect(((await ok(call('GET', '/networks')))['networks'] as J[]).map((n) => n['id'])).toContain(net['id']);
    // Non-admins cannot name another project; the admin can.
    const proj = net['tenant_id'] as string;
    await fault(call('POST', '/networks', { token: bob, body: { network: { name: 'x', project_id: proj } } }), 400);
    const forAlice = (await ok(call('POST', '/routers', { body: { router: { name: 'by-admin', tenant_id: proj } } }), 201))['router'];
    expect(forAlice['project_id']).toBe(proj);
    const netForAlice = (await ok(call('POST', '/networks', { body: { network: { name: 'admin-made', project_id: proj } } }), 201))['network'];
    expect(netForAlice['tenant_id']).toBe(proj);
    expect((await ok(call('GET', '/networks?name=admin-made', { token: alice })))['networks'] as J[]).toHaveLength(1);
    await fault(call('POST', '/networks', { body: { network: { name: 'nobody', project_id: '0123456789abcdef0123456789abcdef' } } }), 400);
    await ok(call('DELETE', `/routers/${forAlice['id']}`, { token: alice }), 204);
  });

  it('errors are NeutronError JSON: no token, bad JSON, missing body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v2.0/networks' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    await fault(
      t.app.inject({ method: 'POST', url: '/v2.0/networks', headers: { 'x-auth-token': alice, 'content-type': 'application/json' }, payload: '{"network": ' }),
      400,
    );
    await fault(call('POST', '/routers', { token: alice }), 400);
    await fault(call('POST', '/ports', { token: alice, body: { port: { network_id: PUBLIC_NETWORK_ID } } }), 400);
    await fault(call('GET', '/networks?limit=x', { token: alice }), 400);
  });
});
