import type { Cipher, DhGroup, Integrity, PfsGroup } from '../../domain/crypto-catalogue.js';

/**
 * IBM spellings of the domain's algorithm catalogue. Accepted values are today's IBM sets plus the
 * weak ones seed 000 lists (md5, sha1, 3des / triple_des, DH 2 and 5); weak ones are flagged in the
 * connection's status_reasons, and refused when the operator sets crypto.legacy=deny.
 */
export const IKE_AUTH = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
export const IKE_ENC = ['aes128', 'aes192', 'aes256', 'triple_des', '3des'] as const;
export const IKE_DH = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 31] as const;
export const IPSEC_AUTH = ['disabled', 'md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
export const IPSEC_ENC = ['aes128', 'aes192', 'aes256', 'triple_des', '3des', 'aes128gcm16', 'aes192gcm16', 'aes256gcm16'] as const;
export const IPSEC_PFS = ['disabled', 'group_2', 'group_5', ...[14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 31].map((g) => `group_${g}`)] as const;

export const SENTINEL_STRING = 'multiple';
export const SENTINEL_NUMBER = 65535;

export function cipherFromIbm(v: string): Cipher {
  return (v === 'triple_des' ? '3des' : v) as Cipher;
}
export function cipherToIbm(c: Cipher): string {
  return c === '3des' ? 'triple_des' : c;
}
export function integrityFromIbm(v: string): Integrity {
  return v as Integrity;
}
/** IPsec `disabled` means no separate integrity (AEAD). */
export function ipsecIntegrityFromIbm(list: readonly string[]): Integrity[] {
  return list.filter((v) => v !== 'disabled').map(integrityFromIbm);
}
export function ipsecIntegrityToIbm(list: readonly Integrity[]): string[] {
  return list.length === 0 ? ['disabled'] : [...list];
}
export function pfsFromIbm(v: string): PfsGroup {
  return v === 'disabled' ? 'none' : (Number(v.replace('group_', '')) as DhGroup);
}
export function pfsToIbm(g: PfsGroup): string {
  return g === 'none' ? 'disabled' : `group_${g}`;
}
export const isGcm = (v: string): boolean => v.includes('gcm');

/** The deprecated singular field: the sole value, or the sentinel when a list holds more than one. */
export function singular<T>(list: readonly T[], sentinel: T): T {
  return list.length === 1 ? list[0]! : sentinel;
}
