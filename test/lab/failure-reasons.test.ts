import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import { connect, getConnection, labRuns, startLab, stopLab, vpcGateway, waitReason, type Connection, type LabGateway } from './lab-fixture.js';

/**
 * Misconfigured pairs of Causeway gateways, with real charon: the tunnel stays down and
 * status_reasons carries IBM's reason code, read from what charon logged. Both sides are
 * bidirectional, so each side learns the failure as initiator.
 */
describe.skipIf(!labRuns)('lab: mismatches give status down with the right reason', () => {
  let t: TestServer;
  const cases = new Map<string, [Connection, Connection]>();
  const ikePolicy = async (body: Record<string, unknown>): Promise<{ id: string }> => ({
    id: (await t.call('POST', '/v1/ike_policies', { body: { ike_version: 2, ...body } })).json().id,
  });
  const pair = async (i: number): Promise<[LabGateway, LabGateway]> => [
    await vpcGateway(t, `10.${2 * i + 1}.0.0/24`, `${i}a`),
    await vpcGateway(t, `10.${2 * i + 2}.0.0/24`, `${i}b`),
  ];

  beforeAll(async () => {
    t = await startLab('f');
    {
      const [a, b] = await pair(0);
      cases.set('psk', [await connect(t, a, b, { psk: 'lab-secret-one' }), await connect(t, b, a, { psk: 'lab-secret-two' })]);
    }
    {
      const [a, b] = await pair(1);
      const ikeA = await ikePolicy({ name: 'ike-a', encryption_algorithm: 'aes128', authentication_algorithm: 'sha256', dh_group: 14 });
      const ikeB = await ikePolicy({ name: 'ike-b', encryption_algorithm: 'aes256', authentication_algorithm: 'sha512', dh_group: 19 });
      cases.set('ike', [await connect(t, a, b, { ike_policy: ikeA }), await connect(t, b, a, { ike_policy: ikeB })]);
    }
    {
      const [a, b] = await pair(2);
      const espA = (
        await t.call('POST', '/v1/ipsec_policies', {
          body: { name: 'esp-a', encryption_algorithm: 'aes128', authentication_algorithm: 'sha256', pfs: 'disabled' },
        })
      ).json();
      const espB = (
        await t.call('POST', '/v1/ipsec_policies', {
          body: { name: 'esp-b', encryption_algorithm: 'aes256gcm16', authentication_algorithm: 'disabled', pfs: 'disabled' },
        })
      ).json();
      cases.set('esp', [await connect(t, a, b, { ipsec_policy: { id: espA.id } }), await connect(t, b, a, { ipsec_policy: { id: espB.id } })]);
    }
    {
      const [a, b] = await pair(3);
      // b's peer CIDRs do not mirror a's local CIDRs.
      cases.set('cidr', [await connect(t, a, b), await connect(t, b, a, { peer: { address: a.ip, cidrs: ['10.99.0.0/24'] } })]);
    }
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  it.each([
    ['a PSK mismatch', 'cannot_authenticate_connection', 'psk'],
    ['an IKE proposal mismatch (disjoint IKE policies)', 'ike_policy_mismatch', 'ike'],
    ['an IPsec proposal mismatch (disjoint IPsec policies)', 'ipsec_policy_mismatch', 'esp'],
    ['a CIDR mismatch (peer CIDRs that do not mirror)', 'ike_v2_local_remote_cidr_mismatch', 'cidr'],
  ])(
    '%s → down with %s on both sides',
    async (_what, code, key) => {
      for (const c of cases.get(key)!) await waitReason(t, c, code, 20_000);
      for (const c of cases.get(key)!) {
        const x = await getConnection(t, c);
        expect(x.status).toBe('down');
        expect(x.status_reasons.map((r) => r.code)).toEqual([code]);
        expect(x.status_reasons[0]!.message).toMatch(/[^.] \(.+\)\.$/); // IBM's sentence, with charon's own line in parentheses
      }
    },
    30_000,
  );
});
