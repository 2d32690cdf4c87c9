import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliServer, type CliServer } from './cli-fixture.js';

type J = Record<string, unknown>;

/** ibmcloud's vpc-routing-table* commands through bin/causeway: tables, routes via a VPN connection, the API's state flag by flag. */
describe('causeway vpc-routing-table commands', () => {
  let c: CliServer;
  let vpc: string;
  let conn: string;
  beforeAll(async () => {
    c = await startCliServer();
    vpc = ((await c.t.call('POST', '/v1/vpcs', { body: { name: 'rt-vpc' } })).json() as { id: string }).id;
    const subnet = await c.t.call('POST', '/v1/subnets', { body: { name: 'rt-subnet', vpc: { id: vpc }, ipv4_cidr_block: '10.250.0.0/24' } });
    expect(subnet.statusCode, subnet.body).toBe(201);
    const gw = await c.t.call('POST', '/v1/vpn_gateways', { body: { name: 'rt-gw', mode: 'route', subnet: { id: (subnet.json() as J)['id'] } } });
    expect(gw.statusCode, gw.body).toBe(201);
    const cr = await c.t.call('POST', `/v1/vpn_gateways/${(gw.json() as J)['id'] as string}/connections`, {
      body: { name: 'to-branch', psk: 'lab-secret-123', peer: { address: '203.0.113.9' } },
    });
    expect(cr.statusCode, cr.body).toBe(201);
    conn = (cr.json() as J)['id'] as string;
  }, 60_000);
  afterAll(() => c?.close());

  const run = async (args: string[], status = 0) => {
    const r = await c.run(args);
    expect(r.status, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(status);
    return r;
  };
  const json = async (args: string[]) => JSON.parse((await run([...args, '--output', 'JSON'])).stdout) as J & J[];

  it('lists the default table, creates one, renames it, deletes it', async () => {
    const tables = await json(['vpc-routing-tables', 'rt-vpc']);
    expect(tables.map((t) => [t['name'], t['is_default']])).toEqual([[expect.any(String), true]]);
    expect((await run(['vpc-routing-tables', 'rt-vpc'])).stdout).toMatch(/^ID\s+Name\s+Default\s+Status\s+Subnets$/m);
    const t = await json(['vpc-routing-table-create', 'rt-vpc', '--name', 'spare']);
    expect(t['name']).toBe('spare');
    expect((await json(['vpc-routing-table-update', 'rt-vpc', 'spare', '--name', 'spare2']))['name']).toBe('spare2');
    expect((await run(['vpc-routing-table', 'rt-vpc', 'spare2'])).stdout).toMatch(/^Default\s+false$/m);
    await run(['vpc-routing-table-delete', 'rt-vpc', 'spare2', '-f']);
    expect((await json(['vpc-routing-tables', 'rt-vpc'])).length).toBe(1);
  });

  it('vpc-routing-table-route-create with a VPN connection next hop, by id and by name with --vpngw; update; delete', async () => {
    const def = (await json(['vpc-routing-tables', 'rt-vpc']))[0]!['id'] as string;
    const r = await json([
      'vpc-routing-table-route-create',
      'rt-vpc',
      def,
      '--zone',
      'lab-1',
      '--destination',
      '192.168.60.0/24',
      '--action',
      'deliver',
      '--next-hop',
      conn,
      '--name',
      'to-branch-lan',
    ]);
    expect(r).toMatchObject({ name: 'to-branch-lan', destination: '192.168.60.0/24', action: 'deliver', priority: 2, next_hop: { id: conn } });
    const byName = await json([
      'vpc-routing-table-route-create',
      'rt-vpc',
      def,
      '--zone',
      'lab-1',
      '--destination',
      '192.168.61.0/24',
      '--next-hop',
      'to-branch',
      '--vpngw',
      'rt-gw',
      '--priority',
      '1',
    ]);
    expect(byName).toMatchObject({ next_hop: { id: conn }, priority: 1, action: 'deliver' });
    const list = (await run(['vpc-routing-table-routes', 'rt-vpc', def])).stdout;
    expect(list).toMatch(/to-branch-lan\s+192\.168\.60\.0\/24\s+deliver\s+to-branch \(/);
    const u = await json(['vpc-routing-table-route-update', 'rt-vpc', def, 'to-branch-lan', '--priority', '3']);
    expect(u['priority']).toBe(3);
    expect((await run(['vpc-routing-table-route', 'rt-vpc', def, 'to-branch-lan'])).stdout).toMatch(/^Priority\s+3$/m);
    // The connection is in use while a route delivers to it.
    const del = await run(['vpn-gateway-connection-delete', 'rt-gw', 'to-branch', '-f'], 1);
    expect(del.stderr).toMatch(/Error code: vpn_gateway_connection_in_use/);
    await run(['vpc-routing-table-route-delete', 'rt-vpc', def, 'to-branch-lan', byName['id'] as string, '-f']);
    expect(await json(['vpc-routing-table-routes', 'rt-vpc', def])).toEqual([]);
  });

  it('refuses what it cannot send, with exit 2, and the API refusal with exit 1', async () => {
    const def = (await json(['vpc-routing-tables', 'rt-vpc']))[0]!['id'] as string;
    expect(
      (await run(['vpc-routing-table-route-create', 'rt-vpc', def, '--zone', 'lab-1', '--destination', '10.9.0.0/24', '--next-hop', 'nope'], 2)).stderr,
    ).toMatch(/--next-hop: 'nope' is neither an IP address nor a VPN connection id/);
    expect(
      (await run(['vpc-routing-table-route-create', 'rt-vpc', def, '--zone', 'lab-1', '--destination', '10.9.0.1/24', '--next-hop', conn], 1)).stderr,
    ).toMatch(/Error code: /);
    expect((await run(['vpc-routing-table-delete', 'rt-vpc', def, '-f'], 1)).stderr).toMatch(/Error code: /);
  });
});
