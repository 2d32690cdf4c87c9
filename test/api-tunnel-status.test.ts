import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpBackend } from '../src/agent/http-backend.js';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { makeGateway, startTestServer, type TestServer } from './harness.js';

type WireTunnel = { public_ip: { address: string }; status: string; status_reasons: { code: string; message: string; more_info: string }[] };

/** Route mode: each tunnel (one per gateway member) shows its own member's status, as the agent reports it. */
describe('route-mode tunnel status', () => {
  let t: TestServer;
  let key: string;
  let gw: string;
  let members: string[];
  const agent = (payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/agent/v1/gateways/${gw}/report`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const create = async (name: string, address: string): Promise<string> => {
    const r = await t.call('POST', `/v1/vpn_gateways/${gw}/connections`, { body: { name, psk: 'abcdef123', peer: { address } } });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  };
  const read = async (id: string) => {
    const r = await t.call('GET', `/v1/vpn_gateways/${gw}/connections/${id}`);
    expect(r.statusCode).toBe(200);
    return { etag: r.headers.etag, body: r.json() as { status: string; tunnels: WireTunnel[] } };
  };
  const codes = (x: WireTunnel) => x.status_reasons.map((r) => r.code);

  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'remote' }, { listen: true });
    key = (await t.server.control.agentKeys.create(SYSTEM_ACTOR, 'tunnel-status')).key;
    const made = await makeGateway(t, { mode: 'route', cidr: '10.60.0.0/24' });
    gw = made.gateway.id;
    members = made.gateway.members.map((m) => m.public_ip.address);
  });
  afterAll(() => t.close());

  it("control: a report's tunnelsUp ends in the view as status (no revision, no change), and an agent that says none leaves it unknown", async () => {
    const id = await create('ts-control', '203.0.113.70');
    const before = await t.server.control.connections.get(SYSTEM_ACTOR, gw, id);
    expect(before.connection.tunnelsUp).toBeNull();
    const generation = await t.server.control.changes.current();
    const report = (tunnelsUp?: (1 | 2)[]) =>
      t.server.control.agent.report(gw, { generation, connections: [{ id, status: 'up', reasons: [], ...(tunnelsUp ? { tunnelsUp } : {}) }] });
    expect(await report([2])).toBe(true);
    const after = await t.server.control.connections.get(SYSTEM_ACTOR, gw, id);
    expect([after.connection.status, after.connection.tunnelsUp]).toEqual(['up', [2]]);
    expect(after.connection.revision).toBe(before.connection.revision);
    expect(await t.server.control.changes.current()).toBe(generation);
    await report([2, 1, 2]); // a remote agent's list, kept in order once each
    expect((await t.server.control.connections.get(SYSTEM_ACTOR, gw, id)).connection.tunnelsUp).toEqual([1, 2]);
    await report(); // an agent from before per-tunnel status
    expect((await t.server.control.connections.get(SYSTEM_ACTOR, gw, id)).connection.tunnelsUp).toBeNull();
  });

  it("each tunnel's ups and downs are events on the connection's timeline, with its member's public IP", async () => {
    const id = await create('ts-events', '203.0.113.72');
    const generation = await t.server.control.changes.current();
    const report = (tunnelsUp?: (1 | 2)[]) =>
      t.server.control.agent.report(gw, {
        generation,
        connections: [{ id, status: tunnelsUp?.length ? 'up' : 'down', reasons: [], ...(tunnelsUp ? { tunnelsUp } : {}) }],
      });
    const tunnelEvents = async () =>
      ((await t.call('GET', `/v1/vpn_gateways/${gw}/connections/${id}/events`)).json().events as { type: string; message: string }[])
        .filter((e) => e.type.startsWith('tunnel_'))
        .map((e) => e.message)
        .reverse();
    await report([]); // known: none up (no event: nothing was up)
    await report([1, 2]);
    await report([2]); // member 1's tunnel goes down
    await report(); // an agent that does not say: unknown, no event
    await report([1]); // from unknown: no event either
    await report([1, 2]);
    expect(await tunnelEvents()).toEqual([
      `The tunnel on gateway member 1 (${members[0]}) came up: it carries traffic.`,
      `The tunnel on gateway member 2 (${members[1]}) came up: it carries traffic.`,
      `The tunnel on gateway member 1 (${members[0]}) went down.`,
      `The tunnel on gateway member 2 (${members[1]}) came up: it carries traffic.`,
    ]);
  });

  it("IBM view: one tunnel up and one down, each showing its member's status; the ETag stays", async () => {
    const id = await create('ts-ibm', '203.0.113.71');
    // Never reported: every tunnel shows the connection's status, as before per-tunnel status.
    const fresh = await read(id);
    expect(fresh.body.tunnels.map((x) => [x.public_ip.address, x.status])).toEqual(members.map((a) => [a, 'down']));

    const { generation } = (await t.app.inject({ method: 'GET', url: `/agent/v1/gateways/${gw}/plan`, headers: { authorization: `Bearer ${key}` } })).json();
    const up = await agent({ generation, connections: [{ id, status: 'up', reasons: [], tunnels_up: [1] }] });
    expect([up.statusCode, up.json()]).toEqual([200, { applied: true }]);
    const one = await read(id);
    expect(one.body.status).toBe('up');
    expect(one.body.tunnels.map((x) => [x.public_ip.address, x.status])).toEqual([
      [members[0], 'up'],
      [members[1], 'down'],
    ]);
    expect(codes(one.body.tunnels[0]!)).toEqual([]);
    expect(codes(one.body.tunnels[1]!)).toEqual(['tunnel_down']);
    expect(one.body.tunnels[1]!.status_reasons[0]!.more_info).toMatch(/\/docs\/status-reasons#tunnel_down$/);
    expect(one.etag).toBe(fresh.etag);

    // The connection down: its down tunnels show why.
    const dpd = { code: 'peer_not_responding', message: 'The peer is not responding.' };
    await agent({ generation, connections: [{ id, status: 'down', reasons: [dpd], tunnels_up: [] }] });
    const down = await read(id);
    expect(down.body.tunnels.map((x) => [x.status, codes(x)])).toEqual([
      ['down', ['peer_not_responding']],
      ['down', ['peer_not_responding']],
    ]);

    // An older agent (no tunnels_up) still validates; the tunnels fall back to the connection's status.
    expect((await agent({ generation, connections: [{ id, status: 'up', reasons: [] }] })).statusCode).toBe(200);
    expect((await read(id)).body.tunnels.map((x) => x.status)).toEqual(['up', 'up']);
  });

  it("a standalone agent's backend sends tunnelsUp over the agent API", async () => {
    const id = await create('ts-remote', '203.0.113.73');
    const generation = await t.server.control.changes.current();
    await new HttpBackend(t.server.url, key).report(gw, { generation, connections: [{ id, status: 'up', reasons: [], tunnelsUp: [2] }] });
    expect((await t.server.control.connections.get(SYSTEM_ACTOR, gw, id)).connection.tunnelsUp).toEqual([2]);
  });

  it('refuses a tunnels_up naming no gateway member, or one twice', async () => {
    for (const tunnels_up of [[3], [1, 1], [1, 2, 1]]) {
      const r = await agent({ generation: 1, connections: [{ id: 'x', status: 'up', reasons: [], tunnels_up }] });
      expect(r.statusCode, JSON.stringify(tunnels_up)).toBe(400);
    }
  });

  it('a deleting connection shows its tunnels down', async () => {
    const id = await create('ts-delete', '203.0.113.72');
    const generation = await t.server.control.changes.current();
    await t.server.control.agent.report(gw, { generation, connections: [{ id, status: 'up', reasons: [], tunnelsUp: [1, 2] }] });
    expect((await read(id)).body.tunnels.map((x) => x.status)).toEqual(['up', 'up']);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw}/connections/${id}`)).statusCode).toBe(202);
    const gone = await read(id);
    expect([gone.body.status, ...gone.body.tunnels.map((x) => x.status)]).toEqual(['down', 'down', 'down']);
  });
});
