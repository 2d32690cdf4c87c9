import { contentHash } from './content-hash.js';
import type { Connection, ConnectionKind, DpdAction, EstablishMode, IkeIdentity } from './connection.js';
import type { PfsGroup } from './crypto-catalogue.js';
import type { VpnGateway } from './gateway.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';
import { proposalPlan } from './proposal-builder.js';
import type { AutoSet } from './proposals.js';

/** One IKE session toward the peer: the policy kind has one, route kinds one per member with a public IP. */
export interface DesiredTunnel {
  readonly memberIndex: 1 | 2;
  /** The member's public IP: our IKE address. */
  readonly localAddress: string;
  /** Our IKE identity in strongSwan syntax. */
  readonly localId: string;
  /** route_bgp only: the tunnel interface address and the BGP neighbor (null otherwise). */
  readonly interfaceIp: string | null;
  readonly neighborIp: string | null;
}

/** DPD as charon runs it (domain §7 DPD table, SW §3.6). */
export interface DesiredDpd {
  /** The stored action (hold stays hold here; `dpdAction` is what runs). */
  readonly action: DpdAction;
  readonly dpdAction: 'restart' | 'clear';
  /** `dpd_delay`; 0 = no probing (action none). */
  readonly delaySeconds: number;
  /** Time without an answer before the peer counts as dead; 0 when there is no probing. */
  readonly timeoutSeconds: number;
  /** IKEv1: the conn's `dpd_timeout`. IKEv2: the charon instance's retransmit schedule (SW §5.5). */
  readonly timeoutVia: 'dpd_timeout' | 'retransmit';
}

/** Who starts the tunnel (domain §7 establish mode). */
export interface DesiredEstablish {
  readonly mode: EstablishMode;
  readonly startAction: 'start' | 'none';
  readonly closeAction: 'none';
  /** 0 = retry forever (bidirectional); 1 for a responder-only connection. */
  readonly keyingtries: number;
}

/** Everything the data plane needs for one connection; plain JSON data, no secrets left out. */
export interface DesiredConnection {
  readonly connectionId: string;
  readonly gatewayId: string;
  readonly accountId: string;
  /** The connection's configuration revision (not part of `hash`). */
  readonly revision: number;
  readonly kind: ConnectionKind;
  readonly adminStateUp: boolean;
  readonly ikePolicyId: string | null;
  readonly ipsecPolicyId: string | null;
  readonly autoSet: AutoSet;
  readonly ikeVersion: 1 | 2;
  readonly aggressive: boolean;
  readonly ikeProposals: readonly string[];
  readonly espProposals: readonly string[];
  /** IKE SA: rekey at 0.9·L, hard expiry after another 0.1·L (SW §3.7). */
  readonly ikeLifetime: { readonly lifetimeSeconds: number; readonly rekeySeconds: number; readonly overSeconds: number };
  /** CHILD SA: life_time = L, rekey_time = 0.9·L. */
  readonly espLifetime: { readonly lifetimeSeconds: number; readonly rekeySeconds: number };
  /** PFS entries in order; [`none`] = no PFS. */
  readonly pfs: readonly PfsGroup[];
  /** A secret: never log a DesiredConnection whole. */
  readonly psk: string;
  /** The peer's IP address or FQDN (charon resolves an FQDN). */
  readonly remoteAddress: string;
  readonly remoteId: string;
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
  readonly tunnels: readonly DesiredTunnel[];
  readonly dpd: DesiredDpd;
  readonly establish: DesiredEstablish;
  /** Resets asked for so far: a new count replaces the tunnel's SAs (see reset-connection.ts). */
  readonly resets: number;
  /** Stable content hash of every field above except `revision`: equal hash ⇒ nothing to reload. */
  readonly hash: string;
}

/** A connection with the policies it refers to (undefined = auto-negotiation for that phase). */
export interface ConnectionWithPolicies {
  readonly connection: Connection;
  readonly ikePolicy?: IkePolicy | undefined;
  readonly ipsecPolicy?: IpsecPolicy | undefined;
}

/** IKEv2 liveness for one charon instance: `charon.retransmit_timeout/_base/_tries` (SW §5.5). */
export interface RetransmitSchedule {
  readonly timeout: number;
  readonly base: number;
  readonly tries: number;
}

/** What one gateway's charon instance should hold. */
export interface DesiredGatewayState {
  readonly gatewayId: string;
  readonly revision: number;
  /** This gateway's connections that are not being deleted, ordered by id. */
  readonly connections: readonly DesiredConnection[];
  /**
   * From the admin-up IKEv2 connection whose DPD gives up soonest; null = keep charon's default. charon
   * probes after `interval` without a word from the peer and then retransmits, so the schedule lasts
   * timeout − interval (at least 1 s): the peer counts as dead `timeout` after it was last heard, as
   * IKEv1's `dpd_timeout` does.
   */
  readonly retransmit: RetransmitSchedule | null;
  /** An admin-up IKEv1 Aggressive Mode connection needs `i_dont_care_about_security_…_psk = yes` (SW §0.4). */
  readonly aggressivePsk: boolean;
  /** Hash over the connection hashes and the instance settings. */
  readonly hash: string;
}

/** An IKE identity in strongSwan syntax (SW §3.8): plain IPs, `@fqdn`, `keyid:#<hex>`. */
export function strongswanId(id: IkeIdentity): string {
  switch (id.type) {
    case 'ipv4':
    case 'ipv6':
      return id.value;
    case 'fqdn':
    case 'hostname':
      return `@${id.value}`;
    case 'key_id':
      return `keyid:#${Buffer.from(id.value, 'base64').toString('hex')}`;
  }
}

/** The peer identity when none is configured: its address, or `@fqdn`. */
function defaultPeerId(c: Connection): string {
  return c.peer.address ?? `@${c.peer.fqdn ?? ''}`;
}

const tenths = (seconds: number, n: number): number => Math.round((seconds * n) / 10);

/** The IKEv2 retransmit schedule whose give-up time is T: base 1, 5 tries, T/6 between sends. */
export function retransmitSchedule(timeoutSeconds: number): RetransmitSchedule {
  return { timeout: Math.round((timeoutSeconds / 6) * 1000) / 1000, base: 1, tries: 5 };
}

function tunnelsOf(gateway: VpnGateway, c: Connection): DesiredTunnel[] {
  const members = [...gateway.members].sort((a, b) => a.index - b.index);
  const used =
    c.pinnedMember !== null
      ? members.filter((m) => m.index === c.pinnedMember)
      : c.kind === 'policy'
        ? members.filter((m) => m.role === 'active').slice(0, 1)
        : members;
  return used.flatMap((m) => {
    if (m.publicIp === null) return [];
    const identity = c.kind === 'policy' ? c.localIdentities[0] : c.localIdentities[m.index - 1];
    const t = c.tunnels.find((x) => x.memberIndex === m.index);
    return [
      {
        memberIndex: m.index,
        localAddress: m.publicIp,
        localId: identity ? strongswanId(identity) : m.publicIp,
        interfaceIp: t?.interfaceIp ?? null,
        neighborIp: t?.neighborIp ?? null,
      },
    ];
  });
}

function dpdOf(c: Connection, ikeVersion: 1 | 2): DesiredDpd {
  const probing = c.dpd.action !== 'none';
  const restarts = (c.dpd.action === 'restart' || c.dpd.action === 'hold') && c.establishMode === 'bidirectional';
  return {
    action: c.dpd.action,
    dpdAction: restarts ? 'restart' : 'clear',
    delaySeconds: probing ? c.dpd.intervalSeconds : 0,
    timeoutSeconds: probing ? c.dpd.timeoutSeconds : 0,
    timeoutVia: ikeVersion === 1 ? 'dpd_timeout' : 'retransmit',
  };
}

/**
 * The desired data-plane state of one connection. `ikePolicy`/`ipsecPolicy` must be the policies
 * the connection refers to (undefined exactly when its reference is null = auto-negotiation).
 */
export function desiredConnection(
  gateway: VpnGateway,
  c: Connection,
  ikePolicy: IkePolicy | undefined,
  ipsecPolicy: IpsecPolicy | undefined,
): DesiredConnection {
  if (c.gatewayId !== gateway.id) throw new Error(`connection ${c.id} is not on gateway ${gateway.id}`);
  if ((c.ikePolicyId ?? undefined) !== ikePolicy?.id) throw new Error(`connection ${c.id}: IKE policy ${String(c.ikePolicyId)} not given`);
  if ((c.ipsecPolicyId ?? undefined) !== ipsecPolicy?.id) throw new Error(`connection ${c.id}: IPsec policy ${String(c.ipsecPolicyId)} not given`);
  const plan = proposalPlan(ikePolicy, ipsecPolicy, c.autoSet);
  const tunnels = tunnelsOf(gateway, c);
  const anyRoute = tunnels[0]?.localAddress.includes(':') ? '::/0' : '0.0.0.0/0';
  const bidirectional = c.establishMode === 'bidirectional';
  const content: Omit<DesiredConnection, 'revision' | 'hash'> = {
    connectionId: c.id,
    gatewayId: c.gatewayId,
    accountId: c.accountId,
    kind: c.kind,
    adminStateUp: c.adminStateUp,
    ikePolicyId: c.ikePolicyId,
    ipsecPolicyId: c.ipsecPolicyId,
    autoSet: c.autoSet,
    ikeVersion: plan.ikeVersion,
    aggressive: plan.aggressive,
    ikeProposals: plan.ikeProposals,
    espProposals: plan.espProposals,
    ikeLifetime: {
      lifetimeSeconds: plan.ikeLifetimeSeconds,
      rekeySeconds: tenths(plan.ikeLifetimeSeconds, 9),
      overSeconds: plan.ikeLifetimeSeconds - tenths(plan.ikeLifetimeSeconds, 9),
    },
    espLifetime: { lifetimeSeconds: plan.espLifetimeSeconds, rekeySeconds: tenths(plan.espLifetimeSeconds, 9) },
    pfs: plan.pfs,
    psk: c.psk,
    remoteAddress: c.peer.address ?? c.peer.fqdn ?? '',
    remoteId: c.peerIdentity ? strongswanId(c.peerIdentity) : defaultPeerId(c),
    localTs: c.kind === 'policy' ? [...c.localCidrs] : [anyRoute],
    remoteTs: c.kind === 'policy' ? [...c.peerCidrs] : [anyRoute],
    tunnels,
    dpd: dpdOf(c, plan.ikeVersion),
    establish: {
      mode: c.establishMode,
      startAction: bidirectional ? 'start' : 'none',
      closeAction: 'none',
      keyingtries: bidirectional ? 0 : 1,
    },
    resets: c.resets,
  };
  return { ...content, revision: c.revision, hash: contentHash(content) };
}

/** The charon instance schedule for these connections (see DesiredGatewayState.retransmit); null = charon's default. */
export function retransmitFor(connections: readonly DesiredConnection[]): RetransmitSchedule | null {
  const timeouts = connections.filter((d) => d.ikeVersion === 2 && d.dpd.delaySeconds > 0).map((d) => Math.max(1, d.dpd.timeoutSeconds - d.dpd.delaySeconds));
  return timeouts.length > 0 ? retransmitSchedule(Math.min(...timeouts)) : null;
}

/**
 * The desired state of one gateway's charon instance, from its connections and their policies.
 * Connections of other gateways and connections being deleted are left out (the agent unloads them).
 */
export function desiredGatewayState(
  gateway: VpnGateway,
  items: readonly ConnectionWithPolicies[],
  /** Builds one connection's desired state: desiredConnection, or control/desired-memo.ts's, which reuses what it built before. */
  build: (gateway: VpnGateway, item: ConnectionWithPolicies) => DesiredConnection = (g, i) => desiredConnection(g, i.connection, i.ikePolicy, i.ipsecPolicy),
): DesiredGatewayState {
  const connections = items
    .filter((i) => i.connection.gatewayId === gateway.id && i.connection.lifecycleState !== 'deleting' && gateway.lifecycleState !== 'deleting')
    .map((i) => build(gateway, i))
    .sort((a, b) => (a.connectionId < b.connectionId ? -1 : a.connectionId > b.connectionId ? 1 : 0));
  const up = connections.filter((d) => d.adminStateUp && d.tunnels.length > 0);
  const retransmit = retransmitFor(up);
  const aggressivePsk = up.some((d) => d.aggressive);
  return {
    gatewayId: gateway.id,
    revision: gateway.revision,
    connections,
    retransmit,
    aggressivePsk,
    hash: contentHash({ connections: connections.map((d) => d.hash), retransmit, aggressivePsk }),
  };
}
