import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import {
  childOf,
  childSaIds,
  connect,
  labRuns,
  listConns,
  patchConnection,
  ping,
  saOf,
  startLab,
  stopLab,
  vpcGateway,
  waitStatus,
  type ChildSaIds,
  type Connection,
  type LabGateway,
} from './lab-fixture.js';

const N = 10;

/**
 * Ten connections on one gateway (the quota's maximum), to ten different peer CIDRs on the same
 * peer gateway, which has the ten mirrored connections. They share one IKE_SA per direction (one
 * peer, one identity pair: charon cannot tell their configs apart otherwise), each has its own
 * CHILD_SA. Patching one connection on both sides (a new IPsec policy) replaces that connection's
 * CHILD_SA only: the other nine keep their IKE_SA and CHILD_SA unique ids, on both gateways.
 */
describe.skipIf(!labRuns)('lab: ten connections on one gateway, one patched', () => {
  let t: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  const onA: Connection[] = [];
  const onB: Connection[] = [];

  beforeAll(async () => {
    t = await startLab('i');
    a = await vpcGateway(t, '10.1.0.0/24', 'a');
    b = await vpcGateway(t, '10.2.0.0/24', 'b');
    for (let k = 0; k < N; k++) {
      const peerCidr = `10.2.${k}.0/24`;
      onA.push(await connect(t, a, b, { name: `to-b-${k}`, peer: { address: b.ip, cidrs: [peerCidr] } }));
      onB.push(await connect(t, b, a, { name: `to-a-${k}`, local: { cidrs: [peerCidr] } }));
    }
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  /** Waits until each connection has exactly one installed CHILD_SA and nothing else is in flight. */
  const settled = async (gw: LabGateway, conns: Connection[]): Promise<ChildSaIds> => {
    let ids: ChildSaIds = new Map();
    await expect
      .poll(
        async () => {
          ids = await childSaIds(t, gw);
          return ids.size === conns.length && conns.every((c) => ids.get(childOf(c))?.length === 1 && ids.get(childOf(c))![0]!.endsWith(':INSTALLED'));
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);
    return ids;
  };

  it('brings all ten up on both sides; traffic flows', async () => {
    for (const c of [...onA, ...onB]) await waitStatus(t, c, 'up', 30_000);
    await ping(a, b);
  }, 60_000);

  it('a patch to one connection replaces its CHILD_SA and leaves the other nine alone', async () => {
    const beforeA = await settled(a, onA);
    const beforeB = await settled(b, onB);
    await new Promise((r) => setTimeout(r, 1000)); // stable before the change: nothing rekeys or replaces behind our back
    expect(await childSaIds(t, a)).toEqual(beforeA);
    expect(await childSaIds(t, b)).toEqual(beforeB);

    const k = 3;
    const esp = (
      await t.call('POST', '/v1/ipsec_policies', {
        body: { name: 'gcm', encryption_algorithm: 'aes256gcm16', authentication_algorithm: 'disabled', pfs: 'disabled' },
      })
    ).json();
    for (const c of [onA[k]!, onB[k]!]) await patchConnection(t, c, { ipsec_policy: { id: esp.id } });
    await expect.poll(async () => (await saOf(t, onA[k]!))?.child['encr-alg'], { timeout: 20_000, interval: 250 }).toBe('AES_GCM_16');
    const afterA = await settled(a, onA);
    const afterB = await settled(b, onB);
    for (let i = 0; i < N; i++) {
      if (i === k) continue;
      expect(afterA.get(childOf(onA[i]!)), `connection ${i} on A`).toEqual(beforeA.get(childOf(onA[i]!)));
      expect(afterB.get(childOf(onB[i]!)), `connection ${i} on B`).toEqual(beforeB.get(childOf(onB[i]!)));
    }
    expect(afterA.get(childOf(onA[k]!))).not.toEqual(beforeA.get(childOf(onA[k]!)));
    for (const c of [onA[k]!, onB[k]!]) await waitStatus(t, c, 'up', 5_000);
    await ping(a, b);
  }, 60_000);

  it('a phase-1 change applies to the whole peer group: its IKE_SA and CHILD_SAs are replaced, all come back', async () => {
    const before = await settled(a, onA);
    // Phase 1 is per peer: it comes from the group's lowest connection id (peer-group-translator.ts).
    const leader = [...onA].sort((x, y) => (x.id < y.id ? -1 : 1))[0]!;
    await patchConnection(t, leader, { dead_peer_detection: { action: 'restart', interval: 3, timeout: 15 } });
    await expect
      .poll(
        async () => {
          const now = await childSaIds(t, a);
          return onA.every((c) => now.get(childOf(c))?.every((x) => !before.get(childOf(c))!.includes(x)) ?? false);
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);
    const [conn] = await listConns(t, a);
    expect(conn!.value['dpd_delay']).toBe('3');
    for (const c of [...onA, ...onB]) await waitStatus(t, c, 'up', 20_000);
    await ping(a, b);
  }, 60_000);
});
