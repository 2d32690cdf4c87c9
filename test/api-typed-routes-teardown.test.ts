import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { makeGateway, startTestServer, type TestServer } from './harness.js';

/**
 * A VPC's drop and delegate routes have no next hop: every route gateway of the VPC holds them all. A
 * gateway being deleted leaves them in the VPC's network only when another route gateway stays (its
 * plan's `vpcRoutesShared`); a policy gateway that stays never holds them, so they go.
 */
describe("agent plan: a route gateway's teardown and the VPC's drop and delegate routes", () => {
  let t: TestServer;
  let key: string;
  const plan = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/agent/v1/gateways/${id}/plan`, headers: { authorization: `Bearer ${key}` } })).json() as {
      generation: number;
      vpcRoutesShared: boolean;
      vpcRoutes: { action: string; nextHopConnectionId?: string }[];
    };

  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'remote', zones: 'lab-1,lab-2' });
    key = (await t.server.control.agentKeys.create(SYSTEM_ACTOR, 'host-a')).key;
  });
  afterAll(() => t.close());

  it('another route gateway stays: left to it; only a policy gateway stays: they go', async () => {
    const { vpcId, gateway: a } = await makeGateway(t, { mode: 'route', cidr: '10.12.0.0/24' });
    // One route gateway per zone of a VPC: b is in the second zone.
    const more = async (cidr: string, mode: 'policy' | 'route', zone: string) => {
      const sn = (await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpcId }, ipv4_cidr_block: cidr, zone: { name: zone } } })).json();
      const r = await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: sn.id }, mode } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string };
    };
    const b = await more('10.12.1.0/24', 'route', 'lab-2');
    const p = await more('10.12.2.0/24', 'policy', 'lab-1');
    const dflt = (await t.call('GET', `/v1/vpcs/${vpcId}/default_routing_table`)).json();
    const drop = await t.call('POST', `/v1/vpcs/${vpcId}/routing_tables/${dflt.id}/routes`, {
      body: { zone: { name: 'lab-2' }, destination: '172.30.0.0/16', action: 'drop' },
    });
    expect(drop.statusCode, drop.body).toBe(201);
    // Both route gateways plan it, whatever the zone; the policy gateway does not.
    for (const id of [a.id, b.id]) expect((await plan(id)).vpcRoutes).toEqual([expect.objectContaining({ action: 'drop' })]);
    expect((await plan(p.id)).vpcRoutes).toEqual([]);

    const del = async (id: string) => {
      // The agent made it (a remote data plane: stable once an agent says so); then it can go.
      const stable = await t.app.inject({
        method: 'POST',
        url: `/agent/v1/gateways/${id}/report`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify({
          generation: (await plan(id)).generation,
          gateway: { lifecycle_state: 'stable', health_state: 'ok', reasons: [] },
          connections: [],
        }),
      });
      expect(stable.statusCode, stable.body).toBe(200);
      const r = await t.call('DELETE', `/v1/vpn_gateways/${id}`);
      expect(r.statusCode, r.body).toBe(202);
    };
    await del(a.id);
    expect((await plan(a.id)).vpcRoutesShared).toBe(true); // b stays and holds them
    await del(b.id);
    expect((await plan(b.id)).vpcRoutesShared).toBe(false); // only the policy gateway stays
  });
});
