import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGateway, neutronCall, policyConnection, startTestServer, type TestServer } from './harness.js';
import { neutronFixture } from './neutron-fixture.js';

/** IBM's VPC routing tables API: tables, routes, the default table, subnet association, in-use refusals, gateway plans. */
describe('IBM /v1/vpcs/{id}/routing_tables', () => {
  let t: TestServer;
  let vpc: string;
  let subnet: string;
  let gw: string;
  let conn: string;
  let policyConn: string;
  /** The server's public URL, as hrefs start. */
  let base: string;
  const zone = 'us-south-1';
  const errCode = (r: { json: () => unknown }) => (r.json() as { errors: { code: string }[] }).errors[0]!.code;

  beforeAll(async () => {
    t = await startTestServer({ region: 'us-south', zones: 'us-south-1,us-south-2', 'quota.gatewaysPerZone': '9' });
    const g = await makeGateway(t, { mode: 'route', cidr: '10.60.0.0/24' });
    vpc = g.vpcId;
    subnet = g.subnetId;
    gw = g.gateway.id;
    base = ((await t.call('GET', `/v1/vpcs/${vpc}`)).json() as { href: string }).href.replace(/\/v1\/vpcs\/.*$/, '');
    const c = await t.call('POST', `/v1/vpn_gateways/${gw}/connections`, { body: { psk: 'abcdef123', peer: { address: '203.0.113.60' } } });
    expect(c.statusCode).toBe(201);
    conn = (c.json() as { id: string }).id;
    // A policy-mode gateway in the same VPC: its connections are no next hop.
    const pg = await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc }, ipv4_cidr_block: '10.60.1.0/24' } });
    const pgw = await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: (pg.json() as { id: string }).id }, mode: 'policy' } });
    const pc = await t.call('POST', `/v1/vpn_gateways/${(pgw.json() as { id: string }).id}/connections`, {
      body: policyConnection({ local: { cidrs: ['10.60.1.0/24'] } }),
    });
    expect(pc.statusCode).toBe(201);
    policyConn = (pc.json() as { id: string }).id;
  });
  afterAll(() => t.close());

  it('every VPC has a default table, which routes its subnets', async () => {
    const d = await t.call('GET', `/v1/vpcs/${vpc}/default_routing_table`);
    expect(d.statusCode).toBe(200);
    const table = d.json();
    expect(table).toMatchObject({ is_default: true, lifecycle_state: 'stable', resource_type: 'routing_table', routes: [] });
    expect(table.href).toBe(`${base}/v1/vpcs/${vpc}/routing_tables/${table.id}`);
    expect(table.subnets.map((s: { id: string }) => s.id)).toContain(subnet);
    const list = (await t.call('GET', `/v1/vpcs/${vpc}/routing_tables`)).json();
    expect(list.routing_tables.map((x: { id: string }) => x.id)).toEqual([table.id]);
    expect(list.total_count).toBe(1);
    expect((await t.call('GET', `/v1/subnets/${subnet}/routing_table`)).json().id).toBe(table.id);
    // The default table cannot go.
    const del = await t.call('DELETE', `/v1/vpcs/${vpc}/routing_tables/${table.id}`);
    expect(del.statusCode).toBe(409);
    expect(errCode(del)).toBe('default_routing_table');
  });

  it('creates, reads, renames and deletes a table and its routes; a route via a connection is in that gateway plan', async () => {
    const c = await t.call('POST', `/v1/vpcs/${vpc}/routing_tables`, { body: { name: 'rt-one' } });
    expect(c.statusCode).toBe(201);
    const rt = c.json();
    expect(rt).toMatchObject({ name: 'rt-one', is_default: false, routes: [], subnets: [] });
    const r = await t.call('POST', `/v1/vpcs/${vpc}/routing_tables/${rt.id}/routes`, {
      body: { name: 'to-site', zone: { name: zone }, destination: '192.168.50.0/24', next_hop: { id: conn } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const route = r.json();
    expect(route).toMatchObject({
      name: 'to-site',
      action: 'deliver',
      priority: 2,
      origin: 'user',
      destination: '192.168.50.0/24',
      lifecycle_state: 'stable',
      zone: { name: zone },
      next_hop: { id: conn, resource_type: 'vpn_gateway_connection', href: `${base}/v1/vpn_gateways/${gw}/connections/${conn}` },
    });
    expect((await t.call('GET', `/v1/vpcs/${vpc}/routing_tables/${rt.id}/routes/${route.id}`)).json()).toEqual(route);

    // The table routes no subnet yet: the plan has the route with no subnet CIDRs; associate the subnet, it has them.
    let plan = await t.server.control.agent.plan(gw);
    expect(plan.vpcRoutes).toEqual([
      {
        routingTableId: rt.id,
        routeId: route.id,
        destination: '192.168.50.0/24',
        action: 'deliver',
        nextHopConnectionId: conn,
        priority: 2,
        zone,
        subnetCidrs: [],
      },
    ]);
    const before = await t.server.control.changes.current();
    const put = await t.call('PUT', `/v1/subnets/${subnet}/routing_table`, { body: { id: rt.id } });
    expect(put.statusCode).toBe(201);
    expect(put.json().subnets.map((s: { id: string }) => s.id)).toEqual([subnet]);
    const batch = await t.server.control.changes.read(before);
    expect(batch.entries.flatMap((e) => e.gatewayIds)).toContain(gw);
    plan = await t.server.control.agent.plan(gw);
    expect(plan.vpcRoutes[0]!.subnetCidrs).toEqual(['10.60.0.0/24']);

    // Patch: priority and name; the gateway re-plans.
    const p = await t.call('PATCH', `/v1/vpcs/${vpc}/routing_tables/${rt.id}/routes/${route.id}`, { body: { priority: 0, name: 'to-site-0' } });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ priority: 0, name: 'to-site-0' });
    expect((await t.server.control.agent.plan(gw)).vpcRoutes[0]!.priority).toBe(0);
    const renamed = await t.call('PATCH', `/v1/vpcs/${vpc}/routing_tables/${rt.id}`, { body: { name: 'rt-renamed' } });
    expect(renamed.json()).toMatchObject({ name: 'rt-renamed', routes: [{ id: route.id, name: 'to-site-0' }] });

    // In use: the connection, its gateway, the table with a subnet.
    const dc = await t.call('DELETE', `/v1/vpn_gateways/${gw}/connections/${conn}`);
    expect(dc.statusCode).toBe(409);
    expect(errCode(dc)).toBe('vpn_gateway_connection_in_use');
    const dg = await t.call('DELETE', `/v1/vpn_gateways/${gw}`);
    expect(dg.statusCode).toBe(409);
    expect(errCode(dg)).toBe('vpn_gateway_in_use');
    const dt = await t.call('DELETE', `/v1/vpcs/${vpc}/routing_tables/${rt.id}`);
    expect(dt.statusCode).toBe(409);
    expect(errCode(dt)).toBe('routing_table_in_use');

    // Back to the default table; delete the route, then the table.
    const dflt = (await t.call('GET', `/v1/vpcs/${vpc}/default_routing_table`)).json();
    expect((await t.call('PUT', `/v1/subnets/${subnet}/routing_table`, { body: { href: dflt.href } })).statusCode).toBe(201);
    expect((await t.call('DELETE', `/v1/vpcs/${vpc}/routing_tables/${rt.id}/routes/${route.id}`)).statusCode).toBe(204);
    expect((await t.server.control.agent.plan(gw)).vpcRoutes).toEqual([]);
    expect((await t.call('GET', `/v1/vpcs/${vpc}/routing_tables/${rt.id}/routes/${route.id}`)).statusCode).toBe(404);
    expect((await t.call('DELETE', `/v1/vpcs/${vpc}/routing_tables/${rt.id}`)).statusCode).toBe(204);
    const gone = await t.call('GET', `/v1/vpcs/${vpc}/routing_tables/${rt.id}`);
    expect(gone.statusCode).toBe(404);
    expect(errCode(gone)).toBe('routing_table_not_found');
  });

  it('routes of the default table reach the plan with the subnets of the route zone', async () => {
    const dflt = (await t.call('GET', `/v1/vpcs/${vpc}/default_routing_table`)).json();
    const mk = (body: Record<string, unknown>) =>
      t.call('POST', `/v1/vpcs/${vpc}/routing_tables/${dflt.id}/routes`, { body: { zone: { name: zone }, ...body } });
    const a = (await mk({ destination: '172.20.0.0/16', next_hop: { id: conn }, priority: 1 })).json();
    const other = (
      await t.call('POST', `/v1/vpcs/${vpc}/routing_tables/${dflt.id}/routes`, {
        body: { zone: { href: `${base}/v1/regions/us-south/zones/us-south-2` }, destination: '172.21.0.0/16', next_hop: { id: conn } },
      })
    ).json();
    const before = await t.server.control.changes.current();
    const drop = await mk({ destination: '172.22.0.0/16', action: 'drop' });
    expect(drop.statusCode).toBe(201);
    expect(drop.json().next_hop).toEqual({ address: '0.0.0.0' });
    // A drop route is every route gateway's of the VPC, whatever its next hops: this one re-plans.
    expect((await t.server.control.changes.read(before)).entries.flatMap((e) => e.gatewayIds)).toContain(gw);
    const byIp = await mk({ destination: '172.23.0.0/16', next_hop: { address: '10.60.0.9' } });
    expect(byIp.json().next_hop).toEqual({ address: '10.60.0.9' });
    const plan = await t.server.control.agent.plan(gw);
    const planned = new Map(plan.vpcRoutes.map((r) => [r.routeId, r]));
    // The deliver routes through its connections and the drop route; never the one to an address.
    expect(planned.size).toBe(3);
    expect([...planned.get(a.id)!.subnetCidrs].sort()).toEqual(['10.60.0.0/24', '10.60.1.0/24']);
    expect(planned.get(other.id)!.subnetCidrs).toEqual([]);
    const dropped = planned.get(drop.json().id)!;
    expect(dropped).toMatchObject({ action: 'drop', destination: '172.22.0.0/16' });
    expect(dropped).not.toHaveProperty('nextHopConnectionId');
    for (const id of [a.id, other.id, drop.json().id, byIp.json().id]) {
      expect((await t.call('DELETE', `/v1/vpcs/${vpc}/routing_tables/${dflt.id}/routes/${id}`)).statusCode).toBe(204);
    }
  });

  it('pages tables and routes', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await t.call('POST', `/v1/vpcs/${vpc}/routing_tables`, { body: {} })).json().id);
    const p1 = (await t.call('GET', `/v1/vpcs/${vpc}/routing_tables?limit=2`)).json();
    expect(p1.routing_tables).toHaveLength(2);
    expect(p1.total_count).toBe(4);
    const next = new URL(p1.next.href);
    const p2 = (await t.call('GET', `${next.pathname}${next.search}`)).json();
    expect(p2.routing_tables).toHaveLength(2);
    expect(p2.next).toBeUndefined();
    const only = (await t.call('GET', `/v1/vpcs/${vpc}/routing_tables?is_default=false`)).json();
    expect(only.total_count).toBe(3);
    const rt = made[0]!;
    for (let i = 0; i < 3; i++) {
      const r = await t.call('POST', `/v1/vpcs/${vpc}/routing_tables/${rt}/routes`, {
        body: { zone: { name: zone }, destination: `10.9${i}.0.0/16`, action: 'delegate' },
      });
      expect(r.statusCode).toBe(201);
    }
    const r1 = (await t.call('GET', `/v1/vpcs/${vpc}/routing_tables/${rt}/routes?limit=2`)).json();
    expect(r1.routes).toHaveLength(2);
    expect(r1.total_count).toBe(3);
    const n = new URL(r1.next.href);
    expect((await t.call('GET', `${n.pathname}${n.search}`)).json().routes).toHaveLength(1);
    for (const id of made) expect((await t.call('DELETE', `/v1/vpcs/${vpc}/routing_tables/${id}`)).statusCode).toBe(204);
  });

  it('refuses bad input with a 4xx in the IBM envelope', async () => {
    const dflt = (await t.call('GET', `/v1/vpcs/${vpc}/default_routing_table`)).json();
    const routes = `/v1/vpcs/${vpc}/routing_tables/${dflt.id}/routes`;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ zone: { name: zone }, destination: '10.0.0.0/33', action: 'drop' }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.1/8', action: 'drop' }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: 'fd00::/8', action: 'drop' }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8' }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', action: 'drop', next_hop: { id: conn } }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', next_hop: { address: '224.0.0.1' } }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', next_hop: { id: policyConn } }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', next_hop: { id: '7d0fa4d8-2a54-4b9e-9f63-0b8fbd3f2f10' } }, 404, 'vpn_gateway_connection_not_found'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', next_hop: { id: conn, address: '10.0.0.1' } }, 400, 'invalid_value'],
      [{ zone: { name: 'mars-1' }, destination: '10.0.0.0/8', action: 'drop' }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', action: 'drop', priority: 5 }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', action: 'forward' }, 400, 'invalid_value'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', action: 'drop', advertise: true }, 400, 'invalid_value'],
      [{ destination: '10.0.0.0/8', action: 'drop' }, 400, 'missing_field'],
      [{ zone: { name: zone }, destination: '10.0.0.0/8', action: 'drop', name: 'Not_Valid' }, 400, 'invalid_value'],
    ];
    for (const [body, status, code] of cases) {
      const r = await t.call('POST', routes, { body });
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      const e = r.json() as { errors: { code: string; more_info: string }[]; trace: string; status_code: number };
      expect(e.status_code).toBe(status);
      expect(e.errors[0]!.code, `${JSON.stringify(body)}: ${r.body}`).toBe(code);
    }
    // Names are unique per table.
    expect((await t.call('POST', routes, { body: { name: 'dup', zone: { name: zone }, destination: '10.1.0.0/16', action: 'drop' } })).statusCode).toBe(201);
    const dup = await t.call('POST', routes, { body: { name: 'dup', zone: { name: zone }, destination: '10.2.0.0/16', action: 'drop' } });
    expect([dup.statusCode, errCode(dup)]).toEqual([400, 'name_not_unique']);
    expect((await t.call('POST', `/v1/vpcs/${vpc}/routing_tables`, { body: { route_internet_ingress: true } })).statusCode).toBe(400);
    expect((await t.call('GET', `/v1/vpcs/${vpc}/routing_tables/not-a-uuid`)).statusCode).toBe(404);
    expect((await t.call('GET', `/v1/vpcs/not-a-uuid/routing_tables`)).statusCode).toBe(404);
    // A table of another VPC is not this VPC's.
    const other = (await t.call('POST', '/v1/vpcs', { body: {} })).json().id;
    const wrong = await t.call('GET', `/v1/vpcs/${other}/routing_tables/${dflt.id}`);
    expect([wrong.statusCode, errCode(wrong)]).toEqual([404, 'routing_table_not_found']);
    const foreign = await t.call('PUT', `/v1/subnets/${subnet}/routing_table`, {
      body: { id: (await t.call('GET', `/v1/vpcs/${other}/default_routing_table`)).json().id },
    });
    expect(foreign.statusCode).toBe(400);
  });

  it('another account sees none of it (404), and cannot route through a connection it does not own', async () => {
    const b = await t.account('routing-b');
    const dflt = (await t.call('GET', `/v1/vpcs/${vpc}/default_routing_table`)).json();
    for (const [m, p] of [
      ['GET', `/v1/vpcs/${vpc}/routing_tables`],
      ['GET', `/v1/vpcs/${vpc}/default_routing_table`],
      ['GET', `/v1/vpcs/${vpc}/routing_tables/${dflt.id}`],
      ['GET', `/v1/vpcs/${vpc}/routing_tables/${dflt.id}/routes`],
      ['GET', `/v1/subnets/${subnet}/routing_table`],
      ['DELETE', `/v1/vpcs/${vpc}/routing_tables/${dflt.id}`],
    ] as const) {
      const r = await t.call(m, p, { token: b });
      expect(r.statusCode, `${m} ${p}`).toBe(404);
    }
    const post = await t.call('POST', `/v1/vpcs/${vpc}/routing_tables`, { token: b, body: {} });
    expect([post.statusCode, errCode(post)]).toEqual([404, 'vpc_not_found']);
    const own = (await t.call('POST', '/v1/vpcs', { token: b, body: {} })).json().id;
    const ownTable = (await t.call('GET', `/v1/vpcs/${own}/default_routing_table`, { token: b })).json().id;
    const r = await t.call('POST', `/v1/vpcs/${own}/routing_tables/${ownTable}/routes`, {
      token: b,
      body: { zone: { name: zone }, destination: '10.0.0.0/8', next_hop: { id: conn } },
    });
    expect([r.statusCode, errCode(r)]).toEqual([404, 'vpn_gateway_connection_not_found']);
  });

  it('VPCs and subnets name their routing tables; a subnet can be made in a table', async () => {
    const dflt = (await t.call('GET', `/v1/vpcs/${vpc}/default_routing_table`)).json();
    const ref = { href: dflt.href, id: dflt.id, name: dflt.name, resource_type: 'routing_table' };
    expect((await t.call('GET', `/v1/vpcs/${vpc}`)).json().default_routing_table).toEqual(ref);
    expect((await t.call('GET', `/v1/subnets/${subnet}`)).json().routing_table).toEqual(ref);
    const rt = (await t.call('POST', `/v1/vpcs/${vpc}/routing_tables`, { body: { name: 'for-new-subnet' } })).json();
    const s = await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc }, ipv4_cidr_block: '10.60.9.0/24', routing_table: { href: rt.href } } });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json().routing_table).toMatchObject({ id: rt.id, name: 'for-new-subnet' });
    // A table of another VPC: refused, and no subnet is left behind.
    const other = (await t.call('POST', '/v1/vpcs', { body: {} })).json().id;
    const otherTable = (await t.call('GET', `/v1/vpcs/${other}/default_routing_table`)).json().id;
    const refused = await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc }, ipv4_cidr_block: '10.60.10.0/24', routing_table: { id: otherTable } } });
    expect(refused.statusCode).toBe(400);
    const cidrs = (await t.call('GET', `/v1/subnets?vpc.id=${vpc}`)).json().subnets.map((x: { ipv4_cidr_block: string }) => x.ipv4_cidr_block);
    expect(cidrs).not.toContain('10.60.10.0/24');
    expect((await t.call('DELETE', `/v1/subnets/${s.json().id}`)).statusCode).toBe(204);
    expect((await t.call('DELETE', `/v1/vpcs/${vpc}/routing_tables/${rt.id}`)).statusCode).toBe(204);
  });

  it('a VPC goes with its default table; a custom table keeps it', async () => {
    const v = (await t.call('POST', '/v1/vpcs', { body: {} })).json().id;
    const rt = (await t.call('POST', `/v1/vpcs/${v}/routing_tables`, { body: {} })).json().id;
    const refused = await t.call('DELETE', `/v1/vpcs/${v}`);
    expect([refused.statusCode, errCode(refused)]).toEqual([409, 'vpc_in_use']);
    expect((await t.call('DELETE', `/v1/vpcs/${v}/routing_tables/${rt}`)).statusCode).toBe(204);
    const d = (await t.call('GET', `/v1/vpcs/${v}/default_routing_table`)).json().id;
    expect(
      (await t.call('POST', `/v1/vpcs/${v}/routing_tables/${d}/routes`, { body: { zone: { name: zone }, destination: '10.0.0.0/8', action: 'drop' } }))
        .statusCode,
    ).toBe(201);
    expect((await t.call('DELETE', `/v1/vpcs/${v}`)).statusCode).toBe(204);
  });
});

/** Neutron's router `routes` (extraroute, extraroute-atomic) are the default routing table's deliver routes. */
describe('Neutron router routes on the routing tables', () => {
  let t: TestServer;
  let alice: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Neutron answers are loose JSON in tests
  const n = (method: string, url: string, body?: unknown, token = alice): Promise<{ statusCode: number; json(): any; body: string }> =>
    neutronCall(t, method, url, body, token);

  beforeAll(async () => {
    t = await startTestServer({ 'quota.gatewaysPerZone': '9' });
    alice = await t.account('nalice');
  });
  afterAll(() => t.close());

  it('maps nexthops onto connections or addresses, and back', async () => {
    const fx = await neutronFixture((m, u, b) => n(m, u, b), '10.70.0.0/24', 'rt');
    expect((await n('GET', '/extensions/extraroute')).statusCode).toBe(200);
    expect((await n('GET', '/extensions/extraroute-atomic')).statusCode).toBe(200);
    expect(fx.router.routes).toEqual([]);
    // A route-mode IBM gateway in the router's VPC (the network), and a Neutron VPN service (policy mode) on the router.
    const gw = await t.call('POST', '/v1/vpn_gateways', { token: alice, body: { subnet: { id: fx.sub.id }, mode: 'route' } });
    expect(gw.statusCode).toBe(201);
    const gwId = gw.json().id as string;
    const conn = (
      await t.call('POST', `/v1/vpn_gateways/${gwId}/connections`, { token: alice, body: { psk: 'abcdef123', peer: { address: '203.0.113.70' } } })
    ).json();
    const svc = (await n('POST', '/vpn/vpnservices', { vpnservice: { router_id: fx.router.id, subnet_id: fx.sub.id, name: 'svc-rt' } })).json().vpnservice;
    const ike = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'rt-ike' } })).json().ikepolicy;
    const esp = (await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'rt-esp' } })).json().ipsecpolicy;
    const site = await n('POST', '/vpn/ipsec-site-connections', {
      ipsec_site_connection: {
        psk: 'secret',
        ikepolicy_id: ike.id,
        ipsecpolicy_id: esp.id,
        vpnservice_id: svc.id,
        peer_address: '203.0.113.71',
        peer_id: '203.0.113.71',
        peer_cidrs: ['192.168.71.0/24'],
      },
    });
    expect(site.statusCode, site.body).toBe(201);

    const routes = [
      { destination: '192.168.70.0/24', nexthop: '203.0.113.70' },
      { destination: '192.168.71.0/24', nexthop: '203.0.113.71' },
      { destination: '192.168.72.0/24', nexthop: '10.70.0.5' },
    ];
    const put = await n('PUT', `/routers/${fx.router.id}`, { router: { routes } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().router.routes).toEqual(routes);
    expect((await n('GET', `/routers/${fx.router.id}`)).json().router.routes).toEqual(routes);
    expect((await n('GET', '/routers')).json().routers.find((r: { id: string }) => r.id === fx.router.id).routes).toEqual(routes);

    // The same routes through IBM: one via the route-mode connection, the others kept as addresses.
    const dflt = (await t.call('GET', `/v1/vpcs/${fx.net.id}/default_routing_table`, { token: alice })).json();
    const ibm = (await t.call('GET', `/v1/vpcs/${fx.net.id}/routing_tables/${dflt.id}/routes`, { token: alice })).json().routes;
    expect(ibm.map((r: { destination: string; next_hop: unknown }) => [r.destination, r.next_hop])).toEqual([
      ['192.168.70.0/24', expect.objectContaining({ id: conn.id, resource_type: 'vpn_gateway_connection' })],
      ['192.168.71.0/24', { address: '203.0.113.71' }],
      ['192.168.72.0/24', { address: '10.70.0.5' }],
    ]);
    const plan = await t.server.control.agent.plan(gwId);
    expect(plan.vpcRoutes.map((r) => [r.destination, r.nextHopConnectionId, r.subnetCidrs])).toEqual([['192.168.70.0/24', conn.id, ['10.70.0.0/24']]]);
    const del = await t.call('DELETE', `/v1/vpn_gateways/${gwId}/connections/${conn.id}`, { token: alice });
    expect(del.statusCode).toBe(409);

    // extraroute-atomic: add (a present one stays once) and remove.
    const added = await n('PUT', `/routers/${fx.router.id}/add_extraroutes`, {
      router: { routes: [routes[0], { destination: '192.168.73.0/24', nexthop: '10.70.0.6' }] },
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().router.routes).toHaveLength(4);
    const removed = await n('PUT', `/routers/${fx.router.id}/remove_extraroutes`, {
      router: { routes: [routes[1], { destination: '10.9.0.0/16', nexthop: '10.70.0.9' }] },
    });
    expect(removed.json().router.routes.map((r: { destination: string }) => r.destination)).toEqual(['192.168.70.0/24', '192.168.72.0/24', '192.168.73.0/24']);
    // The route via the connection was kept as it was, not made again.
    expect((await t.call('GET', `/v1/vpcs/${fx.net.id}/routing_tables/${dflt.id}/routes/${ibm[0].id}`, { token: alice })).statusCode).toBe(200);

    // Bad input: 400, nothing changes.
    for (const bad of [
      'x',
      [{ destination: '10.0.0.1/8', nexthop: '10.70.0.5' }],
      [{ destination: '10.0.0.0/8', nexthop: 'nope' }],
      [{ destination: '10.0.0.0/8', nexthop: '10.70.0.5', extra: 1 }],
      [
        { destination: '10.0.0.0/8', nexthop: '10.70.0.5' },
        { destination: '10.0.0.0/8', nexthop: '10.70.0.5' },
      ],
      [5],
    ]) {
      const r = await n('PUT', `/routers/${fx.router.id}`, { router: { routes: bad } });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.json().NeutronError.type).toBeTruthy();
    }
    expect((await n('GET', `/routers/${fx.router.id}`)).json().router.routes).toHaveLength(3);
    // Another project: the router is not there.
    const bob = await t.account('nbob');
    expect((await n('PUT', `/routers/${fx.router.id}`, { router: { routes: [] } }, bob)).statusCode).toBe(404);

    // `routes: null` clears them; the connection can go now.
    expect((await n('PUT', `/routers/${fx.router.id}`, { router: { routes: null } })).json().router.routes).toEqual([]);
    expect((await t.call('GET', `/v1/vpcs/${fx.net.id}/routing_tables/${dflt.id}/routes`, { token: alice })).json().routes).toEqual([]);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gwId}/connections/${conn.id}`, { token: alice })).statusCode).toBe(202);
  });
});
