import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type SaFacts } from '../src/control/index.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

type Ev = { id: string; created_at: string; type: string; message: string; cause?: string; details?: Record<string, unknown> };

const child = (uniqueId: string, bytes = 0): SaFacts['children'][number] => ({
  uniqueId,
  state: 'INSTALLED',
  spiIn: `c0${uniqueId}`,
  spiOut: `d0${uniqueId}`,
  bytesIn: bytes,
  bytesOut: bytes * 2,
  packetsIn: 1,
  packetsOut: 2,
});

describe('connection events (the timeline)', () => {
  let t: TestServer;
  let token: string;
  let gw: string;
  beforeAll(async () => {
    t = await startTestServer();
    token = await t.account('evt-obs-a');
    gw = (await makeGateway(t, { token, cidr: '10.240.0.0/24' })).gateway.id;
  });
  afterAll(async () => {
    await t.close();
  });
  const events = async (id: string, query = ''): Promise<Ev[]> => {
    const r = await t.call('GET', `/v1/vpn_gateways/${gw}/connections/${id}/events${query}`, { token });
    expect(r.statusCode).toBe(200);
    return (r.json() as { events: Ev[] }).events;
  };
  const create = async (name: string) => {
    const r = await t.call('POST', `/v1/vpn_gateways/${gw}/connections`, { token, body: policyConnection({ name }) });
    expect(r.statusCode).toBe(201);
    return r.json() as { id: string };
  };

  it('records API changes with their cause: created, configuration_changed (which fields), reset', async () => {
    const c = await create('evt-api');
    const url = `/v1/vpn_gateways/${gw}/connections/${c.id}`;
    expect((await t.call('PATCH', url, { token, body: { name: 'evt-api-2', dead_peer_detection: { interval: 5 } } })).statusCode).toBe(200);
    expect((await t.call('PUT', `${url}/peer/cidrs/192.168.9.0%2F24`, { token })).statusCode).toBe(201);
    expect((await t.call('PATCH', url, { token, body: { name: 'evt-api-2' } })).statusCode).toBe(200); // no change, no event
    expect((await t.call('POST', `${url}/reset`, { token })).statusCode).toBe(202);
    const list = await events(c.id);
    expect(list.map((e) => e.type)).toEqual(['reset', 'configuration_changed', 'configuration_changed', 'created']);
    expect(list[3]!.cause).toBe('user evt-obs-a via ibm');
    expect(list[2]!.details).toEqual({ fields: ['name', 'dpd'] });
    expect(list[1]!.details).toEqual({ fields: ['peerCidrs'] });
    expect(list[1]!.message).toBe('The configuration changed: peerCidrs.');
    for (const e of list) expect(Date.parse(e.created_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(Number(list[0]!.id)).toBeGreaterThan(Number(list[1]!.id));
  });

  it("a change of a policy the connection uses is a configuration_changed on the connection's timeline", async () => {
    const ike = await t.call('POST', '/v1/ike_policies', {
      token,
      body: { name: 'evt-ike', authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', dh_group: 14, ike_version: 2 },
    });
    expect(ike.statusCode, ike.body).toBe(201);
    const r = await t.call('POST', `/v1/vpn_gateways/${gw}/connections`, {
      token,
      body: policyConnection({ name: 'evt-policy', ike_policy: { id: ike.json().id } }),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect((await t.call('PATCH', `/v1/ike_policies/${ike.json().id}`, { token, body: { dh_group: 19 } })).statusCode).toBe(200);
    expect((await t.call('PATCH', `/v1/ike_policies/${ike.json().id}`, { token, body: { name: 'evt-ike-2' } })).statusCode).toBe(200); // not crypto
    const list = await events(r.json().id);
    expect(list.map((e) => e.type)).toEqual(['configuration_changed', 'created']);
    expect(list[0]!.details).toEqual({ fields: ['ikePolicy'], policy: ike.json().id });
  });

  it('pages newest first with first/next/limit/total_count; bad start and limit are 400s', async () => {
    const c = await create('evt-pages');
    const url = `/v1/vpn_gateways/${gw}/connections/${c.id}`;
    for (let i = 0; i < 4; i++) await t.call('POST', `${url}/reset`, { token });
    const seen: string[] = [];
    let next: string | undefined = `${url}/events?limit=2&version=2026-06-02&generation=2`;
    let pages = 0;
    while (next) {
      const r = await t.app.inject({ method: 'GET', url: next, headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode).toBe(200);
      const body = r.json() as { events: Ev[]; limit: number; total_count: number; first: { href: string }; next?: { href: string } };
      expect(body).toMatchObject({ limit: 2, total_count: 5 });
      expect(body.first.href).toContain(`/v1/vpn_gateways/${gw}/connections/${c.id}/events?limit=2`);
      seen.push(...body.events.map((e) => e.id));
      next = body.next ? `${new URL(body.next.href).pathname}${new URL(body.next.href).search}&version=2026-06-02&generation=2` : undefined;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort((a, b) => Number(b) - Number(a)));
    expect(new Set(seen).size).toBe(5);
    const bad = await t.call('GET', `${url}/events?start=zzz`, { token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].target).toMatchObject({ name: 'start' });
    expect((await t.call('GET', `${url}/events?limit=0`, { token })).statusCode).toBe(400);
    expect((await t.call('GET', `${url}/events?limit=101`, { token })).statusCode).toBe(400);
  });

  it("another account's connection answers not found, exactly like a missing one", async () => {
    const c = await create('evt-tenancy');
    const other = await t.account('evt-obs-b');
    const r = await t.call('GET', `/v1/vpn_gateways/${gw}/connections/${c.id}/events`, { token: other });
    expect(r.statusCode).toBe(404);
    const missing = await t.call('GET', `/v1/vpn_gateways/${gw}/connections/00000000-0000-4000-8000-000000000000/events`, { token });
    expect(missing.statusCode).toBe(404);
    // the administrator sees every account's
    expect((await t.call('GET', `/v1/vpn_gateways/${gw}/connections/${c.id}/events`)).statusCode).toBe(200);
    // the control query, as others call it
    const page = await t.server.control.connections.events(SYSTEM_ACTOR, gw, c.id, { limit: 1 });
    expect(page).toMatchObject({ total: 1, items: [{ type: 'created' }] });
    expect(page.next).toBeUndefined();
    await expect(t.server.control.connections.events({ accountId: 'nobody', isAdmin: false }, gw, c.id, {})).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('agent reports become transitions only: applied, SA up, rekeyed, down with the reason raised, then cleared', async () => {
    const c = await create('evt-agent');
    const report = async (sa: SaFacts | undefined, status: 'up' | 'down', reasons: { code: string; message: string }[] = []) =>
      t.server.control.agent.report(gw, {
        generation: await t.server.control.changes.current(),
        connections: [{ id: c.id, status, reasons, ...(sa ? { sa } : {}) }],
      });
    await report({ ikeState: 'ESTABLISHED', ikeInitiator: true, children: [child('1', 100)] }, 'up');
    await report({ ikeState: 'ESTABLISHED', ikeInitiator: true, children: [child('1', 200)] }, 'up'); // counters only: nothing new
    await report({ ikeState: 'ESTABLISHED', ikeInitiator: true, children: [child('2', 10)] }, 'up');
    const dpd = { code: 'peer_not_responding', message: 'The peer is not responding.' };
    await report({ ikeState: null, children: [] }, 'down', [dpd]);
    await report({ ikeState: null, children: [] }, 'down', [dpd]); // the same again: nothing new
    await report(undefined, 'down'); // an old agent (no SA facts): the reason clears
    const list = (await events(c.id)).reverse();
    expect(list.map((e) => e.type)).toEqual([
      'created',
      'applied',
      'ike_sa_up',
      'child_sa_up',
      'child_sa_rekeyed',
      'child_sa_down',
      'ike_sa_down',
      'status_reason_raised',
      'status_reason_cleared',
    ]);
    expect(list[2]!.cause).toBe('gateway');
    expect(list[4]).toMatchObject({ cause: 'rekey', details: { old: [{ id: '1', spiIn: 'c01' }], new: [{ id: '2', spiIn: 'c02' }] } });
    expect(list[5]!.cause).toBe('dead peer detection');
    expect(list[7]).toMatchObject({ cause: 'agent', details: { code: 'peer_not_responding' } });
  });

  it('a member role change is a member_failover on every connection of the gateway', async () => {
    const c = await create('evt-failover');
    const g = await t.server.control.gateways.get(SYSTEM_ACTOR, gw);
    const roles = g.gateway.members.map((m) => ({ index: m.index, role: m.role === 'active' ? ('standby' as const) : ('active' as const) }));
    await t.server.control.agent.report(gw, {
      generation: await t.server.control.changes.current(),
      gateway: { lifecycleState: 'stable', healthState: 'ok', reasons: [], memberRoles: roles },
    });
    const list = await events(c.id);
    expect(list.filter((e) => e.type === 'member_failover').map((e) => e.details)).toEqual(
      expect.arrayContaining(roles.map((r) => ({ member: r.index, role: r.role }))),
    );
  });

  it("members[] follow the agent's report: role, public_ip and status move, while the revision and the change log stay", async () => {
    const read = async () => {
      const r = await t.call('GET', `/v1/vpn_gateways/${gw}`, { token });
      const revision = (await t.server.control.gateways.get(SYSTEM_ACTOR, gw)).gateway.revision;
      return { revision, members: r.json().members as { role: string; status: string; public_ip: { address: string } }[] };
    };
    const before = await read();
    const address = before.members.find((m) => m.role === 'active')!.public_ip.address;
    const standby = before.members.findIndex((m) => m.role === 'standby') + 1;
    const generation = await t.server.control.changes.current();
    await t.server.control.agent.report(gw, {
      generation,
      gateway: {
        lifecycleState: 'stable',
        healthState: 'degraded',
        reasons: [],
        memberRoles: [1, 2].map((i) => ({ index: i as 1 | 2, role: i === standby ? ('active' as const) : ('standby' as const), failed: i !== standby })),
      },
    });
    const after = await read();
    expect(after.members.map((m) => [m.role, m.status, m.public_ip.address])).toEqual(
      [1, 2].map((i) => (i === standby ? ['active', 'available', address] : ['standby', 'failed', '0.0.0.0'])),
    );
    expect(after.revision).toBe(before.revision);
    expect(await t.server.control.changes.current()).toBe(generation);
  });

  it('a failed member makes the gateway degraded and itself faulted, each with the reason member_failed; both failed: faulted', async () => {
    const health = async () => {
      const g = (await t.call('GET', `/v1/vpn_gateways/${gw}`, { token })).json();
      const reasons = (r: { code: string; message: string }[]) => r.map((x) => `${x.code}: ${x.message}`);
      return [
        g.health_state,
        reasons(g.health_reasons),
        g.members.map((m: { health_state: string; health_reasons: never[] }) => [m.health_state, reasons(m.health_reasons)]),
      ];
    };
    const report = async (failed: (1 | 2)[]) =>
      t.server.control.agent.report(gw, {
        generation: await t.server.control.changes.current(),
        gateway: {
          lifecycleState: 'stable',
          healthState: 'ok',
          reasons: [],
          memberRoles: [1, 2].map((i) => ({
            index: i as 1 | 2,
            role: i === 1 ? ('active' as const) : ('standby' as const),
            failed: failed.includes(i as 1 | 2),
          })),
        },
      });
    const why = 'member_failed: A gateway member failed: its strongSwan is gone or its links are down';
    await report([2]);
    expect(await health()).toEqual([
      'degraded',
      [`${why} (member 2; member 1 carries the gateway's connections).`],
      [
        ['ok', []],
        ['faulted', [`${why}.`]],
      ],
    ]);
    await report([1, 2]);
    expect(await health()).toEqual([
      'faulted',
      [`${why} (member 1).`, `${why} (member 2).`],
      [
        ['faulted', [`${why}.`]],
        ['faulted', [`${why}.`]],
      ],
    ]);
    await report([]);
    expect(await health()).toEqual([
      'ok',
      [],
      [
        ['ok', []],
        ['ok', []],
      ],
    ]);
  });

  it('shows no event past events.retentionDays, even before pruning has reached it', async () => {
    const c = await create('evt-quiet');
    await t.server.store.db
      .insertInto('connection_events')
      .values({
        account_id: 'x',
        gateway_id: gw,
        connection_id: c.id,
        created_at: Date.now() - 31 * 24 * 3600_000,
        type: 'reset',
        message: 'old',
        cause: null,
        details: null,
      })
      .execute();
    const r = await t.call('GET', `/v1/vpn_gateways/${gw}/connections/${c.id}/events?version=2026-06-02&generation=2`, { token });
    expect(r.json().events.map((e: { type: string }) => e.type)).toEqual(['created']);
    expect(r.json().total_count).toBe(1);
  });

  it('keeps events for events.retentionDays and at most 1000 per connection; they go with the connection', async () => {
    const c = await create('evt-retention');
    const db = t.server.store.db;
    const row = (at: number) => ({
      account_id: 'x',
      gateway_id: gw,
      connection_id: c.id,
      created_at: at,
      type: 'reset',
      message: 'old',
      cause: null,
      details: null,
    });
    await db
      .insertInto('connection_events')
      .values(row(Date.now() - 31 * 24 * 3600_000))
      .execute();
    for (let i = 0; i < 11; i++)
      await db
        .insertInto('connection_events')
        .values(Array.from({ length: 100 }, () => row(Date.now())))
        .execute();
    await t.call('POST', `/v1/vpn_gateways/${gw}/connections/${c.id}/reset`, { token });
    const count = async () =>
      Number((await sql<{ n: number }>`select count(*) as n from connection_events where connection_id = ${c.id}`.execute(db)).rows[0]!.n);
    expect(await count()).toBe(1000);
    const old = await sql<{ n: number }>`select count(*) as n from connection_events where created_at < ${Date.now() - 30 * 24 * 3600_000}`.execute(db);
    expect(Number(old.rows[0]!.n)).toBe(0);
    expect((await events(c.id))[0]!.type).toBe('reset');
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw}/connections/${c.id}`, { token })).statusCode).toBe(202);
    await expect.poll(count, { timeout: 5000 }).toBe(0);
  });
});
