import { type Cipher, type DhGroup, DH_GROUPS, type Integrity, type PfsGroup, isAead } from './crypto-catalogue.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';
import { AUTO_PROPOSALS, type AutoSet } from './proposals.js';

/**
 * strongSwan proposal strings from the domain's ordered algorithm lists (domain §6, SW §4).
 * Pure: the same lists always give the same proposals, in the same order. `esn` is never emitted
 * (kernel-libipsec cannot install ESN SAs).
 */

/** The IKE side of a policy, as the builder needs it. */
export interface IkeProposalInput {
  readonly ikeVersion: 1 | 2;
  readonly encryption: readonly Cipher[];
  readonly integrity: readonly Integrity[];
  readonly dhGroups: readonly DhGroup[];
}

/** The ESP side of a policy, as the builder needs it. */
export interface EspProposalInput {
  readonly encryption: readonly Cipher[];
  readonly integrity: readonly Integrity[];
  readonly pfs: readonly PfsGroup[];
}

/** The crypto one connection negotiates: from its policies, or from its auto-negotiation set. */
export interface ProposalPlan {
  readonly ikeVersion: 1 | 2;
  /** IKEv1 Aggressive Mode (always false for IKEv2 and for auto-negotiation). */
  readonly aggressive: boolean;
  readonly ikeProposals: readonly string[];
  readonly espProposals: readonly string[];
  readonly ikeLifetimeSeconds: number;
  readonly espLifetimeSeconds: number;
  /** PFS entries in policy order; [`none`] = no PFS (always so for auto-negotiation). */
  readonly pfs: readonly PfsGroup[];
}

/** The strongSwan key-exchange keyword of an IANA DH group (19 → `ecp256`, 31 → `curve25519`). */
export function dhKeyword(group: DhGroup): string {
  return DH_GROUPS[group];
}

/** The PRF keyword derived from an integrity algorithm (`sha256` → `prfsha256`). */
export function prfKeyword(integrity: Integrity): string {
  return `prf${integrity}`;
}

const join = (parts: readonly string[]): string => parts.join('-');

function product<T, U>(xs: readonly T[], ys: readonly U[]): [T, U][] {
  return xs.flatMap((x) => ys.map((y): [T, U] => [x, y]));
}

/**
 * IKE proposals. IKEv2: one classic proposal with every classic cipher, integrity and group, plus
 * one AEAD proposal (AEAD ciphers + `prf<integrity>` + groups) when an AEAD cipher is listed.
 * IKEv1: the cartesian product, one algorithm of each kind per proposal (IKEv1 keeps only the first
 * of each kind); AEAD ciphers are left out, IKEv1 cannot use them for IKE.
 */
export function ikeProposals(p: IkeProposalInput): string[] {
  const classic = p.encryption.filter((c) => !isAead(c));
  const aead = p.encryption.filter(isAead);
  const groups = p.dhGroups.map(dhKeyword);
  if (p.ikeVersion === 1) {
    return product(product(classic, p.integrity), groups).map(([[c, i], g]) => join([c, i, g]));
  }
  const out: string[] = [];
  if (classic.length > 0) out.push(join([...classic, ...p.integrity, ...groups]));
  if (aead.length > 0) out.push(join([...aead, ...p.integrity.map(prfKeyword), ...groups]));
  return out;
}

/**
 * ESP proposals. IKEv2: one classic proposal (ciphers + integrity) and one AEAD proposal (ciphers
 * only), repeated for each `pfs` entry in order, with that group appended (`none` = no group).
 * IKEv1 Quick Mode also keeps only the first algorithm of each kind, so there each proposal is one
 * cipher (+ one integrity unless AEAD) + the group, expanded as a cartesian product.
 */
export function espProposals(p: EspProposalInput, ikeVersion: 1 | 2 = 2): string[] {
  const classic = p.encryption.filter((c) => !isAead(c));
  const aead = p.encryption.filter(isAead);
  const suites: string[][] =
    ikeVersion === 1
      ? [...product(classic, p.integrity).map(([c, i]) => [c, i]), ...aead.map((c) => [c])]
      : [...(classic.length > 0 ? [[...classic, ...p.integrity]] : []), ...(aead.length > 0 ? [aead] : [])];
  return p.pfs.flatMap((g) => suites.map((s) => join(g === 'none' ? s : [...s, dhKeyword(g)])));
}

/** The IKE proposals of an auto-negotiation set (IKEv2). */
export function autoIkeProposals(set: AutoSet): string[] {
  return ikeProposals({ ikeVersion: 2, ...AUTO_PROPOSALS[set].ike });
}

/** The ESP proposals of an auto-negotiation set: no PFS, for the given IKE version. */
export function autoEspProposals(set: AutoSet, ikeVersion: 1 | 2 = 2): string[] {
  return espProposals({ ...AUTO_PROPOSALS[set].esp, pfs: ['none'] }, ikeVersion);
}

/**
 * Everything a connection negotiates. A missing IKE policy means the auto set's IKEv2 phase 1
 * (28800 s); a missing IPsec policy means the auto set's phase 2 without PFS (3600 s). The two
 * sides are independent (domain §6). ESP proposals follow the IKE version in use.
 */
export function proposalPlan(ike: IkePolicy | undefined, ipsec: IpsecPolicy | undefined, autoSet: AutoSet): ProposalPlan {
  const auto = AUTO_PROPOSALS[autoSet];
  const ikeVersion = ike ? ike.ikeVersion : 2;
  const esp: EspProposalInput = ipsec ?? { ...auto.esp, pfs: ['none'] };
  return {
    ikeVersion,
    aggressive: ike !== undefined && ike.ikeVersion === 1 && ike.negotiationMode === 'aggressive',
    ikeProposals: ike ? ikeProposals(ike) : autoIkeProposals(autoSet),
    espProposals: espProposals(esp, ikeVersion),
    ikeLifetimeSeconds: ike ? ike.lifetimeSeconds : auto.ike.lifetimeSeconds,
    espLifetimeSeconds: ipsec ? ipsec.lifetimeSeconds : auto.esp.lifetimeSeconds,
    pfs: [...esp.pfs],
  };
}
