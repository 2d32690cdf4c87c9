import { type Cipher, type DhGroup, type Integrity, type LegacyCryptoMode, type PfsGroup, isAead, weakAlgorithms } from './crypto-catalogue.js';
import { DomainError, invalidField } from './errors.js';

/** Policies hold ordered lists; a single-valued wire field shows the first element (D6). */
export interface IkePolicy {
  readonly id: string;
  readonly accountId: string;
  readonly resourceGroupId: string;
  readonly name: string;
  readonly ikeVersion: 1 | 2;
  readonly negotiationMode: 'main' | 'aggressive';
  readonly encryption: readonly Cipher[];
  /** Integrity algorithms; for AEAD ciphers they serve as the PRF. */
  readonly integrity: readonly Integrity[];
  readonly dhGroups: readonly DhGroup[];
  readonly lifetimeSeconds: number;
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface IpsecPolicy {
  readonly id: string;
  readonly accountId: string;
  readonly resourceGroupId: string;
  readonly name: string;
  readonly encryption: readonly Cipher[];
  /** Empty only when every cipher is AEAD. */
  readonly integrity: readonly Integrity[];
  /** [`none`] = no PFS. */
  readonly pfs: readonly PfsGroup[];
  readonly lifetimeSeconds: number;
  readonly transform: 'esp';
  readonly encapsulation: 'tunnel';
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type IkeCrypto = Pick<IkePolicy, 'ikeVersion' | 'encryption' | 'integrity' | 'dhGroups' | 'lifetimeSeconds'>;
export type IpsecCrypto = Pick<IpsecPolicy, 'encryption' | 'integrity' | 'pfs' | 'lifetimeSeconds'>;

/** Key lifetimes when a user gives none (IBM's defaults, and the auto-negotiation sets'). */
export const DEFAULT_LIFETIME_SECONDS = { ike: 28800, ipsec: 3600 } as const;

/** Smallest lifetime strongSwan is asked to run (rekey at 0.9·L leaves a margin). */
export const MIN_LIFETIME_SECONDS = 30;
/**
 * Largest lifetime stored (about 68 years): charon keeps IKE rekey times in 32 bits, and the translator
 * writes whole seconds. A value a dialect accepts beyond this would be stored but never run.
 */
export const MAX_LIFETIME_SECONDS = 2_147_483_647;

function checkLifetime(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < MIN_LIFETIME_SECONDS || seconds > MAX_LIFETIME_SECONDS) {
    throw invalidField('lifetimeSeconds', `The key lifetime must be a whole number of seconds from ${MIN_LIFETIME_SECONDS} to ${MAX_LIFETIME_SECONDS}.`);
  }
}

function noDuplicates<T>(list: readonly T[], field: string): void {
  if (new Set(list).size !== list.length) throw invalidField(field, `${field} must not list the same value twice.`, list);
}

function checkLegacy(kind: string, weak: string[], legacy: LegacyCryptoMode): void {
  if (weak.length > 0 && legacy === 'deny') {
    throw new DomainError(
      'weak_algorithm_denied',
      `The ${kind} uses weak algorithms (${weak.join(', ')}), which this server refuses (crypto.legacy=deny). Use aes128/aes192/aes256, sha256/sha384/sha512 and DH group 14 or higher.`,
    );
  }
}

/** Invariants for crypto that strongSwan can actually run (SW §4), plus the operator's legacy setting. */
export function checkIkeCrypto(p: IkeCrypto, legacy: LegacyCryptoMode): void {
  if (p.encryption.length === 0) throw invalidField('encryption', 'An IKE policy needs at least one encryption algorithm.');
  if (p.integrity.length === 0) throw invalidField('integrity', 'An IKE policy needs at least one authentication algorithm.');
  if (p.dhGroups.length === 0) throw invalidField('dhGroups', 'An IKE policy needs at least one DH group.');
  noDuplicates(p.encryption, 'encryption');
  noDuplicates(p.integrity, 'integrity');
  noDuplicates(p.dhGroups, 'dhGroups');
  if (p.ikeVersion === 1 && p.encryption.some(isAead)) {
    throw new DomainError('algorithm_combination', 'IKEv1 cannot use an AEAD (GCM/CCM) cipher for IKE.', { type: 'field', name: 'encryption' });
  }
  checkLifetime(p.lifetimeSeconds);
  checkLegacy('IKE policy', ikeWeakAlgorithms(p), legacy);
}

export function checkIpsecCrypto(p: IpsecCrypto, legacy: LegacyCryptoMode): void {
  if (p.encryption.length === 0) throw invalidField('encryption', 'An IPsec policy needs at least one encryption algorithm.');
  if (p.pfs.length === 0) throw invalidField('pfs', 'An IPsec policy needs at least one PFS entry (or none).');
  noDuplicates(p.encryption, 'encryption');
  noDuplicates(p.integrity, 'integrity');
  noDuplicates(p.pfs, 'pfs');
  if (p.encryption.some((c) => !isAead(c)) && p.integrity.length === 0) {
    throw new DomainError('algorithm_combination', 'A non-AEAD cipher needs an authentication algorithm.', { type: 'field', name: 'integrity' });
  }
  checkLifetime(p.lifetimeSeconds);
  checkLegacy('IPsec policy', ipsecWeakAlgorithms(p), legacy);
}

export function ikeWeakAlgorithms(p: Pick<IkeCrypto, 'encryption' | 'integrity' | 'dhGroups'>): string[] {
  return weakAlgorithms({ encryption: p.encryption, integrity: p.integrity, groups: p.dhGroups });
}

export function ipsecWeakAlgorithms(p: Pick<IpsecCrypto, 'encryption' | 'integrity' | 'pfs'>): string[] {
  return weakAlgorithms({ encryption: p.encryption, integrity: p.integrity, groups: p.pfs });
}

/** IKEv1 negotiates one proposal per algorithm combination; IBM allows only single-valued policies then. */
export function checkIkeV1Pairing(ike: IkeCrypto | undefined, ipsec: IpsecCrypto | undefined): void {
  if (!ike || ike.ikeVersion !== 1 || !ipsec) return;
  if (ipsec.encryption.length > 1 || ipsec.integrity.length > 1 || ipsec.pfs.length > 1) {
    throw new DomainError('algorithm_combination', 'A connection with an IKEv1 IKE policy needs an IPsec policy with one algorithm of each kind.', {
      type: 'field',
      name: 'ipsecPolicy',
    });
  }
}
