import type { Cipher, DhGroup, Integrity, PfsGroup } from '../../domain/crypto-catalogue.js';
import { MAX_LIFETIME_SECONDS, type IkePolicy, type IpsecPolicy } from '../../domain/policy.js';
import { badRequest, echo, invalidInput } from './neutron-errors.js';
import { type Body, checkKeys, ownerFields, str } from './neutron-request.js';
import type { IkePolicyWire, IpsecPolicyWire } from './vpn-policy-schema.js';

/**
 * Neutron's spellings of the domain's algorithm catalogue (A5, A6, A9) and the two policy views.
 * Neutron policies are single-valued: a field shows the first element of the domain's list, and
 * writing it replaces the list with that one value (domain-mapping D6).
 */
const AUTH: Record<string, Integrity> = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', 'aes-xcbc': 'aesxcbc', 'aes-cmac': 'aescmac' };
/** OTC's Neutron (seed 003) spells the SHA-2 family `sha2-256`… and adds md5; both spellings are accepted. */
const AUTH_SHA2: Record<string, Integrity> = { 'sha2-256': 'sha256', 'sha2-384': 'sha384', 'sha2-512': 'sha512', md5: 'md5' };
const AUTH_IN: Record<string, Integrity> = { ...AUTH, ...AUTH_SHA2 };

/** How the request spelled the authentication algorithm: answers use the same spelling. */
export type AuthSpelling = 'upstream' | 'sha2';

/** Neutron's extras on a policy: its description and the spelling its requests use. */
export interface PolicyExtras {
  readonly description: string;
  readonly authSpelling: AuthSpelling;
}
export const NO_POLICY_EXTRAS: PolicyExtras = { description: '', authSpelling: 'upstream' };

export function policyExtrasOf(x: Readonly<Record<string, unknown>> | undefined): PolicyExtras {
  return {
    description: typeof x?.['description'] === 'string' ? x['description'] : '',
    authSpelling: x?.['authSpelling'] === 'sha2' ? 'sha2' : 'upstream',
  };
}

function authOut(i: Integrity, spelling: AuthSpelling): string {
  if (spelling === 'sha2' || i === 'md5') {
    const hit = Object.entries(AUTH_SHA2).find(([, x]) => x === i);
    if (hit) return hit[0];
  }
  return reverse(AUTH, i);
}

/** The spelling of `auth_algorithm` in a body, if it sets one. */
function spellingOf(b: Body): AuthSpelling | undefined {
  const v = b['auth_algorithm'];
  if (typeof v !== 'string') return undefined;
  return /^sha2-/i.test(v) ? 'sha2' : AUTH[v.toLowerCase()] ? 'upstream' : undefined;
}
const ENC: Record<string, Cipher> = {
  '3des': '3des',
  'aes-128': 'aes128',
  'aes-192': 'aes192',
  'aes-256': 'aes256',
  'aes-128-ctr': 'aes128ctr',
  'aes-192-ctr': 'aes192ctr',
  'aes-256-ctr': 'aes256ctr',
  ...(Object.fromEntries(
    ['128', '192', '256'].flatMap((k) =>
      ['8', '12', '16'].flatMap((icv) => [
        [`aes-${k}-gcm-${icv}`, `aes${k}gcm${icv}`],
        [`aes-${k}-ccm-${icv}`, `aes${k}ccm${icv}`],
      ]),
    ),
  ) as Record<string, Cipher>),
};
const PFS_GROUPS = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31] as const;
const PFS: Record<string, DhGroup> = Object.fromEntries(PFS_GROUPS.map((g) => [`group${g}`, g]));

/** The spellings requests may use (documented by the body schemas). */
export const AUTH_VALUES = Object.keys(AUTH_IN);
export const ENCRYPTION_VALUES = Object.keys(ENC);
export const PFS_VALUES = Object.keys(PFS);

const reverse = <T>(m: Record<string, T>, v: T): string => Object.entries(m).find(([, x]) => x === v)?.[0] ?? String(v);

function oneOf<T>(b: Body, key: string, table: Record<string, T>): T | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  const hit = typeof v === 'string' ? table[v.toLowerCase()] : undefined;
  if (hit === undefined) throw invalidInput(key, `${echo(v)} is not in valid_values`);
  return hit;
}

function choice<T extends string>(b: Body, key: string, values: readonly T[]): T | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v.toLowerCase())) throw invalidInput(key, `${echo(v)} is not in valid_values`);
  return v.toLowerCase() as T;
}

/**
 * `lifetime: {units: seconds, value: N}`, merged into `current` (a PUT may send only `value`). The
 * value keeps the JSON type it was sent with, because Neutron echoes it back as given.
 */
export function lifetimeOf(b: Body, current: number): { seconds: number; echo: number | string } | undefined {
  const v = b['lifetime'];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidInput('lifetime', `'${echo(v)}' is not a dictionary`);
  const l = v as Record<string, unknown>;
  const extra = Object.keys(l).filter((k) => k !== 'units' && k !== 'value');
  if (extra.length > 0) throw invalidInput('lifetime', `Unexpected keys supplied: ${echo(extra.join(', '))}`);
  if (l['units'] !== undefined && l['units'] !== 'seconds') throw invalidInput('lifetime', `${echo(l['units'])} is not in valid_values`);
  if (l['value'] === undefined) return { seconds: current, echo: current };
  const raw = l['value'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n)) throw invalidInput('lifetime', `'${echo(raw)}' is not an integer`);
  if (n < 60) throw invalidInput('lifetime', `'${echo(raw)}' is too small - must be at least '60'`);
  if (n > MAX_LIFETIME_SECONDS) throw invalidInput('lifetime', `'${echo(raw)}' is too large - must be no larger than '${MAX_LIFETIME_SECONDS}'`);
  return { seconds: n, echo: typeof raw === 'string' ? raw : n };
}

export const IKE_FIELDS = [
  'name',
  'description',
  'auth_algorithm',
  'encryption_algorithm',
  'phase1_negotiation_mode',
  'ike_version',
  'pfs',
  'lifetime',
  'tenant_id',
  'project_id',
];
export const IPSEC_FIELDS = [
  'name',
  'description',
  'auth_algorithm',
  'encryption_algorithm',
  'encapsulation_mode',
  'transform_protocol',
  'pfs',
  'lifetime',
  'tenant_id',
  'project_id',
];
const READ_ONLY = ['id'];

/** IKE version 1 or 2 from Neutron's `v1`/`v2` (v1 by default, as Neutron). */
const ikeVersionOf = (v: 'v1' | 'v2' | undefined): 1 | 2 => (v === 'v2' ? 2 : 1);

/** The fields of an IKE policy body: defaults filled on create (sha1, aes-128, main, v1, group5, 3600 s). */
export function ikeFields(b: Body, method: 'POST' | 'PUT', cur?: IkePolicy) {
  checkKeys(b, method === 'POST' ? IKE_FIELDS : IKE_FIELDS.filter((k) => k !== 'tenant_id' && k !== 'project_id'), method, READ_ONLY);
  const integrity = oneOf(b, 'auth_algorithm', AUTH_IN);
  const encryption = oneOf(b, 'encryption_algorithm', ENC);
  const dh = oneOf(b, 'pfs', PFS);
  const version = choice(b, 'ike_version', ['v1', 'v2'] as const);
  const lifetime = lifetimeOf(b, cur?.lifetimeSeconds ?? 3600);
  const name = str(b, 'name');
  const description = str(b, 'description');
  const negotiationMode = choice(b, 'phase1_negotiation_mode', ['main', 'aggressive'] as const);
  return {
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(integrity !== undefined || !cur ? { integrity: [integrity ?? 'sha1'] as Integrity[] } : {}),
    ...(encryption !== undefined || !cur ? { encryption: [encryption ?? 'aes128'] as Cipher[] } : {}),
    ...(dh !== undefined || !cur ? { dhGroups: [dh ?? 5] as DhGroup[] } : {}),
    ...(version !== undefined || !cur ? { ikeVersion: ikeVersionOf(version) } : {}),
    ...(negotiationMode !== undefined || !cur ? { negotiationMode: negotiationMode ?? 'main' } : {}),
    ...(lifetime !== undefined || !cur ? { lifetimeSeconds: lifetime?.seconds ?? 3600 } : {}),
    lifetimeEcho: lifetime?.echo,
    spelling: spellingOf(b),
  };
}

/** The fields of an IPsec policy body: defaults filled on create (esp, sha1, aes-128, tunnel, group5, 3600 s). */
export function ipsecFields(b: Body, method: 'POST' | 'PUT', cur?: IpsecPolicy) {
  checkKeys(b, method === 'POST' ? IPSEC_FIELDS : IPSEC_FIELDS.filter((k) => k !== 'tenant_id' && k !== 'project_id'), method, READ_ONLY);
  const transform = choice(b, 'transform_protocol', ['esp', 'ah', 'ah-esp'] as const);
  if (transform !== undefined && transform !== 'esp')
    throw badRequest(`IPSec does not support IPsec Policy attribute transform_protocol with value '${transform}'`, 'IpsecValidationFailure');
  const mode = choice(b, 'encapsulation_mode', ['tunnel', 'transport'] as const);
  if (mode !== undefined && mode !== 'tunnel')
    throw badRequest(`IPSec does not support IPsec Policy attribute encapsulation_mode with value '${mode}'`, 'IpsecValidationFailure');
  const integrity = oneOf(b, 'auth_algorithm', AUTH_IN);
  const encryption = oneOf(b, 'encryption_algorithm', ENC);
  const pfs = oneOf(b, 'pfs', PFS);
  const lifetime = lifetimeOf(b, cur?.lifetimeSeconds ?? 3600);
  const name = str(b, 'name');
  const description = str(b, 'description');
  const enc = encryption ?? cur?.encryption[0] ?? 'aes128';
  const aead = /gcm|ccm/.test(enc);
  return {
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    // An AEAD cipher needs no separate integrity algorithm: Neutron's auth_algorithm is then ignored by strongSwan too.
    ...(integrity !== undefined || encryption !== undefined || !cur
      ? { integrity: aead ? [] : ([integrity ?? cur?.integrity[0] ?? 'sha1'] as Integrity[]) }
      : {}),
    ...(encryption !== undefined || !cur ? { encryption: [enc] as Cipher[] } : {}),
    ...(pfs !== undefined || !cur ? { pfs: [pfs ?? 5] as PfsGroup[] } : {}),
    ...(lifetime !== undefined || !cur ? { lifetimeSeconds: lifetime?.seconds ?? 3600 } : {}),
    lifetimeEcho: lifetime?.echo,
    spelling: spellingOf(b),
    /** Shown for AEAD policies, whose integrity list is empty. */
    authShown: integrity,
  };
}

export function ikeView(p: IkePolicy, x: PolicyExtras, lifetimeEcho?: number | string): IkePolicyWire {
  return {
    id: p.id,
    ...ownerFields(p.accountId),
    name: p.name,
    description: x.description,
    auth_algorithm: authOut(p.integrity[0] ?? 'sha1', x.authSpelling),
    encryption_algorithm: reverse(ENC, p.encryption[0] ?? 'aes128'),
    phase1_negotiation_mode: p.negotiationMode,
    ike_version: p.ikeVersion === 2 ? 'v2' : 'v1',
    pfs: `group${p.dhGroups[0] ?? 5}`,
    lifetime: { units: 'seconds', value: lifetimeEcho ?? p.lifetimeSeconds },
  };
}

export function ipsecView(p: IpsecPolicy, x: PolicyExtras, lifetimeEcho?: number | string): IpsecPolicyWire {
  const pfs = p.pfs[0] ?? 'none';
  return {
    id: p.id,
    ...ownerFields(p.accountId),
    name: p.name,
    description: x.description,
    transform_protocol: 'esp',
    encapsulation_mode: 'tunnel',
    auth_algorithm: authOut(p.integrity[0] ?? 'sha256', x.authSpelling),
    encryption_algorithm: reverse(ENC, p.encryption[0] ?? 'aes128'),
    pfs: pfs === 'none' ? 'group5' : `group${pfs}`,
    lifetime: { units: 'seconds', value: lifetimeEcho ?? p.lifetimeSeconds },
  };
}
