import type { CidrSide, ControlPlane } from '../../control/index.js';
import { cidrContains, cidrsOverlap, formatAddress, parseAddress, parseCidr, parseStrictCidr } from '../../domain/cidr.js';
import { parseCidrList } from '../../domain/connection.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/tenancy.js';
import { ALL_ROWS, HUAWEI } from './huawei-deps.js';
import { invalid } from './huawei-errors.js';
import { RESERVED_PEER_SUBNETS, TUNNEL_FORBIDDEN, TUNNEL_RANGE } from './huawei-rules.js';

/** Canonical CIDRs of a list (host bits, duplicates and bad syntax refused as VPN.0001, naming the field). */
export function cidrsOf(list: readonly string[], field: string): string[] {
  try {
    return parseCidrList(list, field).map((c) => c.text);
  } catch (e) {
    if (DomainError.is(e)) throw invalid(`${field}: ${e.message}`);
    throw e;
  }
}

const RESERVED = RESERVED_PEER_SUBNETS.map((c) => parseStrictCidr(c)!);

/** Customer-side CIDRs (peer_subnets, policy_rules.destination): as cidrsOf, and none touching a reserved range (B5). */
export function peerCidrsOf(list: readonly string[], field: string): string[] {
  const out = cidrsOf(list, field);
  for (const text of out) {
    const c = parseStrictCidr(text)!;
    const r = RESERVED.find((x) => cidrsOverlap(x, c));
    if (r) throw invalid(`${field}: ${text} overlaps the reserved range ${r.text}`);
  }
  return out;
}

const TUNNEL_NET = parseStrictCidr(TUNNEL_RANGE)!;
const TUNNEL_NOT = parseStrictCidr(TUNNEL_FORBIDDEN)!;

/**
 * B5's route-based tunnel addresses: each `169.254.x.y/30` (not 169.254.195.x), both in the same /30,
 * each a host address of it (not its network or broadcast address), and not the same. Returns them canonical.
 */
export function tunnelAddressesOf(local: string, peer: string): [string, string] {
  const one = (text: string, field: string) => {
    const r = parseCidr(text);
    const addr = parseAddress(text.split('/')[0] ?? '');
    if (!r.ok || !addr || r.cidr.family !== 4 || r.cidr.prefix !== 30) throw invalid(`${field} '${text.slice(0, 64)}' is not an IPv4 address with a /30 mask`);
    if (!cidrContains(TUNNEL_NET, r.cidr)) throw invalid(`${field} ${text} is not in ${TUNNEL_RANGE}`);
    if (cidrContains(TUNNEL_NOT, r.cidr)) throw invalid(`${field} ${text} is in ${TUNNEL_FORBIDDEN}, which is reserved`);
    const host = addr.value - r.cidr.network;
    if (host === 0n || host === 3n) throw invalid(`${field} ${text} is the network or broadcast address of its /30, not a host address`);
    return { net: r.cidr.network, value: addr.value };
  };
  const l = one(local, 'tunnel_local_address');
  const p = one(peer, 'tunnel_peer_address');
  if (l.net !== p.net) throw invalid('tunnel_local_address and tunnel_peer_address must be in the same /30');
  if (l.value === p.value) throw invalid('tunnel_local_address and tunnel_peer_address must differ');
  return [`${formatAddress(l.value, 4)}/30`, `${formatAddress(p.value, 4)}/30`];
}

export const checkLocalSubnets = (list: readonly string[]): string[] => cidrsOf(list, 'local_subnets');

/** Replaces one side's CIDRs of a policy connection: adds first, so a side is never empty in between. */
export async function replaceCidrs(
  cp: ControlPlane,
  actor: Actor,
  gatewayId: string,
  id: string,
  side: CidrSide,
  from: readonly string[],
  to: readonly string[],
): Promise<void> {
  for (const c of to) if (!from.includes(c)) await cp.connections.cidr(actor, gatewayId, id, side, c, 'add');
  for (const c of from) if (!to.includes(c)) await cp.connections.cidr(actor, gatewayId, id, side, c, 'remove');
}

/** A gateway's policy connections whose local side follows its local_subnets (no policy_rules) take the new list. */
export async function refreshLocalCidrs(cp: ControlPlane, actor: Actor, gatewayId: string, local: readonly string[]): Promise<void> {
  const page = await cp.connections.list(actor, { gatewayId, kind: 'policy', live: true }, ALL_ROWS, { extras: HUAWEI });
  for (const v of page.items) {
    if (v.extras?.['followsGateway'] !== true) continue;
    await replaceCidrs(cp, actor, gatewayId, v.connection.id, 'local', v.connection.localCidrs, local);
  }
}
