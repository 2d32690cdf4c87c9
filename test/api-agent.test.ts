import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

/** The agent API of `serve --dataplane remote`, as a standalone agent uses it (no root needed). */
describe('agent API (/agent/v1)', () => {
  let t: TestServer;
  let key: string;
  const agent = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/agent/v1${url}`,
      headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });

  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'remote' });
    key = (await t.server.control.agentKeys.create(SYSTEM_ACTOR, 'host-a')).key;
  });
  afterAll(() => t.close());

  it('needs an agent key: none, an account token or a wrong key answer 401', async () => {
    for (const authorization of [undefined, `Bearer ${t.adminToken}`, 'Bearer cwa_nope']) {
      const r = await t.app.inject({ method: 'GET', url: '/agent/v1/gateways', headers: authorization ? { authorization } : {} });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ error: { code: 'not_authorized', message: expect.stringContaining('agent key') } });
    }
  });

  it('an agent key opens nothing under /v1', async () => {
    const r = await t.call('GET', '/v1/vpn_gateways', { token: key });
    expect(r.statusCode).toBe(401);
  });

  it('a key name is unique', async () => {
    await expect(t.server.control.agentKeys.create(SYSTEM_ACTOR, 'host-a')).rejects.toThrow(/already exists/);
  });

  it('serves the lab settings, the gateways and a plan with the desired state', async () => {
    expect((await agent('GET', '/config')).json()).toEqual({ public_pool: '198.51.100.0/24', site_pool: '203.0.113.0/24', lab_internet: 'cw-inet' });
    const { gateway: gw } = await makeGateway(t);
    const c = (await t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, { body: policyConnection() })).json();
    expect(c.lifecycle_state).toBe('pending');
    expect((await agent('GET', '/gateways')).json().gateways).toContain(gw.id);
    const plan = (await agent('GET', `/gateways/${gw.id}/plan`)).json();
    expect(plan.gateway.id).toBe(gw.id);
    expect(plan.connections.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(plan.desired.connections[0].connectionId).toBe(c.id);
    expect(plan.desired.connections[0].psk).toBe(policyConnection().psk);

    // A report computed against a plan older than the connection stays pending; one against its generation makes it stable.
    expect(plan.generation).toBeGreaterThan(0);
    const stale = await agent('POST', `/gateways/${gw.id}/report`, {
      generation: plan.generation - 1,
      connections: [{ id: c.id, status: 'down', reasons: [] }],
    });
    expect([stale.statusCode, stale.json()]).toEqual([200, { applied: true }]);
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`)).json().lifecycle_state).toBe('pending');
    const rep = await agent('POST', `/gateways/${gw.id}/report`, {
      generation: plan.generation,
      gateway: { lifecycle_state: 'stable', health_state: 'ok', reasons: [] },
      connections: [{ id: c.id, status: 'up', reasons: [] }],
    });
    expect([rep.statusCode, rep.json()]).toEqual([200, { applied: true }]);
    const after = (await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`)).json();
    expect([after.status, after.lifecycle_state]).toEqual(['up', 'stable']);
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}`)).json().lifecycle_state).toBe('stable');
    // Once a report of this generation is in, an older one is ignored: it may describe a state already gone.
    const older = await agent('POST', `/gateways/${gw.id}/report`, {
      generation: plan.generation - 1,
      connections: [{ id: c.id, status: 'down', reasons: [] }],
    });
    expect(older.json()).toEqual({ applied: false });
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`)).json().status).toBe('up');
    // A change after the plan: updating until a report of a plan that includes it.
    const patched = (await t.call('PATCH', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`, { body: { psk: 'another-secret-1' } })).json();
    expect(patched.lifecycle_state).toBe('updating');
    const plan2 = (await agent('GET', `/gateways/${gw.id}/plan`)).json();
    expect(plan2.generation).toBeGreaterThan(plan.generation);
    await agent('POST', `/gateways/${gw.id}/report`, { generation: plan2.generation, connections: [{ id: c.id, status: 'up', reasons: [] }] });
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`)).json().lifecycle_state).toBe('stable');

    // A delete waits for the agent: the connection shows `deleting` until the agent says it let go.
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`)).statusCode).toBe(202);
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`)).json().lifecycle_state).toBe('deleting');
    expect((await agent('GET', `/gateways/${gw.id}/plan`)).json().desired.connections).toEqual([]);
    // A release names the generation of the plan it tore down: a plan from before the delete releases nothing.
    expect((await agent('POST', `/gateways/${gw.id}/released?generation=${plan2.generation}`)).json()).toEqual({ removed: 0 });
    // The generation is required: a release that names none could take what was deleted after its plan.
    expect((await agent('POST', `/gateways/${gw.id}/released`)).statusCode).toBe(400);
    const plan3 = (await agent('GET', `/gateways/${gw.id}/plan`)).json();
    expect((await agent('POST', `/gateways/${gw.id}/released?generation=${plan3.generation}`)).json()).toEqual({ removed: 1 });
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}`)).statusCode).toBe(404);

    // Letting go of a gateway's deleted connections never takes the gateway along, even once it is deleting
    // itself: that waits for the release of the whole gateway (after its network is gone).
    const c2 = (await t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, { body: policyConnection({ name: 'second' }) })).json();
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw.id}/connections/${c2.id}`)).statusCode).toBe(202);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw.id}`)).statusCode).toBe(202);
    const plan4 = (await agent('GET', `/gateways/${gw.id}/plan`)).json();
    // A report from a plan this server never gave (a generation ahead of the log) is refused, not pinned.
    const ahead = await agent('POST', `/gateways/${gw.id}/report`, { generation: plan4.generation + 1000, connections: [] });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().error.code).toBe('invalid_value');
    expect((await agent('POST', `/gateways/${gw.id}/released?scope=connections&generation=${plan4.generation}`)).json()).toEqual({ removed: 1 });
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}`)).json().lifecycle_state).toBe('deleting');
    expect((await agent('POST', `/gateways/${gw.id}/released?scope=bogus&generation=${plan4.generation}`)).statusCode).toBe(400);
    expect((await agent('POST', `/gateways/${gw.id}/released?scope=gateway&generation=${plan4.generation}`)).json()).toEqual({ removed: 1 });
    expect((await t.call('GET', `/v1/vpn_gateways/${gw.id}`)).statusCode).toBe(404);
  });

  it('takes SA facts and member roles (optional fields) and records their transitions as events', async () => {
    const { gateway: gw } = await makeGateway(t, { name: 'gw-sa-facts', cidr: '10.11.0.0/24' });
    const c = (await t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, { body: policyConnection({ name: 'c-sa' }) })).json();
    const { generation } = (await agent('GET', `/gateways/${gw.id}/plan`)).json();
    const child = { unique_id: '9', state: 'INSTALLED', spi_in: 'c5e5a5b5', spi_out: 'c6e6a6b6', bytes_in: 84, bytes_out: 168, packets_in: 1, packets_out: 2 };
    const r = await agent('POST', `/gateways/${gw.id}/report`, {
      generation,
      gateway: { lifecycle_state: 'stable', health_state: 'ok', reasons: [], member_roles: [{ index: 1, role: 'standby' }] },
      connections: [{ id: c.id, status: 'up', reasons: [], sa: { ike_state: 'ESTABLISHED', ike_initiator: false, children: [child] } }],
    });
    expect(r.statusCode, r.body).toBe(200);
    const evs = (await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${c.id}/events`)).json().events as { type: string; cause?: string }[];
    expect(evs.map((e) => e.type).sort()).toEqual(['applied', 'child_sa_up', 'created', 'ike_sa_up', 'member_failover']);
    expect(evs.find((e) => e.type === 'ike_sa_up')!.cause).toBe('peer');
    const bad = await agent('POST', `/gateways/${gw.id}/report`, {
      generation,
      connections: [{ id: c.id, status: 'up', reasons: [], sa: { ike_state: 'ESTABLISHED', children: [{ ...child, bytes_in: -1 }] } }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a malformed report with 400 and its reason', async () => {
    const { gateway: gw } = await makeGateway(t, { name: 'gw-bad-report', cidr: '10.9.0.0/24' });
    const r = await agent('POST', `/gateways/${gw.id}/report`, { generation: 1, connections: [{ id: 'x', status: 'sideways', reasons: [] }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/status/);
  });

  it('a gone gateway has a plan with no gateway (the agent tears down what is left)', async () => {
    expect((await agent('GET', '/gateways/0000-gone/plan')).json()).toMatchObject({ gateway: null, desired: null });
  });
});
