import type { Reason } from './tenancy.js';

/** Reason codes: IBM's set plus Causeway's own. Written once; dialects render them. */
export const STATUS_REASONS = {
  cannot_authenticate_connection: 'Failed to authenticate a connection because of mismatched IKE ID and PSK.',
  ike_policy_mismatch: 'Failed to negotiate the IKE (phase 1) proposal; check the IKE policies on both sides.',
  ike_v1_id_local_remote_cidr_mismatch: 'Invalid IKE ID or local/remote CIDRs on the IKEv1 peer.',
  ike_v2_local_remote_cidr_mismatch: 'The IKEv2 traffic selectors (local/remote CIDRs) do not match.',
  internal_error: 'An internal error occurred in the data plane.',
  ipsec_policy_mismatch: 'Failed to negotiate the IPsec (phase 2) proposal; check the IPsec policies on both sides.',
  peer_not_responding: 'The peer is not responding; check its address, its firewall (UDP 500/4500) and that it runs.',
  peer_closed_tunnel: 'The peer deleted the tunnel (its security associations): it was disabled, reset or restarted on the peer.',
  data_plane_not_attached: 'No data plane is attached to this server (--dataplane none), so no tunnel can come up.',
  weak_algorithm_in_use: 'The connection uses weak algorithms.',
  bgp_not_running: 'The connection is BGP-routed, but no BGP speaker runs on Causeway gateways yet: its tunnels are configured and no routes are exchanged.',
  route_tunnel_unavailable:
    'This route-based connection has no tunnel: a gateway member runs one route-based tunnel per peer address, and this one cannot have it.',
  tunnel_down: 'This tunnel has no IPsec SA installed on its gateway member; the connection is up through its other tunnel.',
  member_failed: 'A gateway member failed: its strongSwan is gone or its links are down.',
  peer_settings_shared:
    'Another connection to the same peer leads the IKE SA they share, so this connection uses its IKE (phase 1) settings and pre-shared key instead of its own.',
} as const;
export type StatusReasonCode = keyof typeof STATUS_REASONS;

/** A sentence without its closing period (and the blanks around it). */
const unstop = (s: string): string => s.trim().replace(/\.+$/, '');

/**
 * The reason: the registry's sentence, with a detail (charon's own line, the algorithms named) in
 * parentheses before its period: "…check the IKE policies on both sides (received proposals unacceptable)."
 */
export function reason(code: StatusReasonCode, detail?: string): Reason {
  const d = detail === undefined ? '' : unstop(detail);
  return { code, message: d ? `${unstop(STATUS_REASONS[code])} (${d}).` : STATUS_REASONS[code] };
}

/**
 * The reasons a connection shows: what the data plane reported, plus the advisories the control
 * plane knows by itself (no data plane; BGP that cannot run; weak algorithms, shown even when the tunnel is up).
 */
export function connectionReasons(
  reported: readonly Reason[],
  weak: readonly string[],
  dataplaneAttached: boolean,
  adminStateUp: boolean,
  bgp = false,
): Reason[] {
  const out = [...reported];
  if (bgp && adminStateUp) out.push(reason('bgp_not_running'));
  if (!dataplaneAttached && adminStateUp && !out.some((r) => r.code === 'data_plane_not_attached')) out.push(reason('data_plane_not_attached'));
  if (weak.length > 0) out.push(reason('weak_algorithm_in_use', [...new Set(weak)].join(', ')));
  return out;
}
