import { parseCidr } from '../domain/cidr.js';
import { notFound } from '../domain/errors.js';
import type { VpnGateway } from '../domain/gateway.js';
import { nextHopConnection, type Route, type RoutingTable } from '../domain/routing-table.js';
import type { Subnet, Vpc } from '../domain/tenancy.js';
import { holdsTypedRoutes, type PlannedRoute } from '../domain/vpc-route.js';
import { getSubnet, getVpc, subnetsOfVpc } from '../store/network-store.js';
import type { Page, PageRequest } from '../store/page-query.js';
import {
  defaultRoutingTable,
  getRoute,
  getRoutingTable,
  listRoutes,
  listRoutingTables,
  routesOfVpc,
  routesVia,
  subnetTableId,
  subnetTablesOfVpc,
} from '../store/routing-table-store.js';
import { visibleTo } from './access.js';
import type { Tx } from './tx.js';
import type { ConnectionRef, Ref } from './view-refs.js';

/** A routing table with what every dialect renders beside it: its routes and the subnets it routes. */
export interface RoutingTableView {
  readonly table: RoutingTable;
  readonly vpc: Ref;
  readonly routes: readonly Ref[];
  readonly subnets: readonly Ref[];
}

/** A route with its next hop connection's reference (when it delivers to one). */
export interface RouteView {
  readonly route: Route;
  readonly nextHopConnection?: ConnectionRef;
}

export async function loadVpc(tx: Tx, vpcId: string): Promise<Vpc> {
  return visibleTo(tx.actor, await getVpc(tx.ex, vpcId), 'vpc', vpcId);
}

/** A table of a VPC the actor may see; a table of another VPC answers as missing. */
export async function loadTable(tx: Tx, vpcId: string, tableId: string): Promise<{ vpc: Vpc; table: RoutingTable }> {
  const vpc = await loadVpc(tx, vpcId);
  const table = await getRoutingTable(tx.ex, tableId);
  if (!table || table.vpcId !== vpc.id) throw notFound('routing_table', tableId, `Routing table '${tableId}' was not found in VPC '${vpcId}'.`);
  return { vpc, table };
}

export async function loadRoute(tx: Tx, vpcId: string, tableId: string, routeId: string): Promise<{ vpc: Vpc; table: RoutingTable; route: Route }> {
  const { vpc, table } = await loadTable(tx, vpcId, tableId);
  const route = await getRoute(tx.ex, routeId);
  if (!route || route.routingTableId !== table.id) throw notFound('route', routeId, `Route '${routeId}' was not found in routing table '${tableId}'.`);
  return { vpc, table, route };
}

/** The subnets each table of a VPC routes: its associated ones; the default table every other one. */
export async function subnetsByTable(tx: Tx, vpcId: string): Promise<Map<string, Subnet[]>> {
  const subnets = await subnetsOfVpc(tx.ex, vpcId);
  const assoc = await subnetTablesOfVpc(tx.ex, vpcId);
  const dflt = await defaultRoutingTable(tx.ex, vpcId);
  const out = new Map<string, Subnet[]>();
  for (const s of subnets) {
    const t = assoc.get(s.id) ?? dflt?.id;
    if (t !== undefined) out.set(t, [...(out.get(t) ?? []), s]);
  }
  return out;
}

async function tableViews(tx: Tx, vpc: Vpc, tables: readonly RoutingTable[]): Promise<RoutingTableView[]> {
  const subnets = await subnetsByTable(tx, vpc.id);
  const routes = await routesOfVpc(tx.ex, vpc.id);
  return tables.map((table) => ({
    table,
    vpc: { id: vpc.id, name: vpc.name },
    routes: routes.filter((r) => r.routingTableId === table.id).map((r) => ({ id: r.id, name: r.name })),
    subnets: (subnets.get(table.id) ?? []).map((s) => ({ id: s.id, name: s.name })),
  }));
}

export async function getRoutingTableView(tx: Tx, vpcId: string, tableId: string): Promise<RoutingTableView> {
  const { vpc, table } = await loadTable(tx, vpcId, tableId);
  return (await tableViews(tx, vpc, [table]))[0]!;
}

export async function defaultRoutingTableView(tx: Tx, vpcId: string): Promise<RoutingTableView> {
  const vpc = await loadVpc(tx, vpcId);
  const table = await defaultRoutingTable(tx.ex, vpc.id);
  if (!table) throw notFound('routing_table', vpcId, `VPC '${vpcId}' has no default routing table.`);
  return (await tableViews(tx, vpc, [table]))[0]!;
}

export async function listRoutingTableViews(tx: Tx, vpcId: string, req: PageRequest, filter: { isDefault?: boolean } = {}): Promise<Page<RoutingTableView>> {
  const vpc = await loadVpc(tx, vpcId);
  const page = await listRoutingTables(tx.ex, vpc.id, req, filter.isDefault);
  return { ...page, items: await tableViews(tx, vpc, page.items) };
}

/** The table that routes a subnet the actor may see (its VPC's default one unless associated with another). */
export async function subnetRoutingTableView(tx: Tx, subnetId: string): Promise<RoutingTableView> {
  const subnet = visibleTo(tx.actor, await getSubnet(tx.ex, subnetId), 'subnet', subnetId);
  const vpc = await loadVpc(tx, subnet.vpcId);
  const id = (await subnetTableId(tx.ex, subnet.id)) ?? (await defaultRoutingTable(tx.ex, vpc.id))?.id;
  const table = id === undefined ? undefined : await getRoutingTable(tx.ex, id);
  if (!table) throw notFound('routing_table', subnetId, `Subnet '${subnetId}' has no routing table.`);
  return (await tableViews(tx, vpc, [table]))[0]!;
}

export async function routeViews(tx: Tx, routes: readonly Route[]): Promise<RouteView[]> {
  const ids = [...new Set(routes.flatMap((r) => nextHopConnection(r) ?? []))];
  const conns = new Map<string, ConnectionRef>();
  for (const id of ids) {
    const c = await tx.deps.connections.get(tx.ex, id);
    if (c) conns.set(id, { id: c.id, name: c.name, gatewayId: c.gatewayId });
  }
  return routes.map((route) => {
    const c = nextHopConnection(route);
    const ref = c === undefined ? undefined : conns.get(c);
    return ref ? { route, nextHopConnection: ref } : { route };
  });
}

export async function getRouteView(tx: Tx, vpcId: string, tableId: string, routeId: string): Promise<RouteView> {
  const { route } = await loadRoute(tx, vpcId, tableId, routeId);
  return (await routeViews(tx, [route]))[0]!;
}

export async function listRouteViews(tx: Tx, vpcId: string, tableId: string, req: PageRequest): Promise<Page<RouteView>> {
  const { table } = await loadTable(tx, vpcId, tableId);
  const page = await listRoutes(tx.ex, table.id, req);
  return { ...page, items: await routeViews(tx, page.items) };
}

/**
 * The routes a gateway's data plane applies: those of its VPC whose next hop is one of `connectionIds`
 * (the gateway's live connections) and the VPC's drop and delegate routes when it holds them
 * (`holdsTypedRoutes`); each with the CIDRs of the subnets its table routes in its zone.
 */
export async function plannedRoutes(tx: Tx, gw: VpnGateway, connectionIds: readonly string[]): Promise<PlannedRoute[]> {
  const delivered = (await routesVia(tx.ex, connectionIds)).filter((r) => r.vpcId === gw.vpcId && r.action === 'deliver');
  const typed = holdsTypedRoutes(gw) ? (await routesOfVpc(tx.ex, gw.vpcId)).filter((r) => r.action !== 'deliver') : [];
  const routes = [...delivered, ...typed];
  if (routes.length === 0) return [];
  const byTable = await subnetsByTable(tx, gw.vpcId);
  return routes.map((r) => ({
    routingTableId: r.routingTableId,
    routeId: r.id,
    destination: r.destination,
    action: r.action,
    ...(r.action === 'deliver' ? { nextHopConnectionId: nextHopConnection(r)! } : {}),
    priority: r.priority,
    zone: r.zone,
    subnetCidrs: (byTable.get(r.routingTableId) ?? []).filter((s) => s.zone === r.zone && parseCidr(s.cidr).ok).map((s) => s.cidr),
  }));
}
