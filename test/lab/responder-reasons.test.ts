import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import { connect, getConnection, labRuns, startLab, stopLab, vpcGateway, waitReason, type Connection } from './lab-fixture.js';

/**
 * A responder-only (`peer_only`) connection whose peer initiates and fails: charon logs the failure
 * before the IKE_SA has a name (no config found for it yet), so the agent assigns the line by the
 * peer's address. The peer here is another Causeway gateway that initiates (bidirectional).
 */
describe.skipIf(!labRuns)('lab: failures of a peer-initiated IKE_SA give the responder-only side its reason', () => {
  let t: TestServer;
  const cases = new Map<string, Connection>();
  const ikePolicy = async (body: Record<string, unknown>): Promise<string> => (await t.call('POST', '/v1/ike_policies', { body })).json().id;

  beforeAll(async () => {
    t = await startLab('rsnr');
    {
      const a = await vpcGateway(t, '10.95.0.0/24', 'rsnr-ike-a');
      const b = await vpcGateway(t, '10.96.0.0/24', 'rsnr-ike-b');
      const ikeA = await ikePolicy({ name: 'rsnr-ike-a', ike_version: 2, encryption_algorithm: 'aes128', authentication_algorithm: 'sha256', dh_group: 14 });
      const ikeB = await ikePolicy({ name: 'rsnr-ike-b', ike_version: 2, encryption_algorithm: 'aes256', authentication_algorithm: 'sha512', dh_group: 19 });
      cases.set('ike', await connect(t, a, b, { establish_mode: 'peer_only', ike_policy: { id: ikeA } }));
      await connect(t, b, a, { ike_policy: { id: ikeB } });
    }
    {
      const a = await vpcGateway(t, '10.97.0.0/24', 'rsnr-v1-a');
      const b = await vpcGateway(t, '10.98.0.0/24', 'rsnr-v1-b');
      const v1 = await ikePolicy({ name: 'rsnr-v1', ike_version: 1, encryption_algorithm: 'aes128', authentication_algorithm: 'sha256', dh_group: 14 });
      cases.set('v1psk', await connect(t, a, b, { establish_mode: 'peer_only', ike_policy: { id: v1 }, psk: 'rsnr-secret-one' }));
      await connect(t, b, a, { ike_policy: { id: v1 }, psk: 'rsnr-secret-two' });
    }
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  it.each([
    ['no common IKE proposal (IKEv2)', 'ike_policy_mismatch', 'ike', /received proposals unacceptable|no IKE config found|NO_PROP/],
    ['another PSK (IKEv1 main mode)', 'cannot_authenticate_connection', 'v1psk', /decryption failed\?|MAC mismatched|AUTHENTICATION_FAILED/],
  ])(
    '%s → the responder-only side is down with %s',
    async (_what, code, key, line) => {
      const c = cases.get(key)!;
      await waitReason(t, c, code, 30_000);
      const x = await getConnection(t, c);
      expect(x.status).toBe('down');
      expect(x.status_reasons.map((r) => r.code)).toEqual([code]);
      expect(x.status_reasons[0]!.message).toMatch(line);
      console.log(`${_what}: ${x.status_reasons[0]!.message}`);
    },
    40_000,
  );
});
