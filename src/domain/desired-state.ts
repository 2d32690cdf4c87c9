import { contentHash } from './content-hash.js';
import type { Connection, ConnectionKind, DpdAction, EstablishMode } from './connection.js';
import { desiredConnection } from './desired-connection.js';
import type { PfsGroup } from './crypto-catalogue.js';
import type { VpnGateway } from './gateway.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';
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

/** The IKEv2 retransmit schedule whose give-up time is T: base 1, 5 tries, T/6 between sends. */
export function retransmitSchedule(timeoutSeconds: number): RetransmitSchedule {
  return { timeout: Math.round((timeoutSeconds / 6) * 1000) / 1000, base: 1, tries: 5 };
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
