/**
 * The algorithm catalogue. Canonical names are strongSwan keywords; DH groups are IANA numbers.
 * Each dialect maps its own spellings onto these (see src/api/<dialect>/*-algorithms.ts).
 */
export const CLASSIC_CIPHERS = ['aes128', 'aes192', 'aes256', '3des', 'aes128ctr', 'aes192ctr', 'aes256ctr'] as const;
export const AEAD_CIPHERS = [
  'aes128gcm16',
  'aes192gcm16',
  'aes256gcm16',
  'aes128gcm12',
  'aes192gcm12',
  'aes256gcm12',
  'aes128gcm8',
  'aes192gcm8',
  'aes256gcm8',
  'aes128ccm16',
  'aes192ccm16',
  'aes256ccm16',
  'aes128ccm12',
  'aes192ccm12',
  'aes256ccm12',
  'aes128ccm8',
  'aes192ccm8',
  'aes256ccm8',
] as const;
export const CIPHERS = [...CLASSIC_CIPHERS, ...AEAD_CIPHERS] as const;
export type Cipher = (typeof CIPHERS)[number];

export const INTEGRITY_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'aesxcbc', 'aescmac'] as const;
export type Integrity = (typeof INTEGRITY_ALGORITHMS)[number];

/** IANA DH group number → strongSwan key-exchange keyword. */
export const DH_GROUPS = {
  1: 'modp768',
  2: 'modp1024',
  5: 'modp1536',
  14: 'modp2048',
  15: 'modp3072',
  16: 'modp4096',
  17: 'modp6144',
  18: 'modp8192',
  19: 'ecp256',
  20: 'ecp384',
  21: 'ecp521',
  22: 'modp1024s160',
  23: 'modp2048s224',
  24: 'modp2048s256',
  25: 'ecp192',
  26: 'ecp224',
  27: 'ecp224bp',
  28: 'ecp256bp',
  29: 'ecp384bp',
  30: 'ecp512bp',
  31: 'curve25519',
} as const satisfies Record<number, string>;
export type DhGroup = keyof typeof DH_GROUPS;
export const DH_GROUP_NUMBERS = Object.keys(DH_GROUPS).map(Number) as DhGroup[];

/** A PFS entry: a DH group, or `none` for no PFS. */
export type PfsGroup = DhGroup | 'none';

export const WEAK_CIPHERS: readonly Cipher[] = ['3des'];
export const WEAK_INTEGRITY: readonly Integrity[] = ['md5', 'sha1'];
export const WEAK_DH_GROUPS: readonly DhGroup[] = [1, 2, 5];

export function isCipher(v: unknown): v is Cipher {
  return typeof v === 'string' && (CIPHERS as readonly string[]).includes(v);
}
export function isAead(c: Cipher): boolean {
  return (AEAD_CIPHERS as readonly string[]).includes(c);
}
export function isIntegrity(v: unknown): v is Integrity {
  return typeof v === 'string' && (INTEGRITY_ALGORITHMS as readonly string[]).includes(v);
}
export function isDhGroup(v: unknown): v is DhGroup {
  return typeof v === 'number' && Object.prototype.hasOwnProperty.call(DH_GROUPS, v);
}

/** The weak algorithms among the given ones, in a stable human-readable spelling. */
export function weakAlgorithms(p: { encryption: readonly Cipher[]; integrity: readonly Integrity[]; groups: readonly (DhGroup | 'none')[] }): string[] {
  const out: string[] = [];
  for (const c of p.encryption) if (WEAK_CIPHERS.includes(c)) out.push(c);
  for (const i of p.integrity) if (WEAK_INTEGRITY.includes(i)) out.push(i);
  for (const g of p.groups) if (g !== 'none' && WEAK_DH_GROUPS.includes(g)) out.push(`DH group ${g}`);
  return out;
}

/** Operator setting `crypto.legacy`: allow weak algorithms (flagged) or refuse them. */
export const LEGACY_CRYPTO_MODES = ['allow', 'deny'] as const;
export type LegacyCryptoMode = (typeof LEGACY_CRYPTO_MODES)[number];
