import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import { connectPair, labRuns, ping, saOf, startLab, stopLab, vpcGateway, waitStatus, type Connection, type LabGateway } from './lab-fixture.js';

/**
 * Custom policies between two Causeway gateways, with real charon: each case is its own pair of VPCs
 * (so they all negotiate at once), and each must come up and carry a ping. The negotiated algorithms
 * are read back from charon to prove the policy, not a default, was used.
 */
const CASES: { name: string; ike?: Record<string, unknown>; ipsec?: Record<string, unknown>; expect: { version: string; ike: RegExp; esp: RegExp } }[] = [
  {
    name: 'IKEv1 main mode',
    ike: { ike_version: 1, encryption_algorithm: 'aes256', authentication_algorithm: 'sha256', dh_group: 14 },
    ipsec: { encryption_algorithm: 'aes256', authentication_algorithm: 'sha256', pfs: 'group_14' },
    expect: { version: '1', ike: /^AES_CBC 256 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 MODP_2048$/, esp: /^AES_CBC 256 HMAC_SHA2_256_128 MODP_2048$/ }, // PFS group in Quick Mode
  },
  {
    name: 'IKEv2 with GCM (ESP aes256gcm16, authentication disabled)',
    ike: { ike_version: 2, encryption_algorithm: 'aes256', authentication_algorithm: 'sha384', dh_group: 14 },
    ipsec: { encryption_algorithm: 'aes256gcm16', authentication_algorithm: 'disabled', pfs: 'disabled' },
    expect: { version: '2', ike: /^AES_CBC 256 HMAC_SHA2_384_192 PRF_HMAC_SHA2_384 MODP_2048$/, esp: /^AES_GCM_16 256 +$/ },
  },
  {
    name: 'DH 19',
    ike: { ike_version: 2, encryption_algorithm: 'aes128', authentication_algorithm: 'sha256', dh_group: 19 },
    expect: { version: '2', ike: /^AES_CBC 128 .* ECP_256$/, esp: /./ },
  },
  {
    name: 'DH 20',
    ike: { ike_version: 2, encryption_algorithm: 'aes256', authentication_algorithm: 'sha384', dh_group: 20 },
    expect: { version: '2', ike: /^AES_CBC 256 .* ECP_384$/, esp: /./ },
  },
  {
    name: 'DH 31',
    ike: { ike_version: 2, encryption_algorithm: 'aes256', authentication_algorithm: 'sha512', dh_group: 31 },
    expect: { version: '2', ike: /^AES_CBC 256 .* CURVE_25519$/, esp: /./ },
  },
  { name: 'auto-negotiation (no policies)', expect: { version: '2', ike: /./, esp: /./ } },
];

describe.skipIf(!labRuns)('lab: custom policies between two Causeway gateways', () => {
  let t: TestServer;
  const pairs: { a: LabGateway; b: LabGateway; conns: [Connection, Connection] }[] = [];

  beforeAll(async () => {
    t = await startLab('p');
    for (const [i, c] of CASES.entries()) {
      const a = await vpcGateway(t, `10.${2 * i + 1}.0.0/24`, `${i}a`);
      const b = await vpcGateway(t, `10.${2 * i + 2}.0.0/24`, `${i}b`);
      const extra: Record<string, unknown> = {};
      if (c.ike) extra['ike_policy'] = { id: (await t.call('POST', '/v1/ike_policies', { body: { name: `ike-${i}`, ...c.ike } })).json().id };
      if (c.ipsec) extra['ipsec_policy'] = { id: (await t.call('POST', '/v1/ipsec_policies', { body: { name: `esp-${i}`, ...c.ipsec } })).json().id };
      pairs.push({ a, b, conns: await connectPair(t, a, b, extra) });
    }
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  it.each(CASES.map((c, i) => [c.name, i] as const))(
    '%s: up on both sides, a ping goes through, the policy was negotiated',
    async (_name, i) => {
      const { a, b, conns } = pairs[i]!;
      for (const c of conns) await waitStatus(t, c, 'up', 30_000);
      await ping(a, b);
      await ping(b, a);
      const { ike: sa, child } = (await saOf(t, conns[0]))!;
      const want = CASES[i]!.expect;
      expect(sa['version']).toBe(want.version);
      const ikeAlgs = [sa['encr-alg'], sa['encr-keysize'], sa['integ-alg'], sa['prf-alg'], sa['dh-group']].join(' ');
      expect(ikeAlgs).toMatch(want.ike);
      expect([child['encr-alg'], child['encr-keysize'], child['integ-alg'], child['dh-group']].join(' ')).toMatch(want.esp);
    },
    40_000,
  );
});
