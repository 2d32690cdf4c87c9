import { BoundedMemo } from '../../domain/bounded-memo.js';
import { parseCidr } from '../../domain/cidr.js';
import type { VpnGateway } from '../../domain/gateway.js';
import type { Subnet } from '../../domain/tenancy.js';

/** One member of a gateway as the lab builds it: its own namespace, public leg and private leg. */
export interface MemberLayout {
  readonly index: 1 | 2;
  /** The member's own address in the gateway's subnet (its private leg into the VPC namespace). */
  readonly privateIp: string;
  /** The public addresses its public leg holds now: a policy gateway's one address sits on the active member only. */
  readonly publicIps: readonly string[];
  /** Cut by `lab member fail`: its links stay down and nothing is built into it until it recovers. */
  readonly cut: boolean;
}

/** What the lab builds for one gateway: derived from the stored gateway, its VPC's subnets and the connections' CIDRs. */
export interface GatewayLayout {
  readonly gatewayId: string;
  readonly vpcId: string;
  readonly members: readonly MemberLayout[];
  /** The private address the VPC routes the peer CIDRs via (the active member's). */
  readonly routeVia: string;
  readonly privatePrefix: number;
  readonly subnetId: string;
  /** Every subnet of the VPC: the VPC namespace holds the first host of each. */
  readonly vpcSubnets: readonly { id: string; cidr: string; router: string }[];
  /** Local CIDRs that contain none of the gateway's addresses: it needs one inside each (kernel-libipsec). */
  readonly extraLocalAddresses: readonly string[];
  /** Peer CIDRs the VPC routes via this gateway. */
  readonly peerRoutes: readonly string[];
}

/** One address of a CIDR, picked from its network and size, as text. */
const hostOf = (cidr: string, pick: (network: bigint, size: bigint) => bigint): string => {
  const p = parseCidr(cidr);
  if (!p.ok) throw new Error(`bad CIDR ${cidr}`);
  const v = pick(p.cidr.network, 1n << BigInt(32 - p.cidr.prefix));
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
};

/** Hosts by CIDR text: the same VPC's subnets and connections' CIDRs come back on every reconcile. */
const hosts = new BoundedMemo<string, string>(20_000);

const firstHost = (cidr: string): string => hosts.get(`first ${cidr}`, () => hostOf(cidr, (network) => network + 1n));
const lastHost = (cidr: string): string => hosts.get(`last ${cidr}`, () => hostOf(cidr, (network, size) => network + (size > 2n ? size - 2n : 0n)));

/** Whether the CIDR holds one of the addresses (already parsed). */
function containsAny(cidr: string, addresses: readonly bigint[]): boolean {
  const c = parseCidr(cidr);
  if (!c.ok) return false;
  const shift = BigInt(32 - c.cidr.prefix);
  return addresses.some((a) => (a >> shift) << shift === c.cidr.network);
}

/**
 * The layout of a gateway whose members run as the agent runs them: `active` holds a policy gateway's
 * public address and takes the VPC's routes (route mode: each member keeps its own address; the routes
 * go via the lowest live member); `cut` members are left as `lab member fail` left them.
 */
export function gatewayLayout(
  gw: VpnGateway,
  subnets: readonly Subnet[],
  conns: readonly { localCidrs: readonly string[]; peerCidrs: readonly string[] }[],
  run: { readonly active: 1 | 2; readonly cut: ReadonlySet<number> } = { active: activeIndexOf(gw), cut: new Set() },
): GatewayLayout {
  const subnet = subnets.find((s) => s.id === gw.subnetId);
  const own = [...gw.members.map((m) => m.privateIp.address), ...gw.members.flatMap((m) => (m.publicIp ? [m.publicIp] : []))].flatMap((a) => {
    const p = parseCidr(`${a}/32`);
    return p.ok ? [p.cidr.network] : [];
  });
  const locals = [...new Set(conns.flatMap((c) => c.localCidrs))];
  const shared = gw.members.flatMap((m) => (m.publicIp ? [m.publicIp] : []));
  const members = [...gw.members]
    .sort((a, b) => a.index - b.index)
    .map((m) => ({
      index: m.index,
      privateIp: m.privateIp.address,
      publicIps: gw.mode === 'policy' ? (m.index === run.active ? shared : []) : m.publicIp ? [m.publicIp] : [],
      cut: run.cut.has(m.index),
    }));
  const via = gw.mode === 'policy' ? members.find((m) => m.index === run.active) : (members.find((m) => !m.cut) ?? members[0]);
  return {
    gatewayId: gw.id,
    vpcId: gw.vpcId,
    members,
    routeVia: (via ?? members[0]!).privateIp,
    privatePrefix: subnet ? Number(subnet.cidr.split('/')[1]) : 24,
    subnetId: gw.subnetId,
    vpcSubnets: subnets.map((s) => ({ id: s.id, cidr: s.cidr, router: firstHost(s.cidr) })),
    extraLocalAddresses: locals.filter((c) => !containsAny(c, own)).map(lastHost),
    peerRoutes: [...new Set(conns.flatMap((c) => c.peerCidrs))],
  };
}

/** The member the store names active (the first when none is). */
export function activeIndexOf(gw: Pick<VpnGateway, 'members'>): 1 | 2 {
  return (gw.members.find((m) => m.role === 'active') ?? gw.members[0]!).index;
}
