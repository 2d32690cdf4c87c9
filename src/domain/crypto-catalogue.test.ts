import { describe, expect, it } from 'vitest';
import {
  AEAD_CIPHERS,
  CIPHERS,
  CLASSIC_CIPHERS,
  DH_GROUPS,
  DH_GROUP_NUMBERS,
  INTEGRITY_ALGORITHMS,
  LEGACY_CRYPTO_MODES,
  isAead,
  isCipher,
  isDhGroup,
  isIntegrity,
  weakAlgorithms,
} from './crypto-catalogue.js';

describe('crypto catalogue', () => {
  it('every cipher is either classic or AEAD, never both', () => {
    expect(CIPHERS).toHaveLength(CLASSIC_CIPHERS.length + AEAD_CIPHERS.length);
    for (const c of CLASSIC_CIPHERS) expect(isAead(c)).toBe(false);
    for (const c of AEAD_CIPHERS) expect(isAead(c)).toBe(true);
    for (const c of AEAD_CIPHERS) expect(c).toMatch(/^aes(128|192|256)(gcm|ccm)(8|12|16)$/);
  });

  it('isCipher accepts catalogue keywords only', () => {
    expect(isCipher('aes256')).toBe(true);
    expect(isCipher('aes256gcm16')).toBe(true);
    expect(isCipher('triple_des')).toBe(false); // IBM spelling, not a canonical keyword
    expect(isCipher('AES256')).toBe(false);
    expect(isCipher(256)).toBe(false);
  });

  it('isIntegrity accepts catalogue keywords only', () => {
    for (const i of INTEGRITY_ALGORITHMS) expect(isIntegrity(i)).toBe(true);
    expect(isIntegrity('disabled')).toBe(false);
    expect(isIntegrity('sha')).toBe(false);
    expect(isIntegrity(undefined)).toBe(false);
  });

  it('isDhGroup accepts IANA numbers in the catalogue only', () => {
    for (const g of DH_GROUP_NUMBERS) expect(isDhGroup(g)).toBe(true);
    expect(isDhGroup(14)).toBe(true);
    expect(isDhGroup(3)).toBe(false);
    expect(isDhGroup(32)).toBe(false);
    expect(isDhGroup('14')).toBe(false);
    expect(isDhGroup('toString')).toBe(false);
  });

  it('maps DH group numbers to strongSwan keywords', () => {
    expect(DH_GROUPS[14]).toBe('modp2048');
    expect(DH_GROUPS[19]).toBe('ecp256');
    expect(DH_GROUPS[31]).toBe('curve25519');
    expect(DH_GROUP_NUMBERS).toContain(31);
    expect(DH_GROUP_NUMBERS.every((n) => typeof n === 'number')).toBe(true);
  });

  it('weakAlgorithms names weak ciphers, integrity and groups, in that order, and ignores none', () => {
    expect(weakAlgorithms({ encryption: ['3des', 'aes128'], integrity: ['sha1', 'sha256', 'md5'], groups: ['none', 2, 14, 5] })).toEqual([
      '3des',
      'sha1',
      'md5',
      'DH group 2',
      'DH group 5',
    ]);
    expect(weakAlgorithms({ encryption: ['aes256gcm16'], integrity: [], groups: ['none'] })).toEqual([]);
  });

  it('legacy modes are allow and deny', () => {
    expect(LEGACY_CRYPTO_MODES).toEqual(['allow', 'deny']);
  });
});
