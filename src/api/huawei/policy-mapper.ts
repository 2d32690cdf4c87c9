import type { Static } from 'typebox';
import type { IkePolicyInput, IpsecPolicyInput } from '../../control/index.js';
import type { Dpd } from '../../domain/connection.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import type { ConnectionWire, IkePolicyIn, IpsecPolicyIn } from './connection-schema.js';
import { AUTH_ALGORITHMS, DH_GROUPS, ENCRYPTION_ALGORITHMS, IKE_DEFAULTS, IPSEC_DEFAULTS, PFS_GROUPS, spell } from './huawei-rules.js';

/** Huawei's inline `ikepolicy`/`ipsecpolicy` ↔ the domain's IKE and IPsec policies (B5). */

type IkeIn = Partial<Static<typeof IkePolicyIn>>;
type IpsecIn = Static<typeof IpsecPolicyIn>;

const auth = (s: string) => AUTH_ALGORITHMS[s]!;
const enc = (s: string) => ENCRYPTION_ALGORITHMS[s]!;
const isAead = (s: string) => s.includes('gcm');

/**
 * The IKE policy of a Huawei `ikepolicy`: each field sent in Huawei's spelling, each absent field kept
 * from `cur` (the stored policy, in the domain's own values: it may hold what Huawei cannot spell, a
 * policy made natively) or else Huawei's default.
 */
export function ikeInput(p: IkeIn | undefined, cur?: IkePolicy): Omit<IkePolicyInput, 'name' | 'accountId'> {
  const version = p?.ike_version ?? (cur ? (cur.ikeVersion === 1 ? 'v1' : 'v2') : IKE_DEFAULTS.ike_version);
  return {
    ikeVersion: version === 'v1' ? 1 : 2,
    negotiationMode: version === 'v1' && (p?.phase1_negotiation_mode ?? cur?.negotiationMode) === 'aggressive' ? 'aggressive' : 'main',
    encryption: p?.encryption_algorithm ? [enc(p.encryption_algorithm)] : (cur?.encryption ?? [enc(IKE_DEFAULTS.encryption_algorithm)]),
    integrity: p?.authentication_algorithm ? [auth(p.authentication_algorithm)] : (cur?.integrity ?? [auth(IKE_DEFAULTS.authentication_algorithm)]),
    dhGroups: p?.dh_group ? [DH_GROUPS[p.dh_group]!] : (cur?.dhGroups ?? [DH_GROUPS[IKE_DEFAULTS.dh_group]!]),
    lifetimeSeconds: p?.lifetime_seconds ?? cur?.lifetimeSeconds ?? IKE_DEFAULTS.lifetime_seconds,
  };
}

export function ipsecInput(p: IpsecIn | undefined, cur?: IpsecPolicy): Omit<IpsecPolicyInput, 'name' | 'accountId'> {
  const encryption = p?.encryption_algorithm ? [enc(p.encryption_algorithm)] : (cur?.encryption ?? [enc(IPSEC_DEFAULTS.encryption_algorithm)]);
  // An AEAD cipher carries its own integrity: Huawei's authentication_algorithm is then not used.
  const aead = encryption.every((e) => isAead(e));
  return {
    encryption,
    integrity: aead
      ? []
      : p?.authentication_algorithm
        ? [auth(p.authentication_algorithm)]
        : cur?.integrity.length
          ? cur.integrity
          : [auth(IPSEC_DEFAULTS.authentication_algorithm)],
    pfs: p?.pfs ? [PFS_GROUPS[p.pfs]!] : (cur?.pfs ?? [PFS_GROUPS[IPSEC_DEFAULTS.pfs]!]),
    lifetimeSeconds: p?.lifetime_seconds ?? cur?.lifetimeSeconds ?? IPSEC_DEFAULTS.lifetime_seconds,
  };
}

/**
 * Huawei's DPD (`interval` idle seconds before a probe, `timeout` seconds of retransmission after
 * it) as the domain's: probe after `interval`, dead after `interval + timeout` without an answer.
 */
export function dpdIn(d: { timeout?: number; interval?: number } | undefined, cur?: Dpd): Dpd {
  const wire = cur ? dpdWire(cur) : IKE_DEFAULTS.dpd;
  const interval = d?.interval ?? wire.interval;
  return { action: 'restart', intervalSeconds: interval, timeoutSeconds: interval + (d?.timeout ?? wire.timeout) };
}

export function dpdWire(d: Dpd, msg: string = IKE_DEFAULTS.dpd.msg): ConnectionWire['ikepolicy']['dpd'] {
  return { interval: d.intervalSeconds, timeout: Math.max(0, d.timeoutSeconds - d.intervalSeconds), msg };
}

type IkeWire = Omit<ConnectionWire['ikepolicy'], 'dpd' | 'local_id' | 'peer_id' | 'local_id_type' | 'peer_id_type' | 'authentication_method'>;
type IpsecWire = ConnectionWire['ipsecpolicy'];

/** A stored IKE policy in Huawei's spelling; a value Huawei has no name for is shown as the domain's. */
export function ikeWire(p: IkePolicy | undefined): IkeWire {
  if (!p) return { ...IKE_DEFAULTS };
  return {
    ike_version: `v${p.ikeVersion}`,
    phase1_negotiation_mode: p.negotiationMode,
    authentication_algorithm: spell(AUTH_ALGORITHMS, p.integrity[0], String),
    encryption_algorithm: spell(ENCRYPTION_ALGORITHMS, p.encryption[0], String),
    dh_group: spell(DH_GROUPS, p.dhGroups[0], (g) => `group${String(g)}`),
    lifetime_seconds: p.lifetimeSeconds,
  };
}

export function ipsecWire(p: IpsecPolicy | undefined): IpsecWire {
  if (!p) return { ...IPSEC_DEFAULTS };
  return {
    authentication_algorithm: p.integrity[0] ? spell(AUTH_ALGORITHMS, p.integrity[0], String) : IPSEC_DEFAULTS.authentication_algorithm,
    encryption_algorithm: spell(ENCRYPTION_ALGORITHMS, p.encryption[0], String),
    pfs: spell(PFS_GROUPS, p.pfs[0], (g) => (g === 'none' ? 'disable' : `group${String(g)}`)),
    transform_protocol: 'esp',
    lifetime_seconds: p.lifetimeSeconds,
    encapsulation_mode: 'tunnel',
  };
}
