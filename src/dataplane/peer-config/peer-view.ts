import { CIPHERS, type Cipher, DH_GROUPS, type DhGroup, INTEGRITY_ALGORITHMS, type Integrity, isAead, type PfsGroup } from '../../domain/crypto-catalogue.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { DomainError } from '../../domain/errors.js';
import { ikeConnName, selectorPairs } from '../strongswan/conn-translator.js';
import { mirrorForPeer } from '../strongswan/peer-config.js';

/**
 * The peer's side of a connection in vendor-neutral terms, for the vendor renderers: our connection
 * mirrored (mirrorForPeer: the peer's own address, identity and CIDRs are "local"), with the
 * strongSwan proposal strings read back into the catalogue's algorithms. Pure.
 */

/** One proposal: every algorithm of each kind it lists, in preference order. */
export interface ProposalParts {
  readonly encryption: readonly Cipher[];
  readonly integrity: readonly Integrity[];
  /** IKEv2 AEAD proposals name the PRF instead of an integrity algorithm (`prfsha256` → sha256). */
  readonly prf: readonly Integrity[];
  readonly groups: readonly DhGroup[];
}

/** An IKE identity: an address, a host name (`@fqdn`), or a key id (raw bytes as hex). */
export interface PeerIdentity {
  readonly type: 'address' | 'fqdn' | 'keyid';
  readonly value: string;
}

export interface PeerTunnel {
  /** `cw-<id>` (policy) or `cw-<id>-t<member>`: the name used for every object of this tunnel. */
  readonly name: string;
  /** `cw-<8 hex>` or `cw-<8 hex>-t<member>`: short enough for every vendor's object names (FortiGate: 15). */
  readonly shortName: string;
  /** 1 or 2: the gateway member (route kinds number their tunnel interfaces by it). */
  readonly memberIndex: number;
  /** The peer device's own address; `%any` when the connection knows the peer by FQDN. */
  readonly localAddress: string;
  readonly localId: PeerIdentity;
  /** The gateway member's public IP. */
  readonly remoteAddress: string;
  readonly remoteId: PeerIdentity;
}

export interface PeerView {
  readonly connectionId: string;
  readonly routeBased: boolean;
  readonly ikeVersion: 1 | 2;
  readonly aggressive: boolean;
  readonly ike: readonly ProposalParts[];
  /** ESP proposals without their PFS group (one per suite); `pfs` says which groups go with them. */
  readonly esp: readonly ProposalParts[];
  /** PFS groups in order; empty = no PFS. */
  readonly pfs: readonly DhGroup[];
  readonly ikeLifetimeSeconds: number;
  readonly espLifetimeSeconds: number;
  /** DPD probe interval and give-up time (0/0 = no DPD). */
  readonly dpd: { readonly delaySeconds: number; readonly timeoutSeconds: number };
  /** The peer's CIDRs (our peer CIDRs) and the gateway's (our local CIDRs); 0.0.0.0/0 for route kinds. */
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
  /** Selector pairs as the gateway negotiates them: IKEv2 one pair of lists, IKEv1 one per (local, remote). */
  readonly pairs: readonly { readonly local: readonly string[]; readonly remote: readonly string[] }[];
  readonly tunnels: readonly PeerTunnel[];
  /** A secret: only the rendered file for the owner carries it. */
  readonly psk: string;
}

const GROUP_BY_KEYWORD = new Map<string, DhGroup>(Object.entries(DH_GROUPS).map(([n, k]) => [k, Number(n) as DhGroup]));

/** A strongSwan proposal (`aes256-sha256-modp2048`, `aes256gcm16-prfsha384-ecp384`) as its algorithms. */
export function parseProposal(text: string): ProposalParts {
  const out = { encryption: [] as Cipher[], integrity: [] as Integrity[], prf: [] as Integrity[], groups: [] as DhGroup[] };
  for (const token of text.split('-')) {
    const group = GROUP_BY_KEYWORD.get(token);
    if ((CIPHERS as readonly string[]).includes(token)) out.encryption.push(token as Cipher);
    else if ((INTEGRITY_ALGORITHMS as readonly string[]).includes(token)) out.integrity.push(token as Integrity);
    else if (token.startsWith('prf') && (INTEGRITY_ALGORITHMS as readonly string[]).includes(token.slice(3))) out.prf.push(token.slice(3) as Integrity);
    else if (group !== undefined) out.groups.push(group);
    else throw new Error(`unknown algorithm '${token}' in proposal '${text}'`);
  }
  return out;
}

/** An identity in strongSwan syntax (strongswanId) as a PeerIdentity. */
export function parseIdentity(id: string): PeerIdentity {
  if (id.startsWith('@')) return { type: 'fqdn', value: id.slice(1) };
  if (id.startsWith('keyid:#')) return { type: 'keyid', value: id.slice('keyid:#'.length) };
  return { type: 'address', value: id };
}

/** Proposals with the same algorithms once (ESP proposals repeat per PFS group). */
function distinct(ps: readonly ProposalParts[]): ProposalParts[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const key = JSON.stringify(p);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export function peerView(d: DesiredConnection): PeerView {
  const tunnels = d.tunnels.map((t): PeerTunnel => {
    const m = mirrorForPeer(d, t);
    const mine = m.tunnels[0]!;
    return {
      name: ikeConnName(d, t.memberIndex),
      shortName: `cw-${d.connectionId.slice(0, 8)}${d.kind === 'policy' ? '' : `-t${t.memberIndex}`}`,
      memberIndex: t.memberIndex,
      localAddress: mine.localAddress,
      localId: parseIdentity(mine.localId),
      remoteAddress: m.remoteAddress,
      remoteId: parseIdentity(m.remoteId),
    };
  });
  const esp = distinct(d.espProposals.map(parseProposal).map((p) => ({ ...p, groups: [] })));
  const pfs = d.pfs.filter((g: PfsGroup): g is DhGroup => g !== 'none');
  const localTs = [...d.remoteTs];
  const remoteTs = [...d.localTs];
  return {
    connectionId: d.connectionId,
    routeBased: d.kind !== 'policy',
    ikeVersion: d.ikeVersion,
    aggressive: d.aggressive,
    ike: d.ikeProposals.map(parseProposal),
    esp,
    pfs,
    ikeLifetimeSeconds: d.ikeLifetime.lifetimeSeconds,
    espLifetimeSeconds: d.espLifetime.lifetimeSeconds,
    dpd: { delaySeconds: d.dpd.delaySeconds, timeoutSeconds: d.dpd.timeoutSeconds },
    localTs,
    remoteTs,
    pairs: selectorPairs({ ikeVersion: d.ikeVersion, localTs, remoteTs }),
    tunnels,
    psk: d.psk,
  };
}

/** Whether a proposal is AEAD (GCM/CCM: no separate integrity). */
export const isAeadProposal = (p: ProposalParts): boolean => p.encryption.length > 0 && p.encryption.every(isAead);

/** One cipher, integrity (or PRF, for AEAD IKE) and group; null where the proposal has none. */
export interface Suite {
  readonly cipher: Cipher;
  readonly integrity: Integrity | null;
  readonly group: DhGroup | null;
}

/** One algorithm of each kind per proposal (vendors whose proposals hold one of each), in preference order. */
export function singleSuites(ps: readonly ProposalParts[]): Suite[] {
  const out: Suite[] = [];
  for (const p of ps) {
    const integ: readonly (Integrity | null)[] = isAeadProposal(p) ? (p.prf.length > 0 ? p.prf : [null]) : p.integrity;
    const groups: readonly (DhGroup | null)[] = p.groups.length > 0 ? p.groups : [null];
    for (const cipher of p.encryption) for (const integrity of integ) for (const group of groups) out.push({ cipher, integrity, group });
  }
  return out;
}

/** `10.1.0.0/24` → network and dotted mask (`255.255.255.0`) or wildcard (`0.0.0.255`), IPv4 only. */
export function ipv4Mask(cidr: string, wildcard = false): { network: string; mask: string; prefix: number } {
  const [network = '', bits = '32'] = cidr.split('/');
  if (network.includes(':'))
    throw new DomainError('invalid_value', `This format is rendered for IPv4 selectors only, not '${cidr}'; download format swanctl or libreswan.`, {
      type: 'parameter',
      name: 'format',
    });
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const value = wildcard ? ~mask >>> 0 : mask;
  return { network, prefix, mask: [24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.') };
}
