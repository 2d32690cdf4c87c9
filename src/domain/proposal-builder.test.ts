import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIPHERS,
  type Cipher,
  DH_GROUP_NUMBERS,
  DH_GROUPS,
  type DhGroup,
  INTEGRITY_ALGORITHMS,
  type Integrity,
  type PfsGroup,
  isAead,
} from './crypto-catalogue.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';
import { ikePolicy as fixtureIke, ipsecPolicy as fixtureIpsec } from '../../test/domain-fixtures.js';
import { autoEspProposals, autoIkeProposals, dhKeyword, espProposals, ikeProposals, proposalPlan } from './proposal-builder.js';
import { AUTO_SETS } from './proposals.js';

const ikePolicy = (o: Partial<IkePolicy> = {}): IkePolicy => fixtureIke({ id: 'p', ...o });
const ipsecPolicy = (o: Partial<IpsecPolicy> = {}): IpsecPolicy => fixtureIpsec({ id: 'p', ...o });

describe('dhKeyword', () => {
  it.each([
    [2, 'modp1024'],
    [5, 'modp1536'],
    [14, 'modp2048'],
    [15, 'modp3072'],
    [19, 'ecp256'],
    [20, 'ecp384'],
    [21, 'ecp521'],
    [24, 'modp2048s256'],
    [31, 'curve25519'],
  ] as [DhGroup, string][])('group %i → %s', (g, kw) => {
    expect(dhKeyword(g)).toBe(kw);
  });
});

describe('ikeProposals', () => {
  it.each<[string, Parameters<typeof ikeProposals>[0], string[]]>([
    [
      'IKEv2 classic: one proposal with every algorithm in order',
      { ikeVersion: 2, encryption: ['aes256', 'aes128'], integrity: ['sha256', 'sha1'], dhGroups: [14, 19] },
      ['aes256-aes128-sha256-sha1-modp2048-ecp256'],
    ],
    [
      'IKEv2 classic + AEAD: a separate AEAD proposal with prf<integrity>',
      { ikeVersion: 2, encryption: ['aes256', 'aes256gcm16'], integrity: ['sha384'], dhGroups: [20] },
      ['aes256-sha384-ecp384', 'aes256gcm16-prfsha384-ecp384'],
    ],
    [
      'IKEv2 AEAD only: no classic proposal, PRF from every integrity',
      { ikeVersion: 2, encryption: ['aes128gcm16', 'aes256gcm16'], integrity: ['sha256', 'sha512'], dhGroups: [31, 19] },
      ['aes128gcm16-aes256gcm16-prfsha256-prfsha512-curve25519-ecp256'],
    ],
    [
      'IKEv1: the cartesian product, one of each kind, cipher-major',
      { ikeVersion: 1, encryption: ['aes256', 'aes128'], integrity: ['sha256', 'sha1'], dhGroups: [14, 2] },
      [
        'aes256-sha256-modp2048',
        'aes256-sha256-modp1024',
        'aes256-sha1-modp2048',
        'aes256-sha1-modp1024',
        'aes128-sha256-modp2048',
        'aes128-sha256-modp1024',
        'aes128-sha1-modp2048',
        'aes128-sha1-modp1024',
      ],
    ],
    [
      'IKEv1: AEAD ciphers are never used for IKE',
      { ikeVersion: 1, encryption: ['aes256gcm16', '3des'], integrity: ['md5'], dhGroups: [5] },
      ['3des-md5-modp1536'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(ikeProposals(input)).toEqual(expected);
  });
});

describe('espProposals', () => {
  it.each<[string, Parameters<typeof espProposals>[0], 1 | 2, string[]]>([
    [
      'no PFS: classic and AEAD proposals without a group',
      { encryption: ['aes256', 'aes128', 'aes256gcm16'], integrity: ['sha256'], pfs: ['none'] },
      2,
      ['aes256-aes128-sha256', 'aes256gcm16'],
    ],
    ['GCM only: no integrity even when one is listed', { encryption: ['aes256gcm16'], integrity: ['sha256'], pfs: [14] }, 2, ['aes256gcm16-modp2048']],
    [
      'repeated for each PFS entry, in order',
      { encryption: ['aes128', 'aes128gcm16'], integrity: ['sha1'], pfs: [14, 19] },
      2,
      ['aes128-sha1-modp2048', 'aes128gcm16-modp2048', 'aes128-sha1-ecp256', 'aes128gcm16-ecp256'],
    ],
    [
      'none among the PFS entries offers the proposals without a group too',
      { encryption: ['aes256'], integrity: ['sha256'], pfs: ['none', 31] },
      2,
      ['aes256-sha256', 'aes256-sha256-curve25519'],
    ],
    [
      'IKEv1 Quick Mode: one cipher and one integrity per proposal',
      { encryption: ['aes256', 'aes128', 'aes128gcm16'], integrity: ['sha256', 'sha1'], pfs: [20] },
      1,
      ['aes256-sha256-ecp384', 'aes256-sha1-ecp384', 'aes128-sha256-ecp384', 'aes128-sha1-ecp384', 'aes128gcm16-ecp384'],
    ],
  ])('%s', (_name, input, version, expected) => {
    expect(espProposals(input, version)).toEqual(expected);
  });
});

describe('auto-negotiation sets (domain §6)', () => {
  it.each<[(typeof AUTO_SETS)[number], string[], string[]]>([
    [
      'auto-2022-09',
      [
        'aes128-aes192-aes256-sha256-sha384-sha512-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521-modp1024s160-modp2048s224-modp2048s256-curve25519',
      ],
      ['aes128-aes192-aes256-sha256-sha384-sha512', 'aes128gcm16-aes192gcm16-aes256gcm16'],
    ],
    ['auto-2020', ['aes128-aes256-3des-sha1-sha256-md5-modp1024-modp1536-modp2048'], ['aes128-aes256-3des-sha1-sha256-md5']],
  ])('%s gives exactly the documented proposals', (set, ike, esp) => {
    expect(autoIkeProposals(set)).toEqual(ike);
    expect(autoEspProposals(set)).toEqual(esp);
  });

  it.each(AUTO_SETS)('%s as a plan: IKEv2, main mode, no PFS, 28800/3600', (set) => {
    expect(proposalPlan(undefined, undefined, set)).toEqual({
      ikeVersion: 2,
      aggressive: false,
      ikeProposals: autoIkeProposals(set),
      espProposals: autoEspProposals(set),
      ikeLifetimeSeconds: 28800,
      espLifetimeSeconds: 3600,
      pfs: ['none'],
    });
  });
});

describe('proposalPlan', () => {
  it('takes each side from its policy, independently of the other', () => {
    const plan = proposalPlan(ikePolicy({ lifetimeSeconds: 3600 }), undefined, 'auto-2020');
    expect(plan.ikeProposals).toEqual(['aes256-sha256-modp2048']);
    expect(plan.ikeLifetimeSeconds).toBe(3600);
    expect(plan.espProposals).toEqual(['aes128-aes256-3des-sha1-sha256-md5']);
    expect(plan.espLifetimeSeconds).toBe(3600);
    const other = proposalPlan(undefined, ipsecPolicy({ pfs: [19], lifetimeSeconds: 1200 }), 'auto-2022-09');
    expect(other.ikeVersion).toBe(2);
    expect(other.espProposals).toEqual(['aes256-sha256-ecp256']);
    expect(other.pfs).toEqual([19]);
    expect(other.espLifetimeSeconds).toBe(1200);
  });

  it.each<[string, Partial<IkePolicy>, boolean]>([
    ['IKEv1 aggressive', { ikeVersion: 1, negotiationMode: 'aggressive' }, true],
    ['IKEv1 main', { ikeVersion: 1, negotiationMode: 'main' }, false],
    ['IKEv2 ignores the negotiation mode', { ikeVersion: 2, negotiationMode: 'aggressive' }, false],
  ])('%s → aggressive %s', (_n, o, aggressive) => {
    expect(proposalPlan(ikePolicy(o), undefined, 'auto-2022-09').aggressive).toBe(aggressive);
  });

  it('an IKEv1 policy with the auto ESP set expands ESP one algorithm of each kind per proposal', () => {
    const plan = proposalPlan(ikePolicy({ ikeVersion: 1 }), undefined, 'auto-2022-09');
    expect(plan.espProposals).toHaveLength(3 * 3 + 3);
    expect(plan.espProposals.every((p) => p.split('-').length <= 2)).toBe(true);
  });
});

const KEYWORDS = new Set<string>([...CIPHERS, ...INTEGRITY_ALGORITHMS, ...INTEGRITY_ALGORITHMS.map((i) => `prf${i}`), ...Object.values(DH_GROUPS)]);
const ciphers = fc.uniqueArray(fc.constantFrom<Cipher>(...CIPHERS), { minLength: 1, maxLength: 5 });
const integrities = fc.uniqueArray(fc.constantFrom<Integrity>(...INTEGRITY_ALGORITHMS), { minLength: 1, maxLength: 4 });
const groups = fc.uniqueArray(fc.constantFrom<DhGroup>(...DH_GROUP_NUMBERS), { minLength: 1, maxLength: 4 });
const pfs = fc.uniqueArray(fc.constantFrom<PfsGroup>('none', ...DH_GROUP_NUMBERS), { minLength: 1, maxLength: 3 });
const version = fc.constantFrom<1 | 2>(1, 2);

describe('proposal properties', () => {
  it('never contain esn, only catalogue keywords, never mix AEAD and classic ciphers', () => {
    fc.assert(
      fc.property(version, ciphers, integrities, groups, pfs, (v, enc, integ, dh, pf) => {
        const ike = ikeProposals({ ikeVersion: v, encryption: enc, integrity: integ, dhGroups: dh });
        const esp = espProposals({ encryption: enc, integrity: integ, pfs: pf }, v);
        for (const p of [...ike, ...esp]) {
          const tokens = p.split('-');
          expect(tokens).not.toContain('esn');
          expect(p).not.toMatch(/esn/);
          for (const t of tokens) expect(KEYWORDS.has(t)).toBe(true);
          const cs = tokens.filter((t): t is Cipher => (CIPHERS as readonly string[]).includes(t));
          expect(cs.length).toBeGreaterThan(0);
          expect(new Set(cs.map(isAead)).size).toBe(1);
        }
        for (const p of ike) {
          const tokens = p.split('-');
          expect(tokens.some((t) => (Object.values(DH_GROUPS) as string[]).includes(t))).toBe(true);
          if (tokens.some((t) => isAead(t as Cipher))) expect(tokens.some((t) => t.startsWith('prf'))).toBe(true);
          if (v === 1) expect(tokens).toHaveLength(3);
        }
        expect(esp.length % pf.length).toBe(0);
      }),
    );
  });
});
