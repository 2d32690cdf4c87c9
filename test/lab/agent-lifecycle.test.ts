import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import {
  charonPid,
  childOf,
  childSaIds,
  connectPair,
  labInternet,
  labRuns,
  listSas,
  ping,
  startAgent,
  startLab,
  stopLab,
  vpcGateway,
  waitStatus,
  type ChildSaIds,
  type Connection,
  type LabGateway,
} from './lab-fixture.js';

/**
 * The agent's life around real tunnels: a restarted agent adopts what charon has and tears nothing
 * down; a charon that dies is noticed at once (its VICI connection drops), restarted and given its
 * connections again; a deleted connection's SAs are gone from charon.
 */
describe.skipIf(!labRuns)('lab: agent restart, charon killed, connection deleted', () => {
  let t: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  let ab: Connection;
  let ba: Connection;

  beforeAll(async () => {
    t = await startLab('l');
    a = await vpcGateway(t, '10.1.0.0/24', 'a');
    b = await vpcGateway(t, '10.2.0.0/24', 'b');
    [ab, ba] = await connectPair(t, a, b);
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  /** One installed CHILD_SA per side, and nothing else. */
  const settled = async (): Promise<[ChildSaIds, ChildSaIds]> => {
    let ids: [ChildSaIds, ChildSaIds] = [new Map(), new Map()];
    await expect
      .poll(
        async () => {
          ids = [await childSaIds(t, a), await childSaIds(t, b)];
          return (
            ids[0].get(childOf(ab))?.length === 1 &&
            ids[0].size === 1 &&
            ids[1].get(childOf(ba))?.length === 1 &&
            ids[1].size === 1 &&
            [...ids[0].values(), ...ids[1].values()].flat().every((x) => x.endsWith(':INSTALLED'))
          );
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);
    return ids;
  };

  it('brings the tunnel up', async () => {
    for (const c of [ab, ba]) await waitStatus(t, c, 'up', 30_000);
    await ping(a, b);
  }, 40_000);

  it('a restarted agent adopts the running charons: no SA is re-established', async () => {
    const before = await settled();
    const pids = [charonPid(t, a), charonPid(t, b)];
    t.server.agent!.stop();
    const agent = await startAgent(t, labInternet('l'));
    await agent.idle();
    await new Promise((r) => setTimeout(r, 2000)); // a status refresh and a retry round, had anything been re-initiated
    expect([charonPid(t, a), charonPid(t, b)]).toEqual(pids);
    expect([await childSaIds(t, a), await childSaIds(t, b)]).toEqual(before);
    for (const c of [ab, ba]) expect(await waitStatus(t, c, 'up', 1_000)).toBeLessThan(1_000);
    await ping(a, b);
  }, 30_000);

  it('charon killed: the agent notices at once, restarts it and the tunnel comes back', async () => {
    const before = await childSaIds(t, a);
    const pid = charonPid(t, a);
    const t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    await expect
      .poll(
        () => {
          try {
            return charonPid(t, a) !== pid;
          } catch {
            return false;
          }
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBe(true);
    await expect
      .poll(async () => (await childSaIds(t, a)).get(childOf(ab))?.some((x) => x.endsWith(':INSTALLED')) ?? false, { timeout: 10_000, interval: 100 })
      .toBe(true);
    const back = Date.now() - t0;
    expect(back).toBeLessThan(5_000); // well before the agent's 15 s resync
    expect(await childSaIds(t, a)).not.toEqual(before);
    await waitStatus(t, ab, 'up', 5_000);
    await ping(a, b);
    await settled(); // the peer's stale SA is replaced, not kept alongside
    await waitStatus(t, ba, 'up', 5_000);
  }, 40_000);

  it("delete: the connection's SAs are gone from charon", async () => {
    expect((await t.call('DELETE', `/v1/vpn_gateways/${a.id}/connections/${ab.id}`)).statusCode).toBe(202);
    await expect
      .poll(async () => (await listSas(t, a)).map((sa) => JSON.stringify(sa.value)).join(''), { timeout: 10_000, interval: 100 })
      .not.toContain(childOf(ab));
    await expect
      .poll(async () => (await t.call('GET', `/v1/vpn_gateways/${a.id}/connections/${ab.id}`)).statusCode, { timeout: 10_000, interval: 100 })
      .toBe(404);
    await waitStatus(t, ba, 'down', 10_000);
  }, 30_000);
});
