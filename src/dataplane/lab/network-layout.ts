import { parseCidr } from '../../domain/cidr.js';
import type { VpnGateway } from '../../domain/gateway.js';
import type { Subnet } from '../../domain/tenancy.js';

/** What the lab builds for one gateway: derived from the stored gateway, its VPC's subnets and the connections' CIDRs. */
export interface GatewayLayout {
  readonly gatewayId: string;
  readonly vpcId: string;
  /** Public addresses of the members that hold one. */
  readonly publicIps: readonly string[];
  /** The active member's private address and the prefix of its subnet. */
  readonly privateIp: string;
  readonly privatePrefix: number;
  readonly subnetId: string;
  /** Every subnet of the VPC: the VPC namespace holds the first host of each. */
  readonly vpcSubnets: readonly { id: string; cidr: string; router: string }[];
  /** Local CIDRs that contain none of the gateway's addresses: it needs one inside each (kernel-libipsec). */
  readonly extraLocalAddresses: readonly string[];
  /** Peer CIDRs the VPC routes via this gateway. */
  readonly peerRoutes: readonly string[];
}

const firstHost = (cidr: string): string => {
  const p = parseCidr(cidr);
  if (!p.ok) throw new Error(`bad CIDR ${cidr}`);
  const v = p.cidr.network + 1n;
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
};

const lastHost = (cidr: string): string => {
  const p = parseCidr(cidr);
  if (!p.ok) throw new Error(`bad CIDR ${cidr}`);
  const size = 1n << BigInt(32 - p.cidr.prefix);
  const v = p.cidr.network + (size > 2n ? size - 2n : 0n);
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
};

function containsAny(cidr: string, addresses: readonly string[]): boolean {
  const c = parseCidr(cidr);
  if (!c.ok) return false;
  return addresses.some((a) => {
    const p = parseCidr(`${a}/32`);
    return p.ok && (p.cidr.network >> BigInt(32 - c.cidr.prefix)) << BigInt(32 - c.cidr.prefix) === c.cidr.network;
  });
}

export function gatewayLayout(
  gw: VpnGateway,
  subnets: readonly Subnet[],
  conns: readonly { localCidrs: readonly string[]; peerCidrs: readonly string[] }[],
): GatewayLayout {
  const active = gw.members.find((m) => m.role === 'active') ?? gw.members[0]!;
  const subnet = subnets.find((s) => s.id === gw.subnetId);
  const own = [...gw.members.map((m) => m.privateIp.address), ...gw.members.flatMap((m) => (m.publicIp ? [m.publicIp] : []))];
  const locals = [...new Set(conns.flatMap((c) => c.localCidrs))];
  return {
    gatewayId: gw.id,
    vpcId: gw.vpcId,
    publicIps: gw.members.flatMap((m) => (m.publicIp ? [m.publicIp] : [])),
    privateIp: active.privateIp.address,
    privatePrefix: subnet ? Number(subnet.cidr.split('/')[1]) : 24,
    subnetId: gw.subnetId,
    vpcSubnets: subnets.map((s) => ({ id: s.id, cidr: s.cidr, router: firstHost(s.cidr) })),
    extraLocalAddresses: locals.filter((c) => !containsAny(c, own)).map(lastHost),
    peerRoutes: [...new Set(conns.flatMap((c) => c.peerCidrs))],
  };
}
