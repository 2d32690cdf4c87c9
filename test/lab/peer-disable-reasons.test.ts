import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import { connectPair, getConnection, labRuns, patchConnection, startLab, stopLab, vpcGateway, waitStatus, type Connection } from './lab-fixture.js';

const ROUNDS = 20;

/**
 * When the peer disables its side, it deletes the SAs, and our connection goes `down`. That `down`
 * must carry its reason from the first read that shows it: 20 rounds of disable/enable on the peer,
 * our connection read every 50 ms, and not one `down` without a reason.
 */
describe.skipIf(!labRuns)('lab: a peer that disables its side', () => {
  let t: TestServer;
  let pair: [Connection, Connection];

  beforeAll(async () => {
    t = await startLab('pd');
    const a = await vpcGateway(t, '10.61.0.0/24', 'a');
    const b = await vpcGateway(t, '10.62.0.0/24', 'b');
    pair = await connectPair(t, a, b);
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  it(`every down carries a reason, ${ROUNDS} rounds`, async () => {
    const [ours, peers] = pair;
    for (const x of pair) await waitStatus(t, x, 'up', 30_000);
    const bare: string[] = [];
    const seen = new Set<string>();
    for (let round = 1; round <= ROUNDS; round++) {
      await patchConnection(t, peers, { admin_state_up: false });
      const t0 = Date.now();
      let down = false;
      while (Date.now() - t0 < 10_000) {
        const x = await getConnection(t, ours);
        if (x.status === 'down') {
          if (x.status_reasons.length === 0) bare.push(`round ${round}: down with no reason ${Date.now() - t0} ms after the peer disabled`);
          for (const r of x.status_reasons) seen.add(r.code);
          down = true;
          // Keep reading a while: the reason must stay until the tunnel is back.
          if (Date.now() - t0 > 1_500) break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(down, `round ${round}: our side never went down`).toBe(true);
      await patchConnection(t, peers, { admin_state_up: true });
      await waitStatus(t, ours, 'up', 20_000);
      expect((await getConnection(t, ours)).status_reasons).toEqual([]);
    }
    console.log(`peer disabled ${ROUNDS} times: reasons seen ${[...seen].join(', ')}; downs without a reason: ${bare.length}`);
    expect(bare).toEqual([]);
    expect(seen).toContain('peer_closed_tunnel');
  }, 600_000);
});
