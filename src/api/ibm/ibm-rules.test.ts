import { describe, expect, it } from 'vitest';
import type { IbmHttpError } from './ibm-errors.js';
import {
  DPD_DEFAULT_ACTION,
  DPD_INTERVAL,
  DPD_TIMEOUT,
  IKE_LIFETIME,
  IPSEC_LIFETIME,
  NAME_MAX,
  NAME_PATTERN,
  PSK_LENGTH,
  checkIbmDpd,
  checkIbmPsk,
} from './ibm-rules.js';
import { ibmError } from './ibm-error-expect.js';

function expectIbm(fn: () => unknown, target: string): IbmHttpError {
  const e = ibmError(fn);
  expect(e.status).toBe(400);
  expect(e.error.code).toBe('invalid_value');
  expect(e.error.target).toEqual({ type: 'field', name: target });
  return e;
}

describe('checkIbmPsk', () => {
  it(`accepts ${PSK_LENGTH.min} to ${PSK_LENGTH.max} characters`, () => {
    expect(PSK_LENGTH).toEqual({ min: 6, max: 128 });
    expect(() => checkIbmPsk('abcdef')).not.toThrow();
    expect(() => checkIbmPsk('a'.repeat(128))).not.toThrow();
  });

  it('accepts every allowed special character', () => {
    expect(() => checkIbmPsk('Aa0-+&!@#$%^*().,:')).not.toThrow();
  });

  it.each(['abcde', '', 'a'.repeat(129)])('refuses the length of %j', (psk) => {
    const e = expectIbm(() => checkIbmPsk(psk), 'psk');
    expect(e.error.message).toMatch(/6 to 128 characters/);
  });

  it.each(['secret key', 'secret;key', 'secret_key', 'secret/key', 'sécret-key', 'secret"key', 'secret=key', 'secret~key'])(
    'refuses the character set of %j',
    (psk) => {
      const e = expectIbm(() => checkIbmPsk(psk), 'psk');
      expect(e.error.message).toMatch(/only letters, digits/);
    },
  );

  it.each(['0xdeadbeef', '0sQUJDRA..', '0Xdeadbeef', '0Sabcdefg'])('refuses the strongSwan prefix of %j', (psk) => {
    const e = expectIbm(() => checkIbmPsk(psk), 'psk');
    expect(e.error.message).toMatch(/0x|0s/);
  });

  it('accepts 0x or 0s not at the start, and other leading zeros', () => {
    expect(() => checkIbmPsk('a0xdeadbeef')).not.toThrow();
    expect(() => checkIbmPsk('00xdeadbeef')).not.toThrow();
    expect(() => checkIbmPsk('0abcdef')).not.toThrow();
  });

  it('names the given field', () => {
    expectIbm(() => checkIbmPsk('short', 'peer.psk'), 'peer.psk');
  });

  it('never echoes the key in the target', () => {
    expect(ibmError(() => checkIbmPsk('bad key!')).error.target).not.toHaveProperty('value');
  });
});

describe('checkIbmDpd', () => {
  it('accepts an interval up to the timeout', () => {
    expect(() => checkIbmDpd(2, 10)).not.toThrow();
    expect(() => checkIbmDpd(10, 10)).not.toThrow();
    expect(() => checkIbmDpd(DPD_INTERVAL.default, DPD_TIMEOUT.default)).not.toThrow();
  });

  it('refuses an interval longer than the timeout', () => {
    const e = expectIbm(() => checkIbmDpd(11, 10), 'dead_peer_detection.interval');
    expect(e.error.message).toContain('(11)');
    expect(e.error.message).toContain('(10)');
  });
});

describe('IBM ranges and the name pattern', () => {
  it('lifetimes: IKE 1800-86400 (28800), IPsec 300-86400 (3600)', () => {
    expect(IKE_LIFETIME).toEqual({ min: 1800, max: 86400, default: 28800 });
    expect(IPSEC_LIFETIME).toEqual({ min: 300, max: 86400, default: 3600 });
  });

  it('DPD: interval 1-86399 (2), timeout 2-86399 (10), action restart', () => {
    expect(DPD_INTERVAL).toEqual({ min: 1, max: 86399, default: 2 });
    expect(DPD_TIMEOUT).toEqual({ min: 2, max: 86399, default: 10 });
    expect(DPD_DEFAULT_ACTION).toBe('restart');
  });

  const name = new RegExp(NAME_PATTERN);
  it.each(['a', 'my-gateway', 'gw1', 'a1-b2', '1a', '1-a', '-leading-dash', '9z'])('the name pattern accepts %j', (n) => {
    expect(name.test(n)).toBe(true);
  });
  it.each(['', 'A', 'MyGateway', 'ends-', 'under_score', '1', '12', 'has space', 'dot.name'])('the name pattern refuses %j', (n) => {
    expect(name.test(n)).toBe(false);
  });
  it('names are at most 63 characters', () => {
    expect(NAME_MAX).toBe(63);
  });
});
