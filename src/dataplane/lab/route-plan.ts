import { createHash } from 'node:crypto';
import { parseAddress } from '../../domain/cidr.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { reason } from '../../domain/status-reasons.js';
import type { Reason } from '../../domain/tenancy.js';
import type { PlannedRoute } from '../../domain/vpc-route.js';

/**
 * Route mode, pure part: which kernel routes the VPC namespace and each member namespace should
 * hold for the gateway's VPC routes, given which tunnels are up. route-table-sync.ts applies them.
 */

/** One tunnel of a route-based connection: the connection's IKE_SA on one member. */
export interface TunnelState {
  readonly connectionId: string;
  readonly memberIndex: 1 | 2;
  /** Its CHILD_SA is installed (only up tunnels carry traffic). */
  readonly up: boolean;
}

/** A member's addresses: the public one its tunnels use, the private one the VPC routes via. */
export interface MemberAddresses {
  readonly index: 1 | 2;
  readonly publicIp: string | null;
  readonly privateIp: string;
}

/** A route in a namespace's table: `destination` via one next hop, or ECMP over several. */
export interface KernelRoute {
  readonly table: number;
  /** A CIDR, `0.0.0.0/0` for the default route. */
  readonly destination: string;
  /** IBM's route priority as the route metric: the lower wins. */
  readonly metric: number;
  /** Next hops, sorted; two or more make an ECMP route. None for a typed route. */
  readonly via: readonly string[];
  /** A route with no next hop: `blackhole` (IBM's drop) or `throw` (delegate: the lookup goes on to the VPC's own routes). */
  readonly type?: 'blackhole' | 'throw';
}

/** `from <subnet> lookup <table>`: the subnets whose traffic a routing table routes. */
export interface KernelRule {
  readonly table: number;
  readonly from: string;
}

export interface VpcRoutePlan {
  readonly routes: readonly KernelRoute[];
  readonly rules: readonly KernelRule[];
  /**
   * The typed routes in the namespace are left as they are, neither added nor removed: a gateway's
   * teardown (the VPC's other route gateways hold the same ones). Otherwise the plan has them all.
   */
  readonly leaveTyped?: boolean;
}

/** The kernel route type of IBM's actions without a next hop. */
const TYPE_OF = { drop: 'blackhole', delegate: 'throw', delegate_vpc: 'throw' } as const;

/** A route of a member namespace: `destination` to the tunnel namespaces of these connections (ECMP when several). */
export interface MemberRoute {
  readonly destination: string;
  readonly metric: number;
  readonly connectionIds: readonly string[];
}

/**
 * Kernel tables the VPC routing tables use in a VPC namespace: one per (routing table, zone), since a
 * route routes only its zone's subnets; 0x1000000 + 24 bits of the SHA-256 of `<table id>|<zone>`.
 * Two route gateways of one VPC in two zones so never share a kernel table or its rules.
 */
export const VPC_TABLE_BASE = 0x1000000;
export const VPC_TABLE_SPAN = 0x1000000;

export function vpcTableNumber(routingTableId: string, zone: string): number {
  return VPC_TABLE_BASE + (createHash('sha256').update(`${routingTableId}|${zone}`).digest().readUInt32BE(0) % VPC_TABLE_SPAN);
}

const ipValue = (ip: string): bigint => parseAddress(ip)?.value ?? 0n;
const byIp = (a: string, b: string): number => (ipValue(a) < ipValue(b) ? -1 : ipValue(a) > ipValue(b) ? 1 : 0);
const tunnelKey = (connectionId: string, memberIndex: number): string => `${connectionId}/${memberIndex}`;

/**
 * The VPC namespace's routes. For each `deliver` route, the members whose tunnel of the next-hop
 * connection is up count, ordered by public IP: with `distribute(connection)` and two or more, ECMP
 * over their private IPs; otherwise the one on the smallest public IP (primary; the other is the
 * fallback, used once the primary's tunnel is down). No up tunnel: no route. Routes with the same
 * table, destination and priority merge into one ECMP route. A `drop` route is a blackhole and a
 * `delegate` or `delegate_vpc` route a throw (to the VPC's own routes), whatever the tunnels; either
 * wins over deliver routes of the same destination and priority, and a drop over a delegate.
 */
export function vpcRoutePlan(
  routes: readonly PlannedRoute[],
  tunnels: readonly TunnelState[],
  members: readonly MemberAddresses[],
  distribute: (connectionId: string) => boolean,
): VpcRoutePlan {
  const up = new Set(tunnels.filter((t) => t.up).map((t) => tunnelKey(t.connectionId, t.memberIndex)));
  const merged = new Map<string, { table: number; destination: string; metric: number; via: Set<string> }>();
  const rules = new Map<string, KernelRule>();
  const typed = new Map<string, KernelRoute>();
  /** A deliver route's next hops: the members with an up tunnel of its connection, ordered by public IP. */
  const deliverVia = (hop: string | undefined): string[] => {
    if (hop === undefined) return [];
    const ready = members.filter((m) => m.publicIp !== null && up.has(tunnelKey(hop, m.index))).sort((a, b) => byIp(a.publicIp!, b.publicIp!));
    if (ready.length === 0) return [];
    return distribute(hop) ? ready.map((m) => m.privateIp) : [ready[0]!.privateIp];
  };
  for (const r of routes) {
    const table = vpcTableNumber(r.routingTableId, r.zone);
    const key = `${table}|${r.destination}|${r.priority}`;
    if (r.action !== 'deliver') {
      const type = TYPE_OF[r.action];
      if (typed.get(key)?.type !== 'blackhole') typed.set(key, { table, destination: r.destination, metric: r.priority, via: [], type });
    } else {
      const via = deliverVia(r.nextHopConnectionId);
      if (via.length === 0) continue; // no up tunnel: no route, and no rule for it
      const entry = merged.get(key) ?? { table, destination: r.destination, metric: r.priority, via: new Set<string>() };
      for (const v of via) entry.via.add(v);
      merged.set(key, entry);
    }
    for (const from of r.subnetCidrs) rules.set(`${table}|${from}`, { table, from });
  }
  for (const key of typed.keys()) merged.delete(key);
  return {
    routes: [...[...merged.values()].map((e) => ({ ...e, via: [...e.via].sort(byIp) })), ...typed.values()].sort(routeOrder),
    rules: [...rules.values()].sort((a, b) => a.table - b.table || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
  };
}

function routeOrder(a: KernelRoute, b: KernelRoute): number {
  return a.table - b.table || (a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0) || a.metric - b.metric;
}

/**
 * One member's routes: each `deliver` destination goes to the tunnel namespace of its next-hop
 * connection on this member (`tunnels` lists the tunnels this member has). Where several
 * connections serve one destination and priority, the up ones are used (all of them when none is).
 */
export function memberRoutePlan(memberIndex: 1 | 2, routes: readonly PlannedRoute[], tunnels: readonly TunnelState[]): MemberRoute[] {
  const mine = new Map(tunnels.filter((t) => t.memberIndex === memberIndex).map((t) => [t.connectionId, t.up]));
  const groups = new Map<string, { destination: string; metric: number; ids: Set<string> }>();
  for (const r of routes) {
    const hop = r.nextHopConnectionId;
    if (r.action !== 'deliver' || hop === undefined || !mine.has(hop)) continue;
    const key = `${r.destination}|${r.priority}`;
    const g = groups.get(key) ?? { destination: r.destination, metric: r.priority, ids: new Set<string>() };
    g.ids.add(hop);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => {
      const ids = [...g.ids].sort();
      const upIds = ids.filter((id) => mine.get(id));
      return { destination: g.destination, metric: g.metric, connectionIds: upIds.length > 0 ? upIds : ids };
    })
    .sort((a, b) => (a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0) || a.metric - b.metric);
}

/** A route-based tunnel to build: one per (member, connection), unless `blocked` says why not. */
export interface RouteTunnelSpec {
  readonly connectionId: string;
  readonly memberIndex: 1 | 2;
  readonly publicIp: string;
  readonly peerIp: string;
}

/**
 * The tunnel namespaces a gateway's route-based connections need, and the connections that cannot
 * have one: a member steers a peer's packets to a tunnel namespace by the peer's address, so two
 * admin-up route connections to one peer address share it; the one with the lowest id gets the
 * tunnels, the others a reason. BGP connections are built like static ones (their routes are not
 * exchanged: bgp_not_running). A peer given by FQDN needs its address resolved first (`resolve`).
 */
export function routeTunnels(
  connections: readonly DesiredConnection[],
  resolve: (fqdnOrIp: string) => string | undefined = (a) => (parseAddress(a) ? a : undefined),
): { tunnels: RouteTunnelSpec[]; blocked: Map<string, Reason> } {
  const tunnels: RouteTunnelSpec[] = [];
  const blocked = new Map<string, Reason>();
  const owner = new Map<string, string>();
  const sorted = [...connections].sort((a, b) => (a.connectionId < b.connectionId ? -1 : a.connectionId > b.connectionId ? 1 : 0));
  for (const d of sorted) {
    if (d.kind === 'policy' || !d.adminStateUp) continue;
    const peerIp = resolve(d.remoteAddress);
    if (peerIp === undefined) {
      blocked.set(d.connectionId, reason('route_tunnel_unavailable', `the peer address ${d.remoteAddress} did not resolve`));
      continue;
    }
    const first = owner.get(peerIp);
    if (first !== undefined) {
      blocked.set(d.connectionId, reason('route_tunnel_unavailable', `connection ${first} already has the tunnels to ${peerIp}`));
      continue;
    }
    owner.set(peerIp, d.connectionId);
    for (const t of d.tunnels) tunnels.push({ connectionId: d.connectionId, memberIndex: t.memberIndex, publicIp: t.localAddress, peerIp });
  }
  return { tunnels, blocked };
}
