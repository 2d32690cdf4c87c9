import { describe, expect, it } from 'vitest';
import { desiredConnection } from '../../domain/desired-connection.js';
import type { PlannedRoute } from '../../domain/vpc-route.js';
import { connection, routeGateway } from '../../../test/domain-fixtures.js';
import { type MemberAddresses, type TunnelState, memberRoutePlan, routeTunnels, vpcRoutePlan, vpcTableNumber } from './route-plan.js';

const A = 'a0000000-0000-4000-8000-00000000000a';
const B = 'b0000000-0000-4000-8000-00000000000b';
const RT = 'r0000000-0000-4000-8000-000000000001';

const route = (o: Partial<PlannedRoute> = {}): PlannedRoute => ({
  routingTableId: RT,
  routeId: 'route-1',
  destination: '10.2.0.0/24',
  action: 'deliver',
  nextHopConnectionId: A,
  priority: 2,
  zone: 'us-south-1',
  subnetCidrs: ['10.1.0.0/24'],
  ...o,
});

// Member 2 holds the smaller public IP: the primary is chosen by IP, not by index.
const members: MemberAddresses[] = [
  { index: 1, publicIp: '192.0.2.40', privateIp: '10.1.0.4' },
  { index: 2, publicIp: '192.0.2.30', privateIp: '10.1.0.5' },
];
const tunnels = (a1: boolean, a2: boolean, id = A): TunnelState[] => [
  { connectionId: id, memberIndex: 1, up: a1 },
  { connectionId: id, memberIndex: 2, up: a2 },
];
const T = vpcTableNumber(RT, 'us-south-1');

describe('vpcRoutePlan', () => {
  it('without distribute_traffic: the up tunnel on the smaller public IP is primary', () => {
    const p = vpcRoutePlan([route()], tunnels(true, true), members, () => false);
    expect(p.routes).toEqual([{ table: T, destination: '10.2.0.0/24', metric: 2, via: ['10.1.0.5'] }]);
    expect(p.rules).toEqual([{ table: T, from: '10.1.0.0/24' }]);
  });

  it('falls back to the other member when the primary tunnel is down; none up, no route', () => {
    expect(vpcRoutePlan([route()], tunnels(true, false), members, () => false).routes[0]!.via).toEqual(['10.1.0.4']);
    const none = vpcRoutePlan([route()], tunnels(false, false), members, () => false);
    expect(none).toEqual({ routes: [], rules: [] });
  });

  it('with distribute_traffic and both up: ECMP over both members; one up: that one', () => {
    expect(vpcRoutePlan([route()], tunnels(true, true), members, (id) => id === A).routes[0]!.via).toEqual(['10.1.0.4', '10.1.0.5']);
    expect(vpcRoutePlan([route()], tunnels(false, true), members, () => true).routes[0]!.via).toEqual(['10.1.0.5']);
  });

  it('only tunnels of the next-hop connection count, and members without a public IP never', () => {
    const p = vpcRoutePlan([route()], [...tunnels(false, false), ...tunnels(true, true, B)], members, () => true);
    expect(p.routes).toEqual([]);
    const half = vpcRoutePlan([route()], tunnels(true, true), [members[0]!, { ...members[1]!, publicIp: null }], () => true);
    expect(half.routes[0]!.via).toEqual(['10.1.0.4']);
  });

  it('routes of one table, destination and priority merge into ECMP; priorities stay apart as metrics', () => {
    const routes = [route(), route({ routeId: 'r2', nextHopConnectionId: B }), route({ routeId: 'r3', destination: '10.3.0.0/24', priority: 0 })];
    const st = [...tunnels(true, false), ...tunnels(false, true, B)];
    const p = vpcRoutePlan(routes, st, members, () => false);
    expect(p.routes).toEqual([
      { table: T, destination: '10.2.0.0/24', metric: 2, via: ['10.1.0.4', '10.1.0.5'] },
      { table: T, destination: '10.3.0.0/24', metric: 0, via: ['10.1.0.4'] },
    ]);
  });

  it('a table per routing table, with a rule per subnet', () => {
    const other = 'r0000000-0000-4000-8000-000000000002';
    const p = vpcRoutePlan([route(), route({ routingTableId: other, subnetCidrs: ['10.1.1.0/24', '10.1.2.0/24'] })], tunnels(true, true), members, () => false);
    expect(new Set(p.routes.map((r) => r.table))).toEqual(new Set([T, vpcTableNumber(other, 'us-south-1')]));
    expect(p.rules).toHaveLength(3);
    expect(vpcTableNumber(other, 'us-south-1')).not.toBe(T);
    expect(T).toBeGreaterThanOrEqual(0x1000000);
    expect(T).toBeLessThan(0x2000000);
  });

  it('drop is a blackhole and delegate a throw, with their rules, whatever the tunnels; they win over a deliver route of their key', () => {
    const { nextHopConnectionId: _, ...bare } = route();
    const typed = (o: Partial<PlannedRoute>): PlannedRoute => ({ ...bare, ...o });
    const routes = [
      route(),
      typed({ routeId: 'd1', action: 'drop', destination: '10.2.0.128/25' }),
      typed({ routeId: 'd2', action: 'delegate', destination: '10.3.0.0/24', subnetCidrs: ['10.1.5.0/24'] }),
      typed({ routeId: 'd3', action: 'delegate_vpc', destination: '10.4.0.0/24', priority: 1 }),
      // Same table, destination and priority as the deliver route: the drop wins; and over a delegate of its key too.
      typed({ routeId: 'd4', action: 'delegate', destination: '10.5.0.0/24' }),
      typed({ routeId: 'd5', action: 'drop', destination: '10.5.0.0/24' }),
      typed({ routeId: 'd6', action: 'drop', destination: '10.2.0.0/24' }),
    ];
    const down = vpcRoutePlan(routes, tunnels(false, false), members, () => false);
    expect(down.routes).toEqual([
      { table: T, destination: '10.2.0.0/24', metric: 2, via: [], type: 'blackhole' },
      { table: T, destination: '10.2.0.128/25', metric: 2, via: [], type: 'blackhole' },
      { table: T, destination: '10.3.0.0/24', metric: 2, via: [], type: 'throw' },
      { table: T, destination: '10.4.0.0/24', metric: 1, via: [], type: 'throw' },
      { table: T, destination: '10.5.0.0/24', metric: 2, via: [], type: 'blackhole' },
    ]);
    expect(down.rules).toEqual([
      { table: T, from: '10.1.0.0/24' },
      { table: T, from: '10.1.5.0/24' },
    ]);
    expect(vpcRoutePlan(routes, tunnels(true, true), members, () => false).routes).toEqual(down.routes);
  });

  it("a table per zone of a routing table: each zone's routes route only that zone's subnets", () => {
    const p = vpcRoutePlan(
      [route(), route({ routeId: 'z2', zone: 'us-south-2', nextHopConnectionId: A, subnetCidrs: ['10.1.8.0/24'] })],
      tunnels(true, true),
      members,
      () => false,
    );
    const T2 = vpcTableNumber(RT, 'us-south-2');
    expect(T2).not.toBe(T);
    expect(p.routes.map((r) => r.table).sort()).toEqual([T, T2].sort());
    expect(p.rules).toEqual(
      expect.arrayContaining([
        { table: T, from: '10.1.0.0/24' },
        { table: T2, from: '10.1.8.0/24' },
      ]),
    );
    expect(p.rules).toHaveLength(2);
  });
});

describe('memberRoutePlan', () => {
  it("sends each destination to the tunnel namespace of its next hop's tunnel on that member", () => {
    const routes = [route(), route({ routeId: 'r2', destination: '10.3.0.0/24', nextHopConnectionId: B })];
    expect(memberRoutePlan(1, routes, tunnels(true, true))).toEqual([{ destination: '10.2.0.0/24', metric: 2, connectionIds: [A] }]);
    // a connection's tunnel that is down still gets its route (the VPC decides whether traffic comes)
    expect(memberRoutePlan(2, routes, [...tunnels(false, false), ...tunnels(false, false, B)])).toHaveLength(2);
  });

  it('several connections for one destination: the up ones', () => {
    const routes = [route(), route({ routeId: 'r2', nextHopConnectionId: B })];
    expect(memberRoutePlan(1, routes, [...tunnels(false, true), ...tunnels(true, true, B)])[0]!.connectionIds).toEqual([B]);
    expect(memberRoutePlan(1, routes, [...tunnels(true, true), ...tunnels(true, true, B)])[0]!.connectionIds).toEqual([A, B]);
  });
});

describe('routeTunnels', () => {
  const gw = routeGateway();
  const d = (id: string, o: Parameters<typeof connection>[0] = {}) =>
    desiredConnection(gw, connection({ id, kind: 'route_static', localCidrs: [], peerCidrs: [], ...o }), undefined, undefined);

  it('one tunnel per member for each route connection; policy and admin-down ones get none', () => {
    const r = routeTunnels([d(A), d(B, { peer: { address: '203.0.113.9' } }), d('c', { adminStateUp: false, peer: { address: '203.0.113.8' } })]);
    expect(r.tunnels.map((t) => [t.connectionId, t.memberIndex, t.publicIp, t.peerIp])).toEqual([
      [A, 1, '198.51.100.11', '203.0.113.7'],
      [A, 2, '198.51.100.12', '203.0.113.7'],
      [B, 1, '198.51.100.11', '203.0.113.9'],
      [B, 2, '198.51.100.12', '203.0.113.9'],
    ]);
    expect(r.blocked.size).toBe(0);
  });

  it('a second connection to the same peer address gets a reason instead of tunnels; so does an unresolved FQDN', () => {
    const r = routeTunnels([d(B), d(A), d('f0000000-0000-4000-8000-00000000000f', { peer: { fqdn: 'vpn.example.com' } })]);
    expect(r.tunnels.every((t) => t.connectionId === A)).toBe(true);
    expect(r.blocked.get(B)).toMatchObject({ code: 'route_tunnel_unavailable' });
    expect(r.blocked.get(B)!.message).toContain(`connection ${A} already has the tunnels to 203.0.113.7`);
    expect(r.blocked.get('f0000000-0000-4000-8000-00000000000f')!.message).toContain('vpn.example.com did not resolve');
  });
});
