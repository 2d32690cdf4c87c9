import { cidrsOverlap, firstOverlap, firstSelfOverlap, isUnicastEndpoint, parseAddress, parseCidr, type Cidr } from './cidr.js';
import { DomainError, invalidField } from './errors.js';
import { isRestrictedAsn, MAX_ASN } from './gateway.js';
import type { AutoSet } from './proposals.js';
import type { LifecycleState, Reason } from './tenancy.js';

export const CONNECTION_KINDS = ['policy', 'route_static', 'route_bgp'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const ESTABLISH_MODES = ['bidirectional', 'peer_only'] as const;
export type EstablishMode = (typeof ESTABLISH_MODES)[number];

export const DPD_ACTIONS = ['restart', 'clear', 'hold', 'none', 'restart_by_peer'] as const;
export type DpdAction = (typeof DPD_ACTIONS)[number];

export interface Dpd {
  readonly action: DpdAction;
  /** Idle time before a probe. */
  readonly intervalSeconds: number;
  /** Total time without an answer before the peer counts as dead. */
  readonly timeoutSeconds: number;
}

/** Dead peer detection when a user gives none (IBM's default): restart, probe after 2 s idle, dead after 10 s. */
export const DEFAULT_DPD: Dpd = { action: 'restart', intervalSeconds: 2, timeoutSeconds: 10 };

export const IDENTITY_TYPES = ['ipv4', 'ipv6', 'fqdn', 'hostname', 'key_id'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];
export interface IkeIdentity {
  readonly type: IdentityType;
  readonly value: string;
}

/** The remote device: exactly one of address or fqdn. */
export interface PeerEndpoint {
  readonly address?: string;
  readonly fqdn?: string;
  readonly asn?: number;
}

export interface Tunnel {
  readonly memberIndex: 1 | 2;
  readonly interfaceIp: string | null;
  readonly neighborIp: string | null;
}

export interface Connection {
  readonly id: string;
  readonly accountId: string;
  readonly gatewayId: string;
  readonly name: string;
  readonly kind: ConnectionKind;
  readonly adminStateUp: boolean;
  readonly establishMode: EstablishMode;
  /** A secret: encrypted at rest, never logged. */
  readonly psk: string;
  readonly peer: PeerEndpoint;
  /** null = derived from the peer endpoint. */
  readonly peerIdentity: IkeIdentity | null;
  readonly localIdentities: readonly IkeIdentity[];
  readonly localCidrs: readonly string[];
  readonly peerCidrs: readonly string[];
  /** null = auto-negotiation. */
  readonly ikePolicyId: string | null;
  readonly ipsecPolicyId: string | null;
  readonly autoSet: AutoSet;
  readonly dpd: Dpd;
  readonly distributeTraffic: boolean;
  readonly tunnels: readonly Tunnel[];
  /** The one gateway member this connection runs on (Huawei's `vgw_ip`); null = every member its kind uses. */
  readonly pinnedMember: 1 | 2 | null;
  /** Only the data plane sets these. */
  readonly status: 'up' | 'down';
  readonly statusReasons: readonly Reason[];
  /**
   * The gateway members whose tunnel had an installed CHILD_SA in the data plane's last report
   * (ascending); null = not reported (no data plane, or an agent that does not say). Only the data plane sets it.
   */
  readonly tunnelsUp: readonly (1 | 2)[] | null;
  readonly lifecycleState: LifecycleState;
  /** When the data plane first saw it up (ms); null until then. Only the data plane sets it. */
  readonly firstUpAt: number | null;
  /** Counts resets: a reset re-initiates the tunnel (the IKE_SA is replaced) without changing its configuration. */
  readonly resets: number;
  /** Counts configuration writes only, so status changes never invalidate an ETag. */
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const FQDN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isFqdn(v: string): boolean {
  return FQDN.test(v) && !/^[0-9.]+$/.test(v);
}

export function checkIdentity(id: IkeIdentity, field: string): void {
  const ok =
    id.type === 'ipv4'
      ? parseAddress(id.value)?.family === 4
      : id.type === 'ipv6'
        ? parseAddress(id.value)?.family === 6
        : id.type === 'fqdn' || id.type === 'hostname'
          ? isFqdn(id.value)
          : id.value.length > 0 && id.value.length <= 344 && BASE64.test(id.value);
  if (!ok) throw invalidField(field, `The ${id.type} identity value '${id.value}' is not valid.`, id.value);
}

export function checkPeerEndpoint(p: PeerEndpoint, field: string): void {
  if ((p.address === undefined) === (p.fqdn === undefined)) {
    throw invalidField(field, 'The peer needs exactly one of address or fqdn.');
  }
  if (p.address !== undefined && !isUnicastEndpoint(p.address)) {
    throw invalidField(`${field}.address`, `The peer address '${p.address}' must be a unicast IP address.`, p.address);
  }
  if (p.fqdn !== undefined && !isFqdn(p.fqdn)) {
    throw invalidField(`${field}.fqdn`, `The peer FQDN '${p.fqdn}' is not a valid domain name.`, p.fqdn);
  }
  if (p.asn !== undefined && (!Number.isInteger(p.asn) || p.asn < 1 || p.asn > MAX_ASN)) {
    throw invalidField(`${field}.asn`, `The ASN must be between 1 and ${MAX_ASN}.`, p.asn);
  }
  if (p.asn !== undefined && isRestrictedAsn(p.asn)) throw invalidField(`${field}.asn`, `ASN ${p.asn} is reserved and cannot be used.`, p.asn);
}

/** Parses a list of canonical CIDRs; host bits set, duplicates and bad syntax are refused. */
export function parseCidrList(list: readonly string[], field: string): Cidr[] {
  const out: Cidr[] = [];
  for (const text of list) {
    const r = parseCidr(text);
    if (!r.ok) throw invalidField(field, `'${text}' is not a valid CIDR: it ${r.reason}.`, text);
    if (r.hostBitsSet) throw invalidField(field, `'${text}' has host bits set; did you mean '${r.cidr.text}'?`, text);
    if (out.some((c) => c.text === r.cidr.text)) throw invalidField(field, `'${text}' is listed twice.`, text);
    out.push(r.cidr);
  }
  return out;
}

/** The CIDR invariants of a policy connection (domain §9.5). */
export function checkSelectors(localCidrs: readonly string[], peerCidrs: readonly string[]): void {
  const local = parseCidrList(localCidrs, 'localCidrs');
  const peer = parseCidrList(peerCidrs, 'peerCidrs');
  const families = new Set([...local, ...peer].map((c) => c.family));
  if (families.size > 1) throw invalidField('cidrs', 'Local and peer CIDRs must all be of one address family.');
  const cross = firstOverlap(local, peer);
  if (cross) {
    throw new DomainError('cidr_overlap', `Local CIDR ${cross[0].text} overlaps peer CIDR ${cross[1].text}; local and peer ranges must not overlap.`, {
      type: 'field',
      name: 'peerCidrs',
      value: cross[1].text,
    });
  }
  const self = firstSelfOverlap(peer);
  if (self) {
    throw new DomainError('cidr_overlap', `Peer CIDRs ${self[0].text} and ${self[1].text} overlap; peer ranges must not overlap each other.`, {
      type: 'field',
      name: 'peerCidrs',
      value: self[1].text,
    });
  }
}

/** Longest DPD interval or timeout stored (one day): longer ones detect nothing, and charon keeps them in 32 bits. */
export const MAX_DPD_SECONDS = 86_400;

export function checkDpd(d: Dpd): void {
  const min = d.action === 'none' ? 0 : 1;
  for (const [what, v] of [
    ['interval', d.intervalSeconds],
    ['timeout', d.timeoutSeconds],
  ] as const) {
    if (!Number.isInteger(v) || v < min || v > MAX_DPD_SECONDS) {
      throw invalidField(`dpd.${what}Seconds`, `The DPD ${what} must be a whole number of seconds from ${min} to ${MAX_DPD_SECONDS}.`);
    }
  }
}

/** PSK: 1–255 bytes of opaque data with no NUL (sent raw over VICI). */
export function checkPsk(psk: string): void {
  const n = Buffer.byteLength(psk, 'utf8');
  if (n < 1 || n > 255 || psk.includes('\0')) throw invalidField('psk', 'The pre-shared key must be 1 to 255 bytes with no NUL character.');
}

function checkTunnelPair(t: Tunnel, i: number): Cidr {
  if (t.interfaceIp === null || t.neighborIp === null) {
    throw invalidField(`tunnels[${i}]`, 'Each BGP tunnel needs both a tunnel interface IP and a neighbor IP.');
  }
  const a = parseAddress(t.interfaceIp);
  const b = parseAddress(t.neighborIp);
  const net = parseCidr(`${t.interfaceIp}/30`);
  if (!a || !b || a.family !== 4 || b.family !== 4 || !net.ok) throw invalidField(`tunnels[${i}]`, 'Tunnel addresses must be IPv4 addresses.');
  const host = a.value - net.cidr.network;
  const peerHost = b.value - net.cidr.network;
  const same30 = b.value >= net.cidr.network && b.value <= net.cidr.network + 3n;
  if (!same30 || host === 0n || host === 3n || peerHost === 0n || peerHost === 3n || a.value === b.value) {
    throw invalidField(`tunnels[${i}]`, 'The tunnel interface IP and neighbor IP must be the two usable addresses of one /30.');
  }
  return net.cidr;
}

/** Structural invariants of a whole connection (domain §9.4–9.9). */
export function checkConnection(c: Connection): void {
  checkPsk(c.psk);
  checkPeerEndpoint(c.peer, 'peer');
  checkDpd(c.dpd);
  if (c.kind === 'policy') {
    if (c.localCidrs.length === 0) throw invalidField('localCidrs', 'A policy-based connection needs at least one local CIDR.');
    if (c.peerCidrs.length === 0) throw invalidField('peerCidrs', 'A policy-based connection needs at least one peer CIDR.');
    checkSelectors(c.localCidrs, c.peerCidrs);
    if (c.distributeTraffic)
      throw new DomainError('mode_mismatch', 'distribute_traffic applies to route-based connections only.', { type: 'field', name: 'distributeTraffic' });
    if (c.localIdentities.length > 1) throw invalidField('localIdentities', 'A policy-based connection takes at most one local IKE identity.');
  } else {
    if (c.localCidrs.length > 0 || c.peerCidrs.length > 0) {
      throw new DomainError('mode_mismatch', 'Route-based connections have no local or peer CIDRs; traffic follows routes.', { type: 'field', name: 'cidrs' });
    }
    if (c.localIdentities.length !== 0 && c.localIdentities.length !== 2) {
      throw invalidField('localIdentities', 'A route-based connection takes either no local IKE identities or exactly two, one per member.');
    }
  }
  if (c.kind === 'route_bgp') {
    if (c.peer.asn === undefined) throw invalidField('peer.asn', 'A BGP connection needs the peer ASN.');
    if (c.pinnedMember !== null) {
      // Pinned to one member: one tunnel, on that member.
      if (c.tunnels.length !== 1 || c.tunnels[0]!.memberIndex !== c.pinnedMember)
        throw invalidField('tunnels', `A BGP connection pinned to member ${c.pinnedMember} needs exactly one tunnel, on that member.`);
      checkTunnelPair(c.tunnels[0]!, 0);
    } else {
      if (c.tunnels.length !== 2) throw invalidField('tunnels', 'A BGP connection needs exactly two tunnels.');
      const nets = c.tunnels.map(checkTunnelPair);
      if (cidrsOverlap(nets[0]!, nets[1]!)) throw invalidField('tunnels', 'The two tunnels must use different /30 ranges.');
    }
  } else if (c.tunnels.length > 0) {
    throw new DomainError('mode_mismatch', 'tunnels apply only to connections with routing_protocol bgp.', { type: 'field', name: 'tunnels' });
  } else if (c.peer.asn !== undefined) {
    throw new DomainError('mode_mismatch', 'peer.asn applies only to connections with routing_protocol bgp.', { type: 'field', name: 'peer.asn' });
  }
  c.localIdentities.forEach((id, i) => checkIdentity(id, `localIdentities[${i}]`));
  if (c.peerIdentity) checkIdentity(c.peerIdentity, 'peerIdentity');
}
