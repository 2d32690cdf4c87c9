import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AEAD_CIPHERS, CLASSIC_CIPHERS, DH_GROUP_NUMBERS, INTEGRITY_ALGORITHMS, WEAK_CIPHERS, WEAK_DH_GROUPS, WEAK_INTEGRITY } from './crypto-catalogue.js';
import { DomainError, type DomainErrorCode } from './errors.js';
import {
  MIN_LIFETIME_SECONDS,
  checkIkeCrypto,
  checkIkeV1Pairing,
  checkIpsecCrypto,
  ikeWeakAlgorithms,
  ipsecWeakAlgorithms,
  type IkeCrypto,
  type IpsecCrypto,
} from './policy.js';

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (DomainError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

function expectError(fn: () => unknown, code: DomainErrorCode, target?: string): DomainError {
  const e = domainError(fn);
  expect(e.code).toBe(code);
  if (target === undefined) expect(e.target).toBeUndefined();
  else expect(e.target?.name).toBe(target);
  return e;
}

const IKE: IkeCrypto = { ikeVersion: 2, encryption: ['aes256'], integrity: ['sha256'], dhGroups: [14], lifetimeSeconds: 28800 };
const ike = (over: Partial<IkeCrypto> = {}): IkeCrypto => ({ ...IKE, ...over });

const IPSEC: IpsecCrypto = { encryption: ['aes256'], integrity: ['sha256'], pfs: [14], lifetimeSeconds: 3600 };
const ipsec = (over: Partial<IpsecCrypto> = {}): IpsecCrypto => ({ ...IPSEC, ...over });

describe('checkIkeCrypto', () => {
  it('accepts strong single and multi-valued IKEv2 policies under either legacy mode', () => {
    for (const legacy of ['allow', 'deny'] as const) {
      expect(() => checkIkeCrypto(IKE, legacy)).not.toThrow();
      expect(() =>
        checkIkeCrypto(ike({ encryption: ['aes128', 'aes256', 'aes256gcm16'], integrity: ['sha256', 'sha512'], dhGroups: [14, 19, 31] }), legacy),
      ).not.toThrow();
    }
  });

  it('accepts a single-valued IKEv1 policy with a classic cipher', () => {
    expect(() => checkIkeCrypto(ike({ ikeVersion: 1 }), 'allow')).not.toThrow();
  });

  it('needs at least one encryption algorithm', () => {
    expectError(() => checkIkeCrypto(ike({ encryption: [] }), 'allow'), 'invalid_value', 'encryption');
  });

  it('needs at least one integrity (PRF) algorithm, even with AEAD', () => {
    expectError(() => checkIkeCrypto(ike({ integrity: [] }), 'allow'), 'invalid_value', 'integrity');
    expectError(() => checkIkeCrypto(ike({ encryption: ['aes256gcm16'], integrity: [] }), 'allow'), 'invalid_value', 'integrity');
  });

  it('needs at least one DH group', () => {
    expectError(() => checkIkeCrypto(ike({ dhGroups: [] }), 'allow'), 'invalid_value', 'dhGroups');
  });

  it('refuses a value listed twice in any list', () => {
    expectError(() => checkIkeCrypto(ike({ encryption: ['aes256', 'aes256'] }), 'allow'), 'invalid_value', 'encryption');
    expectError(() => checkIkeCrypto(ike({ integrity: ['sha256', 'sha384', 'sha256'] }), 'allow'), 'invalid_value', 'integrity');
    expectError(() => checkIkeCrypto(ike({ dhGroups: [14, 14] }), 'allow'), 'invalid_value', 'dhGroups');
  });

  it('refuses an AEAD cipher with IKEv1 (algorithm_combination on encryption)', () => {
    expectError(() => checkIkeCrypto(ike({ ikeVersion: 1, encryption: ['aes128gcm16'] }), 'allow'), 'algorithm_combination', 'encryption');
    expectError(() => checkIkeCrypto(ike({ ikeVersion: 1, encryption: ['aes128', 'aes256ccm8'] }), 'allow'), 'algorithm_combination', 'encryption');
  });

  it('accepts an AEAD cipher with IKEv2', () => {
    expect(() => checkIkeCrypto(ike({ encryption: ['aes256gcm16'] }), 'allow')).not.toThrow();
  });

  it(`needs a whole-second lifetime of at least ${MIN_LIFETIME_SECONDS}`, () => {
    expect(MIN_LIFETIME_SECONDS).toBe(30);
    expect(() => checkIkeCrypto(ike({ lifetimeSeconds: 30 }), 'allow')).not.toThrow();
    expectError(() => checkIkeCrypto(ike({ lifetimeSeconds: 29 }), 'allow'), 'invalid_value', 'lifetimeSeconds');
    expectError(() => checkIkeCrypto(ike({ lifetimeSeconds: 3600.5 }), 'allow'), 'invalid_value', 'lifetimeSeconds');
    expectError(() => checkIkeCrypto(ike({ lifetimeSeconds: Number.NaN }), 'allow'), 'invalid_value', 'lifetimeSeconds');
  });

  it('allows weak algorithms under crypto.legacy=allow', () => {
    expect(() => checkIkeCrypto(ike({ encryption: ['3des'], integrity: ['md5'], dhGroups: [2] }), 'allow')).not.toThrow();
  });

  it('refuses weak algorithms under crypto.legacy=deny, naming them', () => {
    const e = expectError(
      () => checkIkeCrypto(ike({ encryption: ['aes256', '3des'], integrity: ['sha1'], dhGroups: [14, 5] }), 'deny'),
      'weak_algorithm_denied',
    );
    expect(e.message).toContain('3des, sha1, DH group 5');
    expect(e.kind).toBe('invalid');
  });

  it.each([[{ encryption: ['3des'] }], [{ integrity: ['md5'] }], [{ integrity: ['sha1'] }], [{ dhGroups: [1] }], [{ dhGroups: [2] }], [{ dhGroups: [5] }]] as [
    Partial<IkeCrypto>,
  ][])('refuses %j under deny', (over) => {
    expectError(() => checkIkeCrypto(ike(over), 'deny'), 'weak_algorithm_denied');
  });

  it('reports structural problems before the legacy setting', () => {
    expectError(() => checkIkeCrypto(ike({ encryption: ['3des'], lifetimeSeconds: 1 }), 'deny'), 'invalid_value', 'lifetimeSeconds');
  });
});

describe('checkIpsecCrypto', () => {
  it('accepts a strong classic policy under either legacy mode', () => {
    expect(() => checkIpsecCrypto(IPSEC, 'allow')).not.toThrow();
    expect(() => checkIpsecCrypto(IPSEC, 'deny')).not.toThrow();
  });

  it('accepts AEAD ciphers without integrity', () => {
    expect(() => checkIpsecCrypto(ipsec({ encryption: ['aes128gcm16', 'aes256ccm16'], integrity: [] }), 'deny')).not.toThrow();
  });

  it('accepts no PFS', () => {
    expect(() => checkIpsecCrypto(ipsec({ pfs: ['none'] }), 'deny')).not.toThrow();
  });

  it('needs at least one encryption algorithm', () => {
    expectError(() => checkIpsecCrypto(ipsec({ encryption: [] }), 'allow'), 'invalid_value', 'encryption');
  });

  it('needs at least one PFS entry', () => {
    expectError(() => checkIpsecCrypto(ipsec({ pfs: [] }), 'allow'), 'invalid_value', 'pfs');
  });

  it('refuses a value listed twice in any list', () => {
    expectError(() => checkIpsecCrypto(ipsec({ encryption: ['aes128', 'aes128'] }), 'allow'), 'invalid_value', 'encryption');
    expectError(() => checkIpsecCrypto(ipsec({ integrity: ['sha256', 'sha256'] }), 'allow'), 'invalid_value', 'integrity');
    expectError(() => checkIpsecCrypto(ipsec({ pfs: ['none', 'none'] }), 'allow'), 'invalid_value', 'pfs');
    expectError(() => checkIpsecCrypto(ipsec({ pfs: [14, 19, 14] }), 'allow'), 'invalid_value', 'pfs');
  });

  it('refuses a classic cipher without integrity (algorithm_combination on integrity)', () => {
    expectError(() => checkIpsecCrypto(ipsec({ integrity: [] }), 'allow'), 'algorithm_combination', 'integrity');
    expectError(() => checkIpsecCrypto(ipsec({ encryption: ['aes256gcm16', 'aes256'], integrity: [] }), 'allow'), 'algorithm_combination', 'integrity');
  });

  it(`needs a whole-second lifetime of at least ${MIN_LIFETIME_SECONDS}`, () => {
    expect(() => checkIpsecCrypto(ipsec({ lifetimeSeconds: 30 }), 'allow')).not.toThrow();
    expectError(() => checkIpsecCrypto(ipsec({ lifetimeSeconds: 0 }), 'allow'), 'invalid_value', 'lifetimeSeconds');
    expectError(() => checkIpsecCrypto(ipsec({ lifetimeSeconds: 300.25 }), 'allow'), 'invalid_value', 'lifetimeSeconds');
  });

  it('allows weak algorithms under allow and refuses them under deny', () => {
    const weak = ipsec({ encryption: ['3des'], integrity: ['md5'], pfs: [2] });
    expect(() => checkIpsecCrypto(weak, 'allow')).not.toThrow();
    const e = expectError(() => checkIpsecCrypto(weak, 'deny'), 'weak_algorithm_denied');
    expect(e.message).toContain('3des, md5, DH group 2');
  });
});

describe('weak-algorithm detection', () => {
  it('lists the weak IKE algorithms, ciphers then integrity then groups', () => {
    expect(ikeWeakAlgorithms({ encryption: ['aes128', '3des'], integrity: ['sha256', 'md5', 'sha1'], dhGroups: [14, 2, 5, 1] })).toEqual([
      '3des',
      'md5',
      'sha1',
      'DH group 2',
      'DH group 5',
      'DH group 1',
    ]);
    expect(ikeWeakAlgorithms(IKE)).toEqual([]);
  });

  it('treats PFS none as not weak', () => {
    expect(ipsecWeakAlgorithms({ encryption: ['aes256gcm16'], integrity: [], pfs: ['none'] })).toEqual([]);
    expect(ipsecWeakAlgorithms({ encryption: ['aes128'], integrity: ['sha1'], pfs: ['none', 5] })).toEqual(['sha1', 'DH group 5']);
  });

  it('the weak sets are 3des; md5 and sha1; DH 1, 2 and 5', () => {
    expect(WEAK_CIPHERS).toEqual(['3des']);
    expect(WEAK_INTEGRITY).toEqual(['md5', 'sha1']);
    expect(WEAK_DH_GROUPS).toEqual([1, 2, 5]);
  });

  it('property: checkIkeCrypto refuses under deny exactly when ikeWeakAlgorithms is not empty', () => {
    const cipher = fc.constantFrom(...CLASSIC_CIPHERS, ...AEAD_CIPHERS);
    const integ = fc.constantFrom(...INTEGRITY_ALGORITHMS);
    const group = fc.constantFrom(...DH_GROUP_NUMBERS);
    fc.assert(
      fc.property(
        fc.uniqueArray(cipher, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(integ, { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(group, { minLength: 1, maxLength: 4 }),
        (encryption, integrity, dhGroups) => {
          const p = ike({ encryption, integrity, dhGroups });
          const weak = ikeWeakAlgorithms(p);
          expect(() => checkIkeCrypto(p, 'allow')).not.toThrow();
          if (weak.length > 0) expectError(() => checkIkeCrypto(p, 'deny'), 'weak_algorithm_denied');
          else expect(() => checkIkeCrypto(p, 'deny')).not.toThrow();
        },
      ),
    );
  });
});

describe('checkIkeV1Pairing', () => {
  const multi = ipsec({ encryption: ['aes128', 'aes256'] });

  it('does nothing without an IKE policy, with IKEv2, or without an IPsec policy', () => {
    expect(() => checkIkeV1Pairing(undefined, multi)).not.toThrow();
    expect(() => checkIkeV1Pairing(IKE, multi)).not.toThrow();
    expect(() => checkIkeV1Pairing(ike({ ikeVersion: 1 }), undefined)).not.toThrow();
  });

  it('accepts IKEv1 with a single-valued IPsec policy', () => {
    expect(() => checkIkeV1Pairing(ike({ ikeVersion: 1 }), IPSEC)).not.toThrow();
    expect(() => checkIkeV1Pairing(ike({ ikeVersion: 1 }), ipsec({ encryption: ['aes256gcm16'], integrity: [], pfs: ['none'] }))).not.toThrow();
  });

  it.each([[{ encryption: ['aes128', 'aes256'] }], [{ integrity: ['sha256', 'sha512'] }], [{ pfs: [14, 19] }]] as [Partial<IpsecCrypto>][])(
    'refuses IKEv1 with IPsec %j (algorithm_combination on ipsecPolicy)',
    (over) => {
      expectError(() => checkIkeV1Pairing(ike({ ikeVersion: 1 }), ipsec(over)), 'algorithm_combination', 'ipsecPolicy');
    },
  );
});
