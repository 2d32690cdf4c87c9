import type { Cipher, DhGroup, Integrity, PfsGroup } from '../../domain/crypto-catalogue.js';

/**
 * cloud.ca's own rules for a site-to-site VPN (seed 002), written once: the schemas and the mapper
 * read them. Domain rules (CIDR syntax, crypto strongSwan can run, lifetime bounds, quotas) are the
 * control plane's.
 */

/** `ipSecPsk`: "at least 10 alphanumeric characters" — read as letters and digits only (CloudStack refuses quotes and commas). */
export const PSK_PATTERN = '^[A-Za-z0-9]{10,255}$';
export const PSK_RULE = 'The IPSec pre-shared key must be 10 to 255 letters and digits (alphanumeric characters only).';

/** Names: unique in the environment (among its site-to-site VPNs). */
export const NAME_MAX = 100;

/** Lifetimes: CloudStack's bounds (both phases at most one day); the domain adds its own minimum. */
export const LIFETIME_MAX_SECONDS = 86_400;

/** What a VPC's auto-made VPN gateway is called, and the dialect that marks it. */
export const DIALECT = 'cloudca';
export const gatewayNameFor = (vpcName: string): string => `cloudca-${vpcName}`.slice(0, 63);

/** The DPD a `dpd: true` connection runs: CloudStack's strongSwan settings (dpddelay=30, dpdtimeout=120, restart). */
export const DPD_ON = { action: 'restart', intervalSeconds: 30, timeoutSeconds: 120 } as const;
export const DPD_OFF = { action: 'none', intervalSeconds: 0, timeoutSeconds: 0 } as const;

/** The IKE version cloud.ca connections run (CloudStack's default `ike` initiates IKEv2). */
export const IKE_VERSION = 2 as const;

/**
 * The algorithm vocabulary in both of its spellings: the documentation's text (`AES256`, `SHA1`,
 * `Group-5 (1536-bit)`) and its examples (`aes256`, `sha1`, `modp1536`). Keys are normalized
 * spellings (lower case, no spaces, no parenthesized note); values are the domain's names.
 */
export const CIPHER_SPELLINGS: Readonly<Record<string, Cipher>> = { aes128: 'aes128', aes192: 'aes192', aes256: 'aes256', '3des': '3des' };
export const HASH_SPELLINGS: Readonly<Record<string, Integrity>> = { sha1: 'sha1', md5: 'md5' };
export const GROUP_SPELLINGS: Readonly<Record<string, PfsGroup>> = {
  none: 'none',
  'group-2': 2,
  group2: 2,
  modp1024: 2,
  'group-5': 5,
  group5: 5,
  modp1536: 5,
};
/** `ikeDhGroup` when absent: Group-5, the seed's (IKE always needs a DH group). `espPerfectForwardSecrecy` when absent: none. */
export const DEFAULT_IKE_GROUP: DhGroup = 5;

/** How a value is looked up in the spellings above. */
export const normalizeSpelling = (v: string): string =>
  v
    .toLowerCase()
    .replace(/\(.*\)/g, '')
    .replace(/\s+/g, '');

/** The documented spellings, for messages and the schema's descriptions. */
export const CIPHER_TEXT = 'AES128, AES192, AES256 or 3DES (any case)';
export const HASH_TEXT = 'SHA1 or MD5 (any case)';
export const GROUP_TEXT = 'None, Group-2 (modp1024) or Group-5 (modp1536)';

/** cloud.ca states, from the tunnel (see sitetositevpn-mapper.ts). */
export const STATES = ['Connected', 'Pending', 'Disconnected', 'Error'] as const;
export type CloudcaState = (typeof STATES)[number];
