import { describe, expect, it } from 'vitest';
import { CIPHER_SPELLINGS, GROUP_SPELLINGS, HASH_SPELLINGS, normalizeSpelling } from './cloudca-rules.js';

describe('cloud.ca rules', () => {
  it('reads both spellings of the algorithm vocabulary, in any case', () => {
    expect(CIPHER_SPELLINGS[normalizeSpelling('AES256')]).toBe('aes256');
    expect(CIPHER_SPELLINGS[normalizeSpelling('3DES')]).toBe('3des');
    expect(HASH_SPELLINGS[normalizeSpelling('SHA1')]).toBe('sha1');
    expect(GROUP_SPELLINGS[normalizeSpelling('Group-5 (1536-bit)')]).toBe(5);
    expect(GROUP_SPELLINGS[normalizeSpelling('modp1024')]).toBe(2);
    expect(GROUP_SPELLINGS[normalizeSpelling('None')]).toBe('none');
    expect(CIPHER_SPELLINGS[normalizeSpelling('aes256gcm16')]).toBeUndefined();
  });
});
