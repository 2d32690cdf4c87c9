import type { Cipher, DhGroup, Integrity } from '../../domain/crypto-catalogue.js';
import { DomainError } from '../../domain/errors.js';
import type { PeerConfigFormat } from '../../domain/peer-config-formats.js';
import { type ProposalParts, singleSuites, type Suite } from './peer-view.js';

/**
 * The one table of how each vendor spells the catalogue's algorithms (src/domain/crypto-catalogue.ts).
 * Missing = the vendor cannot express it: rendering then fails with a 4xx naming the algorithm, never
 * a file that would not negotiate. Sources: each renderer's header cites its vendor's documentation;
 * libreswan's names were checked with its own `algparse` (4.10).
 */
export type Vendor = Exclude<PeerConfigFormat, 'swanctl'>;
type Kind = 'ikeCipher' | 'espCipher' | 'ikeIntegrity' | 'espIntegrity' | 'group' | 'ikev1Cipher' | 'ikev1Integrity';
type Names = { readonly label: string } & { readonly [K in Exclude<Kind, 'group'>]?: Partial<Record<Cipher | Integrity, string>> } & {
  readonly group: Partial<Record<DhGroup, string>>;
};

const groups = (list: readonly DhGroup[], prefix = ''): Partial<Record<DhGroup, string>> => Object.fromEntries(list.map((g) => [g, `${prefix}${g}`]));
const AES_CBC = { aes128: 'aes128', aes192: 'aes192', aes256: 'aes256', '3des': '3des' } as const;
const HASHES = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' } as const;
const DASHED_CBC = { aes128: 'aes-128-cbc', aes192: 'aes-192-cbc', aes256: 'aes-256-cbc' } as const;

const LIBRESWAN_CIPHERS = {
  ...AES_CBC,
  aes128ctr: 'aes_ctr128',
  aes192ctr: 'aes_ctr192',
  aes256ctr: 'aes_ctr256',
  ...Object.fromEntries(
    (['128', '192', '256'] as const).flatMap((k) => [
      [`aes${k}gcm16`, `aes_gcm${k}`],
      [`aes${k}gcm12`, `aes_gcm_b${k}`],
      [`aes${k}gcm8`, `aes_gcm_a${k}`],
    ]),
  ),
};

export const VENDOR_ALGORITHMS: Readonly<Record<Vendor, Names>> = {
  libreswan: {
    label: 'libreswan',
    ikeCipher: LIBRESWAN_CIPHERS,
    espCipher: {
      ...LIBRESWAN_CIPHERS,
      ...Object.fromEntries(
        (['128', '192', '256'] as const).flatMap((k) => [
          [`aes${k}ccm16`, `aes_ccm${k}`],
          [`aes${k}ccm12`, `aes_ccm_b${k}`],
          [`aes${k}ccm8`, `aes_ccm_a${k}`],
        ]),
      ),
    },
    ikeIntegrity: { md5: 'md5', sha1: 'sha1', sha256: 'sha2_256', sha384: 'sha2_384', sha512: 'sha2_512', aesxcbc: 'aes_xcbc' },
    espIntegrity: { md5: 'md5', sha1: 'sha1', sha256: 'sha2_256', sha384: 'sha2_384', sha512: 'sha2_512', aesxcbc: 'aes_xcbc', aescmac: 'aes_cmac' },
    group: groups([5, 14, 15, 16, 17, 18, 19, 20, 21, 31], 'dh'),
  },
  'cisco-ios': {
    label: 'Cisco IOS',
    ikeCipher: { aes128: 'aes-cbc-128', aes192: 'aes-cbc-192', aes256: 'aes-cbc-256', '3des': '3des', aes128gcm16: 'aes-gcm-128', aes256gcm16: 'aes-gcm-256' },
    ikev1Cipher: { aes128: 'aes', aes192: 'aes 192', aes256: 'aes 256', '3des': '3des' },
    ikeIntegrity: HASHES,
    ikev1Integrity: { ...HASHES, sha1: 'sha' },
    espCipher: {
      aes128: 'esp-aes 128',
      aes192: 'esp-aes 192',
      aes256: 'esp-aes 256',
      '3des': 'esp-3des',
      aes128gcm16: 'esp-gcm 128',
      aes256gcm16: 'esp-gcm 256',
    },
    espIntegrity: { md5: 'esp-md5-hmac', sha1: 'esp-sha-hmac', sha256: 'esp-sha256-hmac', sha384: 'esp-sha384-hmac', sha512: 'esp-sha512-hmac' },
    group: groups([1, 2, 5, 14, 15, 16, 19, 20, 21, 24]),
  },
  'juniper-srx': {
    label: 'Juniper SRX',
    ikeCipher: { ...DASHED_CBC, '3des': '3des-cbc', aes128gcm16: 'aes-128-gcm', aes256gcm16: 'aes-256-gcm' },
    espCipher: { ...DASHED_CBC, '3des': '3des-cbc', aes128gcm16: 'aes-128-gcm', aes192gcm16: 'aes-192-gcm', aes256gcm16: 'aes-256-gcm' },
    ikeIntegrity: { md5: 'md5', sha1: 'sha1', sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' },
    espIntegrity: { md5: 'hmac-md5-96', sha1: 'hmac-sha1-96', sha256: 'hmac-sha-256-128', sha384: 'hmac-sha-384', sha512: 'hmac-sha-512' },
    group: groups([1, 2, 5, 14, 15, 16, 19, 20, 21, 24], 'group'),
  },
  fortigate: {
    label: 'FortiGate',
    ikeCipher: { ...AES_CBC, aes128gcm16: 'aes128gcm', aes256gcm16: 'aes256gcm' },
    espCipher: { ...AES_CBC, aes128gcm16: 'aes128gcm', aes256gcm16: 'aes256gcm' },
    ikeIntegrity: HASHES,
    espIntegrity: HASHES,
    group: groups([1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 27, 28, 29, 30, 31]),
  },
  paloalto: {
    label: 'Palo Alto PAN-OS',
    ikeCipher: { ...DASHED_CBC, '3des': '3des', aes128gcm16: 'aes-128-gcm', aes256gcm16: 'aes-256-gcm' },
    espCipher: { ...DASHED_CBC, '3des': '3des', aes128gcm16: 'aes-128-gcm', aes256gcm16: 'aes-256-gcm' },
    ikeIntegrity: HASHES,
    espIntegrity: HASHES,
    group: groups([1, 2, 5, 14, 15, 16, 19, 20, 21], 'group'),
  },
  pfsense: {
    label: 'pfSense',
    // `<name> <keylen>`: for AES-GCM pfSense's keylen is the ICV length in bits.
    ikeCipher: {
      aes128: 'aes 128',
      aes192: 'aes 192',
      aes256: 'aes 256',
      '3des': '3des',
      ...Object.fromEntries(
        (['128', '192', '256'] as const).flatMap((k) => [
          [`aes${k}gcm16`, `aes${k}gcm 128`],
          [`aes${k}gcm12`, `aes${k}gcm 96`],
          [`aes${k}gcm8`, `aes${k}gcm 64`],
        ]),
      ),
    },
    ikeIntegrity: { ...HASHES, aesxcbc: 'aesxcbc' },
    espIntegrity: { md5: 'hmac_md5', sha1: 'hmac_sha1', sha256: 'hmac_sha256', sha384: 'hmac_sha384', sha512: 'hmac_sha512', aesxcbc: 'aesxcbc' },
    group: groups([1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 28, 29, 30, 31]),
  },
};

const WHAT: Record<Kind, string> = {
  ikeCipher: 'IKE encryption algorithm',
  ikev1Cipher: 'IKEv1 encryption algorithm',
  espCipher: 'ESP encryption algorithm',
  ikeIntegrity: 'IKE authentication algorithm',
  ikev1Integrity: 'IKEv1 authentication algorithm',
  espIntegrity: 'ESP authentication algorithm',
  group: 'Diffie-Hellman group',
};

/** The vendor's name for an algorithm; `ikev1*` fall back to `ike*`, `espCipher` to `ikeCipher`. A 400 when it has none. */
export function spell(vendor: Vendor, kind: Kind, alg: Cipher | Integrity | DhGroup): string {
  const names = VENDOR_ALGORITHMS[vendor];
  const fallback: Partial<Record<Kind, Kind>> = { ikev1Cipher: 'ikeCipher', ikev1Integrity: 'ikeIntegrity', espCipher: 'ikeCipher' };
  const table = (kind === 'group' ? names.group : (names[kind] ?? names[fallback[kind] ?? kind])) as Partial<Record<string | number, string>> | undefined;
  const hit = table?.[alg];
  if (hit !== undefined) return hit;
  const shown = kind === 'group' ? `${alg}` : `'${alg}'`;
  throw new DomainError(
    'algorithm_combination',
    `${names.label} cannot express the ${WHAT[kind]} ${shown} this connection negotiates; download another format or change the connection's policies.`,
    { type: 'parameter', name: 'format', value: vendor },
  );
}

/** Whether the vendor can spell the algorithm. */
export function spellable(vendor: Vendor, kind: Kind, alg: Cipher | Integrity | DhGroup): boolean {
  try {
    spell(vendor, kind, alg);
    return true;
  } catch {
    return false;
  }
}

/**
 * The vendor's names for a list the gateway accepts any one of (an auto-negotiation set lists many):
 * what the vendor cannot spell is left out, since any one match negotiates; a list left empty is a 400.
 */
export function spellSome(vendor: Vendor, kind: Kind, algs: readonly (Cipher | Integrity | DhGroup)[]): string[] {
  const ok = algs.filter((a) => spellable(vendor, kind, a));
  if (ok.length === 0 && algs.length > 0) spell(vendor, kind, algs[0]!);
  return ok.map((a) => spell(vendor, kind, a));
}

/** The PSK as a vendor CLI line can carry it: printable, no spaces or quotes (IBM's PSK rule already ensures it). */
export function cliPsk(vendor: Vendor, psk: string): string {
  if (/^[\x21-\x7e]+$/.test(psk) && !/["'\\]/.test(psk)) return psk;
  throw new DomainError(
    'invalid_value',
    `${VENDOR_ALGORITHMS[vendor].label} cannot carry this pre-shared key in its configuration (spaces, quotes or non-ASCII); download format swanctl or libreswan.`,
    { type: 'parameter', name: 'format', value: vendor },
  );
}

/**
 * One algorithm of each kind per proposal (singleSuites), keeping the suites the vendor can spell
 * entirely: any one of them negotiates. None left is a 400 naming the first algorithm it cannot spell.
 */
export function spellableSuites(vendor: Vendor, phase: 'ike' | 'ikev1' | 'esp', ps: readonly ProposalParts[]): Suite[] {
  const [cipher, integ] =
    phase === 'esp'
      ? (['espCipher', 'espIntegrity'] as const)
      : phase === 'ikev1'
        ? (['ikev1Cipher', 'ikev1Integrity'] as const)
        : (['ikeCipher', 'ikeIntegrity'] as const);
  const all = singleSuites(ps);
  const ok = (s: Suite): boolean =>
    spellable(vendor, cipher, s.cipher) &&
    (s.integrity === null || spellable(vendor, integ, s.integrity)) &&
    (s.group === null || spellable(vendor, 'group', s.group));
  const kept = all.filter(ok);
  const first = all[0];
  if (kept.length === 0 && first) {
    spell(vendor, cipher, first.cipher);
    if (first.integrity) spell(vendor, integ, first.integrity);
    if (first.group) spell(vendor, 'group', first.group);
  }
  return kept;
}
