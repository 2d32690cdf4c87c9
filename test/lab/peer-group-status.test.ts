import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import {
  connect,
  getConnection,
  labRuns,
  ping,
  startLab,
  stopLab,
  timeline,
  vpcGateway,
  waitGatewayStable,
  waitStatus,
  type Connection,
  type LabGateway,
} from './lab-fixture.js';

const N = 7;

const codes = async (t: TestServer, c: Connection): Promise<string[]> => (await getConnection(t, c)).status_reasons.map((r) => r.code);

/**
 * Connections toward one peer share one IKE_SA (a peer group), so charon's status and failures come
 * per IKE_SA, and the agent must tell the group's connections apart.
 * - A burst of creates on both sides, as a provisioning script sends them: while charon works on the
 *   shared IKE_SA, a status read must still see its CHILD_SAs (a non-blocking list-sas skipped a busy
 *   IKE_SA, and every connection on it showed down for a moment, with down events on its timeline).
 *   Both sides start every CHILD, so some are refused until the other side has loaded theirs: no
 *   reason shows for that (a CIDR mismatch did, for a second or two, on their timelines too).
 * - A connection made before its peer gateway holds any is refused with NO_PROPOSAL_CHOSEN until the
 *   peer's comes: no policy mismatch shows for that either.
 * - Two connections of one group broken in different ways keep their own reasons: before, each
 *   failure charon logged for the shared IKE_SA went to every member that was down.
 */
describe.skipIf(!labRuns)('lab: status and reasons per connection in a peer group', () => {
  let t: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  const onA: Connection[] = [];
  const onB: Connection[] = [];

  beforeAll(async () => {
    t = await startLab('g');
    a = await vpcGateway(t, '10.1.0.0/24', 'a');
    b = await vpcGateway(t, '10.2.0.0/24', 'b');
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  it(`${N} connection pairs created at once come up without a down or a reason on any timeline`, async () => {
    const made = await Promise.all(
      Array.from({ length: N }, async (_, k) => {
        const peerCidr = `10.2.${k}.0/24`;
        return Promise.all([
          connect(t, a, b, { name: `to-b-${k}`, peer: { address: b.ip, cidrs: [peerCidr] } }),
          connect(t, b, a, { name: `to-a-${k}`, local: { cidrs: [peerCidr] } }),
        ]);
      }),
    );
    for (const [x, y] of made) {
      onA.push(x);
      onB.push(y);
    }
    for (const c of [...onA, ...onB]) await waitStatus(t, c, 'up', 30_000);
    await ping(a, b);
    for (const [k, c] of [...onA.entries(), ...onB.entries()]) {
      const evs = await timeline(t, c);
      expect(
        evs.filter((e) => e.type === 'ike_sa_down' || e.type === 'child_sa_down').map((e) => e.message),
        `connection ${k}`,
      ).toEqual([]);
      // The side that loads a CHILD first is refused until the other has loaded it (TS_UNACCEPTABLE, or
      // NO_PROPOSAL_CHOSEN while the other holds no connection yet): that is no mismatch, and within
      // charon's start grace it is not shown (gateway-report.ts).
      expect(
        evs.filter((e) => e.type === 'status_reason_raised').map((e) => e.message),
        `connection ${k}`,
      ).toEqual([]);
    }
  }, 60_000);

  it('a connection made before the peer gateway has any shows no reason when the peer follows', async () => {
    const c = await vpcGateway(t, '10.3.0.0/24', 'c');
    const d = await vpcGateway(t, '10.4.0.0/24', 'd');
    for (const gw of [c, d]) await waitGatewayStable(t, gw);
    const first = await connect(t, c, d);
    // c's charon starts it at once, and d's, with no connection at all, answers NO_PROPOSAL_CHOSEN.
    await new Promise((r) => setTimeout(r, 700));
    const second = await connect(t, d, c);
    for (const x of [first, second]) await waitStatus(t, x, 'up', 30_000);
    for (const x of [first, second]) expect((await timeline(t, x)).filter((e) => e.type === 'status_reason_raised').map((e) => e.message)).toEqual([]);
  }, 60_000);

  it('two broken connections of the group keep their own reasons', async () => {
    const esp = async (name: string, encryption: string, authentication: string): Promise<{ id: string }> => ({
      id: (
        await t.call('POST', '/v1/ipsec_policies', {
          body: { name, encryption_algorithm: encryption, authentication_algorithm: authentication, pfs: 'disabled' },
        })
      ).json().id,
    });
    // No mirror on b: b refuses its selectors.
    const cidr = await connect(t, a, b, { name: 'to-b-unmirrored', peer: { address: b.ip, cidrs: ['10.2.70.0/24'] } });
    // Mirrored on b with a disjoint IPsec policy; b only responds, so only a's requests fail.
    const proposal = await connect(t, a, b, {
      name: 'to-b-esp',
      peer: { address: b.ip, cidrs: ['10.2.80.0/24'] },
      ipsec_policy: await esp('esp-a', 'aes128', 'sha256'),
    });
    await connect(t, b, a, {
      name: 'to-a-esp',
      local: { cidrs: ['10.2.80.0/24'] },
      ipsec_policy: await esp('esp-b', 'aes256gcm16', 'disabled'),
      establish_mode: 'peer_only',
    });
    const want = { cidr: 'ike_v2_local_remote_cidr_mismatch', proposal: 'ipsec_policy_mismatch' };
    const both = async (): Promise<string> => JSON.stringify({ cidr: await codes(t, cidr), proposal: await codes(t, proposal) });
    const right = JSON.stringify({ cidr: [want.cidr], proposal: [want.proposal] });
    await expect.poll(both, { timeout: 30_000, interval: 250 }).toBe(right);
    // The agent retries both every few seconds; each retry's failure must land on its own connection.
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 500));
      expect(await both()).toBe(right);
    }
    for (const c of onA) expect(await codes(t, c)).toEqual([]);
  }, 60_000);
});
