import type { StatusReasonCode } from '../domain/status-reasons.js';

/**
 * charon log lines (levels ≤ 1) → IBM status reason codes, per fact sheet §6. There is no structured
 * failure code in VICI 5.9.8, so this classifies by substring; the first rule that matches wins.
 */
const RULES: readonly [RegExp, StatusReasonCode][] = [
  [/no IKE config found|received proposals unacceptable|NO_PROPOSAL_CHOSEN notify error|IKE_SA_INIT.*N\(NO_PROP\)/, 'ike_policy_mismatch'],
  [
    /NO_PROPOSAL_CHOSEN notify, no CHILD_SA built|no acceptable proposal found|no matching proposal found|NO_PROPOSAL_CHOSEN error notify/,
    'ipsec_policy_mismatch',
  ],
  [
    /AUTHENTICATION_FAILED|MAC mismatched|no matching peer config found|no shared key found|Aggressive Mode PSK disabled|decryption failed\?/,
    'cannot_authenticate_connection',
  ],
  [/TS_UNACCEPTABLE|traffic selectors .* unacceptable/, 'ike_v2_local_remote_cidr_mismatch'],
  [/INVALID_ID_INFORMATION|no matching CHILD_SA config found/, 'ike_v1_id_local_remote_cidr_mismatch'],
  [/peer not responding|giving up after \d+ retransmits/, 'peer_not_responding'],
  [/error installing route|unable to install IPsec policies/, 'internal_error'],
  // The peer deleted an SA: its side was disabled or reset. A later attempt's failure replaces this reason.
  [/^received DELETE for (?:IKE_SA|\S+ CHILD_SA)/, 'peer_closed_tunnel'],
];

export function classifyLogLine(msg: string): StatusReasonCode | undefined {
  for (const [re, code] of RULES) if (re.test(msg)) return code;
  return undefined;
}

/** The connection id in one of our conn names (`cw-<uuid>`, `cw-<uuid>-t1`, `cw-<uuid>-2`). */
export function connectionIdOf(name: string): string | undefined {
  return /^cw-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(name)?.[1];
}
