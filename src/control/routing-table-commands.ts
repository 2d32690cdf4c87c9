import { DomainError, inUse, invalidField, notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import {
  checkRouteFields,
  checkRouteNextHop,
  checkRoutePriority,
  nextHopConnection,
  type Route,
  type RouteNextHop,
  type RoutingTable,
} from '../domain/routing-table.js';
import type { Vpc } from '../domain/tenancy.js';
import { holdsTypedRoutes, type RouteAction } from '../domain/vpc-route.js';
import { gatewaysOfVpc, getGateway } from '../store/gateway-store.js';
import { getSubnet } from '../store/network-store.js';
import {
  countRoutes,
  defaultRoutingTable,
  deleteRouteRow,
  deleteRoutingTableRow,
  getRoutingTable,
  insertRoute,
  insertRoutingTable,
  renameRoutingTable,
  routesOfTable,
  routingTablesOfVpc,
  saveRoute,
  setSubnetTable,
  subnetTableId,
} from '../store/routing-table-store.js';
import { visibleTo } from './access.js';
import { freeName } from './free-name.js';
import {
  getRoutingTableView,
  getRouteView,
  loadRoute,
  loadTable,
  loadVpc,
  type RouteView,
  type RoutingTableView,
  subnetsByTable,
} from './routing-table-queries.js';
import type { Tx } from './tx.js';

export interface RoutingTableInput {
  readonly name?: string;
}

export interface RouteInput {
  readonly name?: string;
  readonly zone: string;
  readonly destination: string;
  /** Default deliver. */
  readonly action?: RouteAction;
  readonly nextHop?: RouteNextHop;
  /** Default 2. */
  readonly priority?: number;
}

export interface RoutePatch {
  readonly name?: string;
  readonly priority?: number;
  readonly nextHop?: RouteNextHop;
}

/** The gateways whose plans these routes are in: those of their next hop connections, and those that hold the drop and delegate routes of their VPC. */
export async function gatewaysOfRoutes(tx: Tx, routes: readonly Pick<Route, 'nextHop' | 'action' | 'vpcId'>[]): Promise<string[]> {
  const out = new Set<string>();
  for (const id of new Set(routes.flatMap((r) => nextHopConnection(r) ?? []))) {
    const c = await tx.deps.connections.get(tx.ex, id);
    if (c) out.add(c.gatewayId);
  }
  for (const vpcId of new Set(routes.filter((r) => r.action !== 'deliver').map((r) => r.vpcId))) {
    for (const gw of await gatewaysOfVpc(tx.ex, vpcId)) if (holdsTypedRoutes(gw)) out.add(gw.id);
  }
  return [...out];
}

/** The gateways whose plans route a table's subnets (a subnet joining or leaving the table changes them). */
export async function gatewaysRoutingTable(tx: Tx, tableId: string): Promise<string[]> {
  return gatewaysOfRoutes(tx, await routesOfTable(tx.ex, tableId));
}

/** The default table a new VPC gets (IBM: every VPC has one; it is never deleted on its own). */
export async function createDefaultRoutingTable(tx: Tx, vpc: Vpc): Promise<RoutingTable> {
  const table: RoutingTable = {
    id: newId(),
    accountId: vpc.accountId,
    vpcId: vpc.id,
    name: await freeTableName(tx, vpc.id),
    isDefault: true,
    createdAt: tx.now(),
  };
  await insertRoutingTable(tx.ex, table);
  return table;
}

async function freeTableName(tx: Tx, vpcId: string): Promise<string> {
  const names = new Set((await routingTablesOfVpc(tx.ex, vpcId)).map((t) => t.name));
  return freeName(async (n) => names.has(n));
}

export async function createRoutingTable(tx: Tx, vpcId: string, input: RoutingTableInput): Promise<RoutingTableView> {
  const vpc = await loadVpc(tx, vpcId);
  const tables = await routingTablesOfVpc(tx.ex, vpc.id);
  if (tables.length >= tx.settings.quotas.routingTablesPerVpc) {
    throw new DomainError('over_quota', `The VPC already has ${tx.settings.quotas.routingTablesPerVpc} routing tables, the quota.`);
  }
  const table: RoutingTable = {
    id: newId(),
    accountId: vpc.accountId,
    vpcId: vpc.id,
    name: input.name || (await freeTableName(tx, vpc.id)),
    isDefault: false,
    createdAt: tx.now(),
  };
  await insertRoutingTable(tx.ex, table);
  tx.record({ resource: 'routing_table', id: table.id, action: 'created', gatewayIds: [] });
  return getRoutingTableView(tx, vpc.id, table.id);
}

export async function updateRoutingTable(tx: Tx, vpcId: string, tableId: string, patch: RoutingTableInput): Promise<RoutingTableView> {
  const { table } = await loadTable(tx, vpcId, tableId);
  if (patch.name !== undefined && patch.name !== table.name) {
    await renameRoutingTable(tx.ex, table.id, patch.name || (await freeTableName(tx, table.vpcId)));
    tx.record({ resource: 'routing_table', id: table.id, action: 'updated', gatewayIds: [] });
  }
  return getRoutingTableView(tx, vpcId, tableId);
}

/** Refused for the default table and while subnets are associated with it; its routes go with it. */
export async function deleteRoutingTable(tx: Tx, vpcId: string, tableId: string): Promise<void> {
  const { table } = await loadTable(tx, vpcId, tableId);
  if (table.isDefault)
    throw new DomainError('default_routing_table', `Routing table '${tableId}' is the default routing table of its VPC and cannot be deleted.`);
  const routed = (await subnetsByTable(tx, table.vpcId)).get(table.id) ?? [];
  if (routed.length > 0) {
    throw inUse('routing_table', tableId, `Routing table '${tableId}' still routes subnet '${routed[0]!.id}'; associate its subnets with another table first.`);
  }
  const gatewayIds = await gatewaysRoutingTable(tx, table.id);
  await deleteRoutingTableRow(tx.ex, table.id);
  tx.record({ resource: 'routing_table', id: table.id, action: 'deleted', gatewayIds });
}

/** A next hop connection: a live connection of a route-mode gateway of the table's VPC, in its account. */
async function checkNextHop(tx: Tx, table: RoutingTable, hop: RouteNextHop): Promise<void> {
  if (hop === null || !('connectionId' in hop)) return;
  const id = hop.connectionId;
  const c = await tx.deps.connections.get(tx.ex, id);
  if (!c || c.accountId !== table.accountId) {
    throw notFound('connection', id, `VPN gateway connection '${id}' was not found.`, { type: 'field', name: 'nextHop.id', value: id });
  }
  const gw = await getGateway(tx.ex, c.gatewayId);
  if (c.lifecycleState === 'deleting' || !gw || gw.lifecycleState === 'deleting') {
    throw new DomainError('resource_deleting', `VPN gateway connection '${id}' is being deleted.`, { type: 'field', name: 'nextHop.id', value: id });
  }
  if (gw.mode !== 'route') {
    throw invalidField('nextHop.id', `VPN gateway connection '${id}' is on a policy-mode gateway; a route's next hop must be a route-mode connection.`, id);
  }
  if (gw.vpcId !== table.vpcId) throw invalidField('nextHop.id', `VPN gateway connection '${id}' is on a gateway of another VPC.`, id);
}

function checkZone(tx: Tx, zone: string): void {
  if (!tx.settings.zones.includes(zone)) {
    throw invalidField('zone', `Zone '${zone}' does not exist; this region has ${tx.settings.zones.join(', ')}.`, zone);
  }
}

export async function createRoute(tx: Tx, vpcId: string, tableId: string, input: RouteInput): Promise<RouteView> {
  const { table } = await loadTable(tx, vpcId, tableId);
  const fields = checkRouteFields(input);
  checkZone(tx, input.zone);
  await checkNextHop(tx, table, fields.nextHop);
  if ((await countRoutes(tx.ex, table.id)) >= tx.settings.quotas.routesPerRoutingTable) {
    throw new DomainError('over_quota', `The routing table already has ${tx.settings.quotas.routesPerRoutingTable} routes, the quota.`);
  }
  const siblings = new Set((await routesOfTable(tx.ex, table.id)).map((r) => r.name));
  const route: Route = {
    id: newId(),
    accountId: table.accountId,
    vpcId: table.vpcId,
    routingTableId: table.id,
    name: input.name || (await freeName(async (n) => siblings.has(n))),
    zone: input.zone,
    ...fields,
    origin: 'user',
    createdAt: tx.now(),
  };
  await insertRoute(tx.ex, route);
  tx.record({ resource: 'route', id: route.id, action: 'created', gatewayIds: await gatewaysOfRoutes(tx, [route]) });
  return getRouteView(tx, vpcId, table.id, route.id);
}

/** Name, priority and next hop change in place (the next hop as the action allows); the gateways of the old and new next hop re-plan. */
export async function updateRoute(tx: Tx, vpcId: string, tableId: string, routeId: string, patch: RoutePatch): Promise<RouteView> {
  const { table, route } = await loadRoute(tx, vpcId, tableId, routeId);
  const next: Route = {
    ...route,
    ...(patch.name !== undefined ? { name: patch.name || route.name } : {}),
    ...(patch.priority !== undefined ? { priority: checkRoutePriority(patch.priority) } : {}),
    ...(patch.nextHop !== undefined ? { nextHop: checkRouteNextHop(route.action, patch.nextHop) } : {}),
  };
  if (JSON.stringify(next) !== JSON.stringify(route)) {
    await checkNextHop(tx, table, next.nextHop);
    await saveRoute(tx.ex, next);
    tx.record({ resource: 'route', id: route.id, action: 'updated', gatewayIds: await gatewaysOfRoutes(tx, [route, next]) });
  }
  return getRouteView(tx, vpcId, tableId, routeId);
}

export async function deleteRoute(tx: Tx, vpcId: string, tableId: string, routeId: string): Promise<void> {
  const { route } = await loadRoute(tx, vpcId, tableId, routeId);
  const gatewayIds = await gatewaysOfRoutes(tx, [route]);
  await deleteRouteRow(tx.ex, route.id);
  tx.record({ resource: 'route', id: route.id, action: 'deleted', gatewayIds });
}

/** Associates a subnet with a table of its VPC (the default table: back to no association). */
export async function replaceSubnetRoutingTable(tx: Tx, subnetId: string, tableId: string): Promise<RoutingTableView> {
  const subnet = visibleTo(tx.actor, await getSubnet(tx.ex, subnetId), 'subnet', subnetId);
  const table = await getRoutingTable(tx.ex, tableId);
  if (!table || !visibleTo(tx.actor, table, 'routing_table', tableId)) throw notFound('routing_table', tableId);
  if (table.vpcId !== subnet.vpcId) {
    throw invalidField('routingTable', `Routing table '${tableId}' is in another VPC than subnet '${subnetId}'.`, tableId);
  }
  const dflt = await defaultRoutingTable(tx.ex, subnet.vpcId);
  const before = (await subnetTableId(tx.ex, subnet.id)) ?? dflt?.id;
  if (before !== table.id) {
    const gatewayIds = new Set([...(before ? await gatewaysRoutingTable(tx, before) : []), ...(await gatewaysRoutingTable(tx, table.id))]);
    await setSubnetTable(tx.ex, subnet.id, table.isDefault ? null : table.id);
    tx.record({ resource: 'subnet', id: subnet.id, action: 'updated', gatewayIds: [...gatewayIds] });
  }
  return getRoutingTableView(tx, subnet.vpcId, table.id);
}
