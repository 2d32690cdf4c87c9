import type { Cipher, DhGroup, Integrity } from './crypto-catalogue.js';
import { DEFAULT_LIFETIME_SECONDS } from './policy.js';

/**
 * Auto-negotiation: a connection with no IKE (or IPsec) policy uses a built-in proposal set.
 * `auto-2022-09` is IBM's current set and the default; `auto-2020` is the set of seed 000.
 * Both are IKEv2 only and use no PFS.
 */
export const AUTO_SETS = ['auto-2022-09', 'auto-2020'] as const;
export type AutoSet = (typeof AUTO_SETS)[number];
export const DEFAULT_AUTO_SET: AutoSet = 'auto-2022-09';

export interface AutoProposalSet {
  readonly ike: { encryption: readonly Cipher[]; integrity: readonly Integrity[]; dhGroups: readonly DhGroup[]; lifetimeSeconds: number };
  readonly esp: { encryption: readonly Cipher[]; integrity: readonly Integrity[]; lifetimeSeconds: number };
}

export const AUTO_PROPOSALS: Readonly<Record<AutoSet, AutoProposalSet>> = {
  'auto-2022-09': {
    ike: {
      encryption: ['aes128', 'aes192', 'aes256'],
      integrity: ['sha256', 'sha384', 'sha512'],
      dhGroups: [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 31],
      lifetimeSeconds: DEFAULT_LIFETIME_SECONDS.ike,
    },
    esp: {
      encryption: ['aes128', 'aes192', 'aes256', 'aes128gcm16', 'aes192gcm16', 'aes256gcm16'],
      integrity: ['sha256', 'sha384', 'sha512'],
      lifetimeSeconds: DEFAULT_LIFETIME_SECONDS.ipsec,
    },
  },
  'auto-2020': {
    ike: {
      encryption: ['aes128', 'aes256', '3des'],
      integrity: ['sha1', 'sha256', 'md5'],
      dhGroups: [2, 5, 14],
      lifetimeSeconds: DEFAULT_LIFETIME_SECONDS.ike,
    },
    esp: {
      encryption: ['aes128', 'aes256', '3des'],
      integrity: ['sha1', 'sha256', 'md5'],
      lifetimeSeconds: DEFAULT_LIFETIME_SECONDS.ipsec,
    },
  },
};
