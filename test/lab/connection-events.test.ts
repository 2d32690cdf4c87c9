import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import {
  charonPid,
  connect,
  labRuns,
  ping,
  startLab,
  stopLab,
  timeline,
  vpcGateway,
  waitStatus,
  type Connection,
  type ConnectionEvent,
  type LabGateway,
} from './lab-fixture.js';

const DPD = { action: 'restart', interval: 2, timeout: 6 } as const;

const types = (evs: readonly ConnectionEvent[]): string[] => evs.map((e) => e.type);

/** Whether `want` occurs in `seq` in this order (other events may come between). */
const inOrder = (seq: readonly string[], want: readonly string[]): boolean => {
  let i = 0;
  for (const s of seq) if (s === want[i]) i++;
  return i === want.length;
};

/**
 * The event timeline with real charon: a tunnel to a peer on a second Causeway server (its own store
 * and agent, like a device at another site) comes up, is reset, and goes down when the peer dies
 * (its agent stopped, its charon SIGKILLed by PID), each step an event with its time and cause.
 */
describe.skipIf(!labRuns)('lab: connection events record a tunnel coming up, reset and going down', () => {
  let us: TestServer;
  let peer: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  let ours: Connection;

  beforeAll(async () => {
    us = await startLab('obs', { publicPool: '198.51.100.0/25' });
    peer = await startLab('obs', { publicPool: '198.51.100.128/25' });
    a = await vpcGateway(us, '10.111.0.0/24', 'obs-a');
    b = await vpcGateway(peer, '10.112.0.0/24', 'obs-b');
    ours = await connect(us, a, b, { dead_peer_detection: DPD });
    await connect(peer, b, a, { dead_peer_detection: DPD });
  }, 60_000);

  afterAll(async () => {
    await stopLab(peer);
    await stopLab(us);
  }, 60_000);

  it('created → applied → ike_sa_up → child_sa_up, each with its time', async () => {
    await waitStatus(us, ours, 'up', 30_000);
    await ping(a, b);
    await expect.poll(async () => inOrder(types(await timeline(us, ours)), ['created', 'applied', 'ike_sa_up', 'child_sa_up']), { timeout: 10_000 }).toBe(true);
    const evs = await timeline(us, ours);
    const at = (type: string) => Date.parse(evs.find((e) => e.type === type)!.created_at);
    expect(at('created')).toBeLessThanOrEqual(at('applied'));
    expect(at('applied')).toBeLessThanOrEqual(at('ike_sa_up'));
    expect(at('ike_sa_up')).toBeLessThanOrEqual(at('child_sa_up'));
    expect(evs.find((e) => e.type === 'created')!.cause).toMatch(/via ibm$/);
    expect(evs.find((e) => e.type === 'child_sa_up')!.details).toMatchObject({ child_sa_ids: expect.arrayContaining([expect.any(String)]) }); // both sides initiate: one or two
  }, 60_000);

  it('metrics: reconcile durations, queue depth and the bytes a ping carried, per connection and direction', async () => {
    const series = (text: string, name: string): number | undefined => {
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line === undefined ? undefined : Number(line.slice(name.length + 1));
    };
    const scrape = async () => {
      const r = await us.app.inject({ method: 'GET', url: '/metrics' });
      expect(r.statusCode).toBe(200);
      return r.body;
    };
    // Counters travel with full status reports (every resync reconcile, 15 s apart at most) and with any status change.
    await expect
      .poll(async () => series(await scrape(), `causeway_connection_bytes{connection="${ours.id}",gateway="${a.id}",direction="in"}`) ?? 0, {
        timeout: 25_000,
        interval: 500,
      })
      .toBeGreaterThan(0);
    const text = await scrape();
    expect(series(text, `causeway_connection_packets{connection="${ours.id}",gateway="${a.id}",direction="out"}`)).toBeGreaterThan(0);
    expect(series(text, 'causeway_agent_reconcile_duration_seconds_count{result="ok"}')).toBeGreaterThan(0);
    expect(series(text, 'causeway_agent_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(series(text, 'causeway_sa_transitions_total{sa="child",transition="up"}')).toBeGreaterThanOrEqual(1);
    expect(series(text, 'causeway_connections{status="up"}')).toBe(1);
  }, 40_000);

  it('a reset is recorded, applied, and the tunnel comes back on new CHILD_SAs', async () => {
    const before = (await timeline(us, ours)).length;
    expect((await us.call('POST', `/v1/vpn_gateways/${a.id}/connections/${ours.id}/reset`)).statusCode).toBe(202);
    await expect
      .poll(
        async () => {
          const after = types((await timeline(us, ours)).slice(before));
          return after[0] === 'reset' && after.includes('applied') && (after.includes('child_sa_rekeyed') || inOrder(after, ['child_sa_down', 'child_sa_up']));
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    const after = (await timeline(us, ours)).slice(before);
    const down = after.find((e) => e.type === 'child_sa_down');
    // Usually seen in the report that applied the reset; a status refresh between may see it first.
    if (down) expect(down.cause).toMatch(/^(the change the agent applied|closed by the peer or the gateway)$/);
    await waitStatus(us, ours, 'up', 30_000);
    await ping(a, b);
  }, 60_000);

  it('goes down when the peer dies: CHILD and IKE SAs down, peer_not_responding raised, by dead peer detection', async () => {
    const before = (await timeline(us, ours)).length;
    peer.server.agent!.stop();
    process.kill(charonPid(peer, b), 'SIGKILL');
    await waitStatus(us, ours, 'down', 20_000);
    await expect
      .poll(async () => types((await timeline(us, ours)).slice(before)), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['child_sa_down', 'ike_sa_down', 'status_reason_raised']));
    const evs = (await timeline(us, ours)).slice(before);
    expect(evs.find((e) => e.type === 'status_reason_raised')).toMatchObject({ cause: 'agent', details: { code: 'peer_not_responding' } });
    expect(evs.find((e) => e.type === 'ike_sa_down')!.cause).toBe('dead peer detection');
    for (const e of evs) expect(Number.isNaN(Date.parse(e.created_at))).toBe(false);
  }, 40_000);

  it('metrics: a charon that dies is restarted by the agent and counted', async () => {
    process.kill(charonPid(us, a), 'SIGKILL');
    await expect
      .poll(
        async () => {
          const text = (await us.app.inject({ method: 'GET', url: '/metrics' })).body;
          return text.split('\n').find((l) => l.startsWith(`causeway_charon_restarts_total{gateway="${a.id}"} `));
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(`causeway_charon_restarts_total{gateway="${a.id}"} 1`);
  }, 30_000);
});
