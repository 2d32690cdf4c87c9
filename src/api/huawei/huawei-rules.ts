import { randomBytes } from 'node:crypto';
import type { Cipher, DhGroup, Integrity, PfsGroup } from '../../domain/crypto-catalogue.js';
import { DomainError } from '../../domain/errors.js';
import type { LifecycleState } from '../../domain/tenancy.js';

/**
 * Huawei Cloud VPN v5's own wire rules (fact sheet Part B), written once: name and PSK patterns,
 * enum spellings and the defaults of the inline IKE and IPsec policies.
 */

/** B1: 1–64 letters, digits, `_`, `-`, `.`. */
export const NAME_PATTERN = '^[A-Za-z0-9_.\\-]{1,64}$';
/** B5: 8–128 characters from letters, digits and `~!@#$%^*()-_+={ },./:;` (the "3 of 4 classes" rule is not enforced: seed 004's psk has two). */
export const PSK_PATTERN = '^[A-Za-z0-9~!@#$%^*()\\-_+={ },./:;]{8,128}$';
/** B3: max 50 local subnets; B5: max 50 peer subnets, 5 policy rules of up to 50 destinations. */
export const MAX_SUBNETS = 50;
export const MAX_POLICY_RULES = 5;
export const MAX_TAGS = 20;
/**
 * B5: peer subnets may not touch the VPC's reserved ranges (documented: 100.64.0.0/10, 214.0.0.0/8);
 * we add what can never be a routed customer subnet: 0/8, loopback, link-local (tunnel addresses),
 * class D and class E.
 */
export const RESERVED_PEER_SUBNETS = ['100.64.0.0/10', '214.0.0.0/8', '0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'] as const;
/** B5: route-based tunnel addresses are a /30 in 169.254.0.0/16, never in 169.254.195.0/24. */
export const TUNNEL_RANGE = '169.254.0.0/16';
export const TUNNEL_FORBIDDEN = '169.254.195.0/24';

/** Generated names (B1): `vpngw-xxxx`, `cgw-xxxx`, `vpn-xxxx`, four hex digits. */
export const generatedName = (prefix: 'vpngw' | 'cgw' | 'vpn'): string => `${prefix}-${randomBytes(2).toString('hex')}`;

/**
 * Runs `make` with the name sent or, when none was, a generated one; four hex digits collide (names
 * are unique per gateway or VPC), so a taken generated name is drawn again, a few times.
 */
export async function withName<T>(sent: string | undefined, prefix: 'vpngw' | 'cgw' | 'vpn', make: (name: string) => Promise<T>): Promise<T> {
  if (sent !== undefined) return make(sent);
  for (let attempt = 1; ; attempt++) {
    try {
      return await make(generatedName(prefix));
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'name_not_unique') || attempt >= 8) throw e;
    }
  }
}

export const STYLES = ['POLICY', 'STATIC', 'BGP'] as const;
export type Style = (typeof STYLES)[number];
export const HA_MODES = ['active-active', 'active-standby'] as const;
export const FLAVORS = ['Basic', 'Professional1', 'Professional2', 'Professional1-NonFixedIP', 'Professional2-NonFixedIP'] as const;

/** Huawei's algorithm spellings onto the domain catalogue. */
export const AUTH_ALGORITHMS: Readonly<Record<string, Integrity>> = {
  'sha2-512': 'sha512',
  'sha2-384': 'sha384',
  'sha2-256': 'sha256',
  sha1: 'sha1',
  md5: 'md5',
};
export const ENCRYPTION_ALGORITHMS: Readonly<Record<string, Cipher>> = {
  'aes-256-gcm-16': 'aes256gcm16',
  'aes-128-gcm-16': 'aes128gcm16',
  'aes-256': 'aes256',
  'aes-192': 'aes192',
  'aes-128': 'aes128',
  '3des': '3des',
};
export const DH_GROUPS: Readonly<Record<string, DhGroup>> = {
  group1: 1,
  group2: 2,
  group5: 5,
  group14: 14,
  group15: 15,
  group16: 16,
  group19: 19,
  group20: 20,
  group21: 21,
};
export const PFS_GROUPS: Readonly<Record<string, PfsGroup>> = { ...DH_GROUPS, disable: 'none' };
export const DPD_MSGS = ['seq-hash-notify', 'seq-notify-hash'] as const;

/** The spelling of a domain value: the key mapping onto it, or (a value Huawei cannot spell) the domain's own, in Huawei's pattern. */
export function spell<V>(table: Readonly<Record<string, V>>, v: V, fallback: (v: V) => string): string {
  return Object.entries(table).find(([, x]) => x === v)?.[0] ?? fallback(v);
}

/** B5: the inline policies' defaults. */
export const IKE_DEFAULTS = {
  ike_version: 'v2',
  phase1_negotiation_mode: 'main',
  authentication_algorithm: 'sha2-256',
  encryption_algorithm: 'aes-128',
  dh_group: 'group15',
  authentication_method: 'pre-share',
  lifetime_seconds: 86400,
  local_id_type: 'ip',
  peer_id_type: 'ip',
  dpd: { timeout: 15, interval: 30, msg: 'seq-hash-notify' },
} as const;
export const IPSEC_DEFAULTS = {
  authentication_algorithm: 'sha2-256',
  encryption_algorithm: 'aes-128',
  pfs: 'group15',
  transform_protocol: 'esp',
  lifetime_seconds: 3600,
  encapsulation_mode: 'tunnel',
} as const;
/** B5 ranges. */
export const IKE_LIFETIME = { minimum: 60, maximum: 604800 } as const;
export const IPSEC_LIFETIME = { minimum: 30, maximum: 604800 } as const;
export const DPD_TIMEOUT = { minimum: 2, maximum: 60 } as const;
export const DPD_INTERVAL = { minimum: 10, maximum: 3600 } as const;
/** B8: page sizes. */
export const CGW_PAGE = { default: 200, maximum: 200 } as const;
export const CONNECTION_PAGE = { default: 2000, maximum: 2000 } as const;
/** B3 defaults. */
export const GATEWAY_DEFAULTS = { bgp_asn: 64512, flavor: 'Professional1', ha_mode: 'active-active', network_type: 'public', attachment_type: 'vpc' } as const;
export const CGW_DEFAULT_ASN = 65000;

/**
 * B3/B5 status of an object in a lifecycle state: the pending states, then `settled` once the data plane
 * has it (ACTIVE for a gateway; ACTIVE or DOWN from the tunnel for a connection). A failure is a
 * gateway's FAULT and a connection's ERROR.
 */
export function lifecycleStatus(state: LifecycleState, failed: 'FAULT' | 'ERROR', settled: () => string): string {
  switch (state) {
    case 'pending':
      return 'PENDING_CREATE';
    case 'updating':
    case 'waiting':
      return 'PENDING_UPDATE';
    case 'deleting':
      return 'PENDING_DELETE';
    case 'failed':
      return failed;
    case 'suspended':
      return 'FREEZED';
    default:
      return settled();
  }
}
