import type { RouteInput, RoutePatch as DomainRoutePatch, RouteView, RoutingTableView } from '../../control/index.js';
import { parseId } from '../../domain/ids.js';
import { NO_NEXT_HOP_ADDRESS, type RouteNextHop } from '../../domain/routing-table.js';
import type { RouteAction } from '../../domain/vpc-route.js';
import { ibmInvalid } from './ibm-errors.js';
import { identityId, pathId } from './ibm-identity.js';
import type { IbmRefs } from './ibm-refs.js';

/** Wire ⇄ control for routing tables and routes (IBM's VPC routing tables API). */

export function routingTableToWire(refs: IbmRefs, accountId: string, v: RoutingTableView) {
  const t = v.table;
  return {
    accept_routes_from: [],
    advertise_routes_to: [],
    created_at: refs.time(t.createdAt),
    href: refs.routingTable(t.vpcId, t.id),
    id: t.id,
    is_default: t.isDefault,
    lifecycle_state: 'stable',
    name: t.name,
    resource_type: 'routing_table' as const,
    route_direct_link_ingress: false,
    route_internet_ingress: false,
    route_transit_gateway_ingress: false,
    route_vpc_zone_ingress: false,
    routes: v.routes.map((r) => ({ href: refs.route(t.vpcId, t.id, r.id), id: r.id, name: r.name })),
    subnets: v.subnets.map((s) => ({
      crn: refs.crn(accountId, 'subnet', s.id),
      href: refs.subnet(s.id),
      id: s.id,
      name: s.name,
      resource_type: 'subnet' as const,
    })),
  };
}

export function routeToWire(refs: IbmRefs, v: RouteView) {
  const r = v.route;
  const hop = r.nextHop;
  let nextHop: { address: string } | { href: string; id: string; name: string; resource_type: 'vpn_gateway_connection' };
  if (hop !== null && 'connectionId' in hop) {
    const c = v.nextHopConnection;
    nextHop = {
      href: c ? refs.connection(c.gatewayId, c.id) : '',
      id: hop.connectionId,
      name: c?.name ?? '',
      resource_type: 'vpn_gateway_connection',
    };
  } else nextHop = { address: hop?.address ?? NO_NEXT_HOP_ADDRESS };
  return {
    action: r.action,
    advertise: false,
    created_at: refs.time(r.createdAt),
    destination: r.destination,
    href: refs.route(r.vpcId, r.routingTableId, r.id),
    id: r.id,
    lifecycle_state: 'stable',
    name: r.name,
    next_hop: nextHop,
    origin: r.origin,
    priority: r.priority,
    zone: { href: refs.zone(r.zone), name: r.zone },
  };
}

/** `{address}`, or a connection by `{id}` or by its href (…/vpn_gateways/{gw}/connections/{id}). */
export function nextHopFromWire(refs: IbmRefs, h: { address?: string; id?: string; href?: string }): RouteNextHop {
  const keys = (['address', 'id', 'href'] as const).filter((k) => h[k] !== undefined);
  if (keys.length !== 1) throw ibmInvalid('next_hop', "'next_hop' needs exactly one of address, id or href.");
  if (h.address !== undefined) return { address: h.address };
  let raw = h.id;
  if (h.href !== undefined) {
    const m = /^(.*)\/vpn_gateways\/[^/]+\/connections\/([^/?#]+)\/?$/.exec(h.href);
    if (!m || m[1] !== refs.base) throw ibmInvalid('next_hop.href', `'next_hop.href' must be the href of a VPN gateway connection of this server.`);
    raw = m[2];
  }
  // An unknown or malformed id answers as a missing connection (control refuses it with the field named).
  return { connectionId: parseId(raw) ?? raw! };
}

export function zoneFromWire(refs: IbmRefs, z: { name?: string; href?: string }): string {
  if ((z.name === undefined) === (z.href === undefined)) throw ibmInvalid('zone', "'zone' needs exactly one of name or href.");
  if (z.name !== undefined) return z.name;
  const prefix = `${refs.base}/regions/${refs.region}/zones/`;
  if (!z.href!.startsWith(prefix)) throw ibmInvalid('zone.href', `'zone.href' must be a zone href of this server, ${prefix}<zone>.`);
  return z.href!.slice(prefix.length);
}

/** Only false: this server does not advertise routes or route ingress traffic. */
export function onlyFalse(body: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of keys) if (body[k] === true) throw ibmInvalid(k, `'${k}: true' is not supported by this server; only false.`);
}

interface RouteWire {
  action?: string;
  advertise?: boolean;
  destination: string;
  name?: string;
  next_hop?: { address?: string; id?: string; href?: string };
  priority?: number;
  zone: { name?: string; href?: string };
}

export function routeInput(refs: IbmRefs, b: RouteWire): RouteInput {
  onlyFalse(b as unknown as Record<string, unknown>, ['advertise']);
  return {
    destination: b.destination,
    zone: zoneFromWire(refs, b.zone),
    ...(b.action !== undefined ? { action: b.action as RouteAction } : {}),
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.next_hop !== undefined ? { nextHop: nextHopFromWire(refs, b.next_hop) } : {}),
    ...(b.priority !== undefined ? { priority: b.priority } : {}),
  };
}

export function routePatch(refs: IbmRefs, b: Omit<RouteWire, 'destination' | 'zone' | 'action'>): DomainRoutePatch {
  onlyFalse(b, ['advertise']);
  return {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.next_hop !== undefined ? { nextHop: nextHopFromWire(refs, b.next_hop) } : {}),
    ...(b.priority !== undefined ? { priority: b.priority } : {}),
  };
}

/** A routing table identity: {id}, {crn}, or {href} (…/vpcs/{vpc}/routing_tables/{id}). */
export function routingTableIdOf(refs: IbmRefs, b: { id?: string; crn?: string; href?: string }): string {
  if (b.href === undefined || b.id !== undefined || b.crn !== undefined) return identityId(b, 'routing_table', 'routing_tables', 'routing_table', refs.base);
  const m = /^(.*)\/vpcs\/[^/]+\/routing_tables\/([^/?#]+)\/?$/.exec(b.href);
  if (!m || m[1] !== refs.base) throw ibmInvalid('routing_table.href', `'routing_table.href' must be the href of a routing table of this server.`);
  return pathId(m[2]!, 'routing_table');
}
