import { randomInt } from 'node:crypto';
import type { ConnectionView } from '../../control/index.js';
import type { Connection, ConnectionKind, IkeIdentity } from '../../domain/connection.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import type { ConnectionWire } from './connection-schema.js';
import { eipId } from './gateway-mapper.js';
import { huaweiTime } from './huawei-deps.js';
import { IKE_DEFAULTS, lifecycleStatus, type Style } from './huawei-rules.js';
import { dpdWire, ikeWire, ipsecWire } from './policy-mapper.js';

/** Huawei's extras on a connection: what v5 shows that the domain does not hold. */
export interface ConnectionExtras {
  readonly vgwIp: string;
  readonly cgwId: string;
  /** STATIC and BGP: the customer subnets (routes, not traffic selectors, for a route-based connection). */
  readonly peerSubnets: readonly string[];
  /** POLICY: the rules as sent; the domain holds their union as local and peer CIDRs. */
  readonly policyRules: readonly { source: string; destination: readonly string[] }[] | null;
  /** POLICY without rules: the local side is the gateway's local_subnets, and follows them. */
  readonly followsGateway: boolean;
  readonly tunnelLocal: string | null;
  readonly tunnelPeer: string | null;
  readonly enableNqa: boolean;
  readonly haRole: string;
  readonly tags: readonly { key: string; value: string }[];
  readonly enterpriseProjectId: string;
  readonly dpdMsg: string;
}

export function connectionExtrasOf(x: Readonly<Record<string, unknown>> | undefined): Partial<ConnectionExtras> {
  return x ?? {};
}

/** The extras as written: the customer gateway is a reference (it cannot be deleted while used). */
export const connectionExtras = (x: ConnectionExtras) => ({
  dialect: 'huawei',
  data: { ...x },
  // A connection made in another dialect has no customer gateway until Huawei names one.
  refs: x.cgwId ? [{ resource: 'dialect_object', id: x.cgwId }] : [],
});

export const STYLE_KIND: Readonly<Record<Style, ConnectionKind>> = { POLICY: 'policy', STATIC: 'route_static', BGP: 'route_bgp' };
export const KIND_STYLE: Readonly<Record<ConnectionKind, Style>> = { policy: 'POLICY', route_static: 'STATIC', route_bgp: 'BGP' };

/** Huawei's id type of a stored identity; `fallback` when there is none (the id is then derived). */
export function idTypeOf(id: IkeIdentity | null | undefined, fallback: 'ip' | 'fqdn'): string {
  if (!id) return fallback;
  return id.type === 'ipv4' || id.type === 'ipv6' ? 'ip' : id.type === 'fqdn' || id.type === 'hostname' ? 'fqdn' : id.type;
}

/** The peer id type derived from the peer endpoint (the customer gateway's id). */
export const peerEndpointType = (c: Pick<Connection, 'peer'>): 'ip' | 'fqdn' => (c.peer.address !== undefined ? 'ip' : 'fqdn');

/** A free-looking /30 in 169.254.0.0/16 (not 169.254.195.x, B5): our address and the peer's. */
export function tunnelPair(): [string, string] {
  let third = randomInt(256);
  if (third === 195) third = 196;
  const base = randomInt(64) * 4;
  return [`169.254.${third}.${base + 1}/30`, `169.254.${third}.${base + 2}/30`];
}

/** B5 status from the domain's lifecycle and the observed SA state. */
export const connectionStatus = (c: Connection): string =>
  lifecycleStatus(c.lifecycleState, 'ERROR', () => (c.adminStateUp && c.status === 'up' ? 'ACTIVE' : 'DOWN'));

/** Policy rules: as sent when they still match the domain's CIDRs, else one rule per local CIDR. */
function rulesOf(c: Connection, x: Partial<ConnectionExtras>): { rule_index: number; source: string; destination: string[] }[] {
  const sent = x.policyRules ?? null;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v) => b.includes(v));
  if (sent && same([...new Set(sent.map((r) => r.source))], c.localCidrs) && same([...new Set(sent.flatMap((r) => r.destination))], c.peerCidrs))
    return sent.map((r, i) => ({ rule_index: i, source: r.source, destination: [...r.destination] }));
  return c.localCidrs.map((s, i) => ({ rule_index: i, source: s, destination: [...c.peerCidrs] }));
}

/** The gateway member a connection shows as its own (the pinned one, else the first with a public IP). */
export function pinnedMemberOf(v: ConnectionView): ConnectionView['gateway']['members'][number] | undefined {
  const pinned = v.connection.pinnedMember;
  return v.gateway.members.find((m) => m.index === (pinned ?? m.index) && m.publicIp !== null);
}

export function connectionView(v: ConnectionView, ike: IkePolicy | undefined, ipsec: IpsecPolicy | undefined, monitorId?: string): ConnectionWire {
  const c = v.connection;
  const x = connectionExtrasOf(v.extras);
  const style = KIND_STYLE[c.kind];
  const member = pinnedMemberOf(v);
  const bgpTunnel = style === 'BGP' ? c.tunnels[0] : undefined;
  const tunnels =
    style === 'STATIC' && x.tunnelLocal && x.tunnelPeer
      ? { tunnel_local_address: x.tunnelLocal, tunnel_peer_address: x.tunnelPeer }
      : bgpTunnel?.interfaceIp && bgpTunnel.neighborIp
        ? { tunnel_local_address: `${bgpTunnel.interfaceIp}/30`, tunnel_peer_address: `${bgpTunnel.neighborIp}/30` }
        : {};
  return {
    id: c.id,
    name: c.name,
    status: connectionStatus(c),
    vgw_id: c.gatewayId,
    vgw_ip: x.vgwIp ?? (member ? eipId(c.gatewayId, member.index) : ''),
    style,
    cgw_id: x.cgwId ?? '',
    peer_subnets: style === 'POLICY' ? [...c.peerCidrs] : [...(x.peerSubnets ?? [])],
    ...tunnels,
    enable_nqa: x.enableNqa ?? false,
    ...(style === 'POLICY' ? { policy_rules: rulesOf(c, x) } : {}),
    ikepolicy: {
      ...ikeWire(ike),
      authentication_method: IKE_DEFAULTS.authentication_method,
      // The id types are those of the stored identities, so show never disagrees with the ids.
      local_id_type: idTypeOf(c.localIdentities[0], 'ip'),
      local_id: c.localIdentities[0]?.value ?? member?.publicIp ?? '',
      peer_id_type: idTypeOf(c.peerIdentity, peerEndpointType(c)),
      peer_id: c.peerIdentity?.value ?? c.peer.address ?? c.peer.fqdn ?? '',
      dpd: dpdWire(c.dpd, x.dpdMsg),
    },
    ipsecpolicy: ipsecWire(ipsec),
    created_at: huaweiTime(c.createdAt),
    updated_at: huaweiTime(c.updatedAt),
    enterprise_project_id: x.enterpriseProjectId ?? '0',
    ...(monitorId ? { connection_monitor_id: monitorId } : {}),
    ha_role: x.haRole ?? 'master',
    tags: [...(x.tags ?? [])],
  };
}
