import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, ensureNamespace, ip, ipBatch } from '../../src/dataplane/lab/ip-command.js';
import { VPC_TABLE_BASE, type VpcRoutePlan } from '../../src/dataplane/lab/route-plan.js';
import { syncVpcRoutes } from '../../src/dataplane/lab/route-table-sync.js';
import { labRuns } from './lab-fixture.js';

const NS = `cw-rts-${process.pid}`;
const TABLE = VPC_TABLE_BASE + 7;
const SUBNET = '10.9.0.0/24';
const GW_A = ['10.9.0.4', '10.9.0.5'];
const GW_B = ['10.9.0.6', '10.9.0.7'];

const plan = (via: string[]): VpcRoutePlan =>
  via.length === 0
    ? { routes: [], rules: [] }
    : { routes: [{ table: TABLE, destination: '10.20.0.0/24', metric: 2, via }], rules: [{ table: TABLE, from: SUBNET }] };

/**
 * Two route gateways in one VPC, routes to one destination at one priority in one routing table:
 * one kernel route, an ECMP route over both gateways' next hops, each gateway adding and removing
 * only its own (it used to replace the other's on every reconcile).
 */
describe.runIf(labRuns)('lab: two gateways share a routing table in the VPC namespace', () => {
  const routes = async (): Promise<string> => ip(['-4', 'route', 'show', 'table', String(TABLE)], NS).catch(() => '');
  const tableRules = async (): Promise<string> =>
    (await ip(['-4', 'rule', 'show'], NS))
      .split('\n')
      .filter((l) => l.includes(`lookup ${TABLE}`))
      .join('\n');
  const hops = async (): Promise<string[]> => [...(await routes()).matchAll(/via (\S+)/g)].map((m) => m[1]!).sort();

  beforeAll(async () => {
    await ensureNamespace(NS);
    await ipBatch(['link add d0 type veth peer name d1', 'addr add 10.9.0.1/24 dev d0', 'link set d1 up', 'link set d0 up'], NS);
  });
  afterAll(() => deleteNamespace(NS));

  it('merges both gateways into one ECMP route, concurrent syncs included', async () => {
    await Promise.all([syncVpcRoutes(NS, plan(['10.9.0.4']), GW_A), syncVpcRoutes(NS, plan(['10.9.0.6']), GW_B)]);
    expect(await hops()).toEqual(['10.9.0.4', '10.9.0.6']);
    expect(await tableRules()).toContain(`from ${SUBNET} lookup ${TABLE}`);
    // Each gateway's next reconcile leaves the other's hop alone.
    await syncVpcRoutes(NS, plan(['10.9.0.4']), GW_A);
    await syncVpcRoutes(NS, plan(['10.9.0.7']), GW_B); // B's traffic moved to its other member
    expect(await hops()).toEqual(['10.9.0.4', '10.9.0.7']);
  });

  it('a gateway that stops routing takes only its own hop; the table and its rule stay while the other routes', async () => {
    await syncVpcRoutes(NS, plan([]), GW_A);
    expect(await hops()).toEqual(['10.9.0.7']);
    expect(await tableRules()).toContain(`from ${SUBNET} lookup ${TABLE}`);
    await syncVpcRoutes(NS, plan([]), GW_B);
    expect(await routes()).toBe('');
    expect(await tableRules()).toBe('');
  });

  it("two zones' gateways, one kernel table each: neither removes the other's table rules", async () => {
    const T2 = TABLE + 1;
    const zonePlan = (table: number, from: string, via: string): VpcRoutePlan => ({
      routes: [{ table, destination: '10.30.0.0/24', metric: 2, via: [via] }],
      rules: [{ table, from }],
    });
    await syncVpcRoutes(NS, zonePlan(TABLE, '10.9.0.0/25', '10.9.0.4'), GW_A);
    await syncVpcRoutes(NS, zonePlan(T2, '10.9.0.128/25', '10.9.0.6'), GW_B);
    await syncVpcRoutes(NS, zonePlan(TABLE, '10.9.0.0/25', '10.9.0.4'), GW_A);
    const all = (await ip(['-4', 'rule', 'show'], NS)).split('\n');
    expect(all.filter((l) => l.includes(`from 10.9.0.0/25 lookup ${TABLE}`))).toHaveLength(1);
    expect(all.filter((l) => l.includes(`from 10.9.0.128/25 lookup ${T2}`))).toHaveLength(1);
    await syncVpcRoutes(NS, plan([]), GW_A);
    await syncVpcRoutes(NS, plan([]), GW_B);
  });

  it('drop and delegate routes: blackhole and throw from every plan, kept by a teardown, gone when no plan has them', async () => {
    const drop = { table: TABLE, destination: '10.20.0.128/25', metric: 2, via: [], type: 'blackhole' } as const;
    const delegate = { table: TABLE, destination: '10.40.0.0/24', metric: 1, via: [], type: 'throw' } as const;
    const withTyped = (via: string[], ...typed: (typeof drop | typeof delegate)[]): VpcRoutePlan => ({
      routes: [...plan(via).routes, ...typed],
      rules: [{ table: TABLE, from: SUBNET }],
    });
    await syncVpcRoutes(NS, withTyped(['10.9.0.4'], drop, delegate), GW_A);
    await syncVpcRoutes(NS, withTyped(['10.9.0.6'], drop, delegate), GW_B);
    const shown = await routes();
    expect(shown).toMatch(/^blackhole 10\.20\.0\.128\/25 proto 77 metric 2/m);
    expect(shown).toMatch(/^throw 10\.40\.0\.0\/24 proto 77 metric 1/m);
    expect(await hops()).toEqual(['10.9.0.4', '10.9.0.6']);
    // From the table's subnet, the kernel drops what the blackhole covers; the rest still routes.
    const get = async (dst: string): Promise<string> => ip(['-4', 'route', 'get', dst, 'from', '10.9.0.1'], NS).catch((e: Error) => e.message);
    expect(await get('10.20.0.200')).toMatch(/RTNETLINK answers: Invalid argument/); // a blackhole, sending locally

    expect(await get('10.20.0.20')).toMatch(/via 10\.9\.0\.[46]/);
    // A gateway torn down leaves them to the other; its plan without them removes them.
    await syncVpcRoutes(NS, { routes: [], rules: [], leaveTyped: true }, GW_A);
    expect(await routes()).toMatch(/^blackhole 10\.20\.0\.128\/25/m);
    expect(await hops()).toEqual(['10.9.0.6']);
    await syncVpcRoutes(NS, withTyped(['10.9.0.6'], delegate), GW_B);
    expect(await routes()).not.toContain('blackhole');
    expect(await routes()).toMatch(/^throw 10\.40\.0\.0\/24/m);
    await syncVpcRoutes(NS, plan([]), GW_B);
    expect(await routes()).toBe('');
    expect(await tableRules()).toBe('');
  });
});
