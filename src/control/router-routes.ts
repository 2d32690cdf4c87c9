import { DomainError } from '../domain/errors.js';
import { checkRouteFields, type Route, type RouteNextHop } from '../domain/routing-table.js';
import { gatewaysOfVpc } from '../store/gateway-store.js';
import { getSubnets } from '../store/network-store.js';
import { getRouter, interfacesOfRouter } from '../store/router-store.js';
import { defaultRoutingTable, routesOfTable } from '../store/routing-table-store.js';
import { visibleTo } from './access.js';
import { createRoute, deleteRoute } from './routing-table-commands.js';
import type { Tx } from './tx.js';

/**
 * Neutron's router `routes` (extraroute) are the `deliver` routes of the default routing table of the
 * router's VPC: the VPC of its oldest interface subnet (a router with no interface routes nothing).
 * A nexthop that is the peer address of a live connection of a route-mode gateway in that VPC becomes
 * a route via that connection; any other nexthop is kept as an address (stored and shown, not
 * applied by the lab), a policy-mode VPN service's peer included: its tunnel carries its peer CIDRs by
 * policy already. Routes with other actions, made through the IBM API, are neither shown nor touched.
 */
export interface RouterRoute {
  readonly destination: string;
  readonly nexthop: string;
}

const keyOf = (r: RouterRoute): string => `${r.destination}|${r.nexthop}`;

/** The router's VPC and the zone its routes apply in (those of its oldest interface subnet). */
async function routerPlace(tx: Tx, routerId: string): Promise<{ vpcId: string; zone: string } | undefined> {
  visibleTo(tx.actor, await getRouter(tx.ex, routerId), 'router', routerId);
  const ifaces = await interfacesOfRouter(tx.ex, routerId);
  const subnets = await getSubnets(
    tx.ex,
    ifaces.map((i) => i.subnetId),
  );
  const first = ifaces.map((i) => subnets.find((s) => s.id === i.subnetId)).find((s) => s !== undefined);
  return first ? { vpcId: first.vpcId, zone: first.zone } : undefined;
}

/** Peer address → the live route-mode connection with that peer, for a VPC's gateways. */
async function routeConnectionsByPeer(tx: Tx, vpcId: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const gw of await gatewaysOfVpc(tx.ex, vpcId)) {
    if (gw.mode !== 'route' || gw.lifecycleState === 'deleting') continue;
    for (const c of await tx.deps.connections.ofGateway(tx.ex, gw.id)) {
      if (c.lifecycleState !== 'deleting' && c.peer.address !== undefined && !out.has(c.peer.address)) out.set(c.peer.address, c.id);
    }
  }
  return out;
}

async function shown(tx: Tx, routes: readonly Route[]): Promise<{ route: Route; wire: RouterRoute }[]> {
  const out: { route: Route; wire: RouterRoute }[] = [];
  for (const route of routes) {
    const hop = route.nextHop;
    if (route.action !== 'deliver' || hop === null) continue;
    let nexthop: string | undefined;
    if ('address' in hop) nexthop = hop.address;
    else {
      const c = await tx.deps.connections.get(tx.ex, hop.connectionId);
      nexthop = c?.peer.address ?? c?.peer.fqdn;
    }
    if (nexthop !== undefined) out.push({ route, wire: { destination: route.destination, nexthop } });
  }
  return out;
}

export async function routerRoutes(tx: Tx, routerId: string): Promise<RouterRoute[]> {
  const place = await routerPlace(tx, routerId);
  const table = place ? await defaultRoutingTable(tx.ex, place.vpcId) : undefined;
  return table ? (await shown(tx, await routesOfTable(tx.ex, table.id))).map((s) => s.wire) : [];
}

/** Makes the router's routes exactly `wanted`: routes already there stay as they are, the others go or come. */
export async function setRouterRoutes(tx: Tx, routerId: string, wanted: readonly RouterRoute[]): Promise<RouterRoute[]> {
  const place = await routerPlace(tx, routerId);
  // The domain's rules, with Neutron's nexthop as an address: a bad CIDR or address is refused before anything changes.
  const normal = wanted.map((w) => {
    const f = checkRouteFields({ destination: w.destination, nextHop: { address: w.nexthop } });
    return { destination: f.destination, nexthop: w.nexthop };
  });
  if (!place) {
    if (normal.length === 0) return [];
    throw new DomainError('invalid_value', `Router ${routerId} has no interface: its routes need a subnet (a network) on the router.`, {
      type: 'field',
      name: 'routes',
    });
  }
  const table = (await defaultRoutingTable(tx.ex, place.vpcId))!;
  const current = await shown(tx, await routesOfTable(tx.ex, table.id));
  const want = new Set(normal.map(keyOf));
  for (const c of current) if (!want.has(keyOf(c.wire))) await deleteRoute(tx, place.vpcId, table.id, c.route.id);
  const have = new Set(current.map((c) => keyOf(c.wire)));
  const byPeer = await routeConnectionsByPeer(tx, place.vpcId);
  for (const w of normal) {
    if (have.has(keyOf(w))) continue;
    have.add(keyOf(w));
    const via = byPeer.get(w.nexthop);
    const nextHop: RouteNextHop = via !== undefined ? { connectionId: via } : { address: w.nexthop };
    await createRoute(tx, place.vpcId, table.id, { zone: place.zone, destination: w.destination, nextHop });
  }
  return routerRoutes(tx, routerId);
}
