import { DomainError } from '../domain/errors.js';
import type { Route, RouteNextHop, RouteOrigin, RoutingTable } from '../domain/routing-table.js';
import type { RouteAction } from '../domain/vpc-route.js';
import { type Page, type PageRequest, mapPage, pageQuery } from './page-query.js';
import type { Executor, RouteRow, RoutingTableRow } from './schema.js';
import { unlessTaken } from './store-errors.js';

const toTable = (r: RoutingTableRow): RoutingTable => ({
  id: r.id,
  accountId: r.account_id,
  vpcId: r.vpc_id,
  name: r.name,
  isDefault: Number(r.is_default) === 1,
  createdAt: Number(r.created_at),
});

const toHop = (r: RouteRow): RouteNextHop =>
  r.next_hop_connection_id !== null ? { connectionId: r.next_hop_connection_id } : r.next_hop_address !== null ? { address: r.next_hop_address } : null;

const toRoute = (r: RouteRow): Route => ({
  id: r.id,
  accountId: r.account_id,
  vpcId: r.vpc_id,
  routingTableId: r.routing_table_id,
  name: r.name,
  zone: r.zone,
  destination: r.destination,
  action: r.action as RouteAction,
  nextHop: toHop(r),
  priority: Number(r.priority),
  origin: r.origin as RouteOrigin,
  createdAt: Number(r.created_at),
});

const routeRow = (r: Route): RouteRow => ({
  id: r.id,
  account_id: r.accountId,
  vpc_id: r.vpcId,
  routing_table_id: r.routingTableId,
  name: r.name,
  zone: r.zone,
  destination: r.destination,
  action: r.action,
  next_hop_connection_id: r.nextHop !== null && 'connectionId' in r.nextHop ? r.nextHop.connectionId : null,
  next_hop_address: r.nextHop !== null && 'address' in r.nextHop ? r.nextHop.address : null,
  priority: r.priority,
  origin: r.origin,
  created_at: r.createdAt,
});

const tableNameTaken = (name: string): DomainError =>
  new DomainError('name_not_unique', `The VPC already has a routing table named '${name}'.`, { type: 'field', name: 'name', value: name });
const routeNameTaken = (name: string): DomainError =>
  new DomainError('name_not_unique', `The routing table already has a route named '${name}'.`, { type: 'field', name: 'name', value: name });

export async function insertRoutingTable(ex: Executor, t: RoutingTable): Promise<void> {
  await unlessTaken(
    ex
      .insertInto('routing_tables')
      .values({ id: t.id, account_id: t.accountId, vpc_id: t.vpcId, name: t.name, is_default: t.isDefault ? 1 : 0, created_at: t.createdAt })
      .execute(),
    () => tableNameTaken(t.name),
  );
}
export async function renameRoutingTable(ex: Executor, id: string, name: string): Promise<void> {
  await unlessTaken(ex.updateTable('routing_tables').set({ name }).where('id', '=', id).execute(), () => tableNameTaken(name));
}
export async function deleteRoutingTableRow(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('routes').where('routing_table_id', '=', id).execute();
  await ex.deleteFrom('subnet_routing_tables').where('routing_table_id', '=', id).execute();
  await ex.deleteFrom('routing_tables').where('id', '=', id).execute();
}
export async function getRoutingTable(ex: Executor, id: string): Promise<RoutingTable | undefined> {
  const r = await ex.selectFrom('routing_tables').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toTable(r) : undefined;
}
export async function defaultRoutingTable(ex: Executor, vpcId: string): Promise<RoutingTable | undefined> {
  const r = await ex.selectFrom('routing_tables').selectAll().where('vpc_id', '=', vpcId).where('is_default', '=', 1).executeTakeFirst();
  return r ? toTable(r) : undefined;
}
export async function routingTablesOfVpc(ex: Executor, vpcId: string): Promise<RoutingTable[]> {
  return (await ex.selectFrom('routing_tables').selectAll().where('vpc_id', '=', vpcId).orderBy('created_at').orderBy('id').execute()).map(toTable);
}
export async function listRoutingTables(ex: Executor, vpcId: string, req: PageRequest, isDefault?: boolean): Promise<Page<RoutingTable>> {
  let q = ex.selectFrom('routing_tables').where('vpc_id', '=', vpcId);
  if (isDefault !== undefined) q = q.where('is_default', '=', isDefault ? 1 : 0);
  return mapPage(await pageQuery<'routing_tables', RoutingTableRow>(q, req), toTable);
}

export async function insertRoute(ex: Executor, r: Route): Promise<void> {
  await unlessTaken(ex.insertInto('routes').values(routeRow(r)).execute(), () => routeNameTaken(r.name));
}
export async function saveRoute(ex: Executor, r: Route): Promise<void> {
  const { id: _id, ...row } = routeRow(r);
  await unlessTaken(ex.updateTable('routes').set(row).where('id', '=', r.id).execute(), () => routeNameTaken(r.name));
}
export async function deleteRouteRow(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('routes').where('id', '=', id).execute();
}
export async function getRoute(ex: Executor, id: string): Promise<Route | undefined> {
  const r = await ex.selectFrom('routes').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRoute(r) : undefined;
}
export async function routesOfTable(ex: Executor, tableId: string): Promise<Route[]> {
  return (await ex.selectFrom('routes').selectAll().where('routing_table_id', '=', tableId).orderBy('created_at').orderBy('id').execute()).map(toRoute);
}
export async function routesOfVpc(ex: Executor, vpcId: string): Promise<Route[]> {
  return (await ex.selectFrom('routes').selectAll().where('vpc_id', '=', vpcId).orderBy('created_at').orderBy('id').execute()).map(toRoute);
}
export async function listRoutes(ex: Executor, tableId: string, req: PageRequest): Promise<Page<Route>> {
  return mapPage(await pageQuery<'routes', RouteRow>(ex.selectFrom('routes').where('routing_table_id', '=', tableId), req), toRoute);
}
export async function countRoutes(ex: Executor, tableId: string): Promise<number> {
  const r = await ex
    .selectFrom('routes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('routing_table_id', '=', tableId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
/** The routes whose next hop is one of these connections. */
export async function routesVia(ex: Executor, connectionIds: readonly string[]): Promise<Route[]> {
  if (connectionIds.length === 0) return [];
  return (
    await ex
      .selectFrom('routes')
      .selectAll()
      .where('next_hop_connection_id', 'in', [...connectionIds])
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map(toRoute);
}

/** The table a subnet is associated with, if not its VPC's default one. */
export async function subnetTableId(ex: Executor, subnetId: string): Promise<string | undefined> {
  const r = await ex.selectFrom('subnet_routing_tables').select('routing_table_id').where('subnet_id', '=', subnetId).executeTakeFirst();
  return r?.routing_table_id;
}
/** Every association of a VPC's subnets to a non-default table: subnet id → table id. */
export async function subnetTablesOfVpc(ex: Executor, vpcId: string): Promise<Map<string, string>> {
  const rows = await ex
    .selectFrom('subnet_routing_tables')
    .innerJoin('subnets', 'subnets.id', 'subnet_routing_tables.subnet_id')
    .select(['subnet_routing_tables.subnet_id', 'subnet_routing_tables.routing_table_id'])
    .where('subnets.vpc_id', '=', vpcId)
    .execute();
  return new Map(rows.map((r) => [r.subnet_id, r.routing_table_id]));
}
/** Associates a subnet with a table; `null` goes back to the default table. */
export async function setSubnetTable(ex: Executor, subnetId: string, tableId: string | null): Promise<void> {
  await ex.deleteFrom('subnet_routing_tables').where('subnet_id', '=', subnetId).execute();
  if (tableId !== null) await ex.insertInto('subnet_routing_tables').values({ subnet_id: subnetId, routing_table_id: tableId }).execute();
}
/** Removes what a VPC's routing held (its tables, routes, associations), as the VPC goes. */
export async function deleteRoutingOfVpc(ex: Executor, vpcId: string): Promise<void> {
  for (const t of await routingTablesOfVpc(ex, vpcId)) await deleteRoutingTableRow(ex, t.id);
}

/** The default tables of several VPCs, by VPC id. */
export async function defaultTablesOfVpcs(ex: Executor, vpcIds: readonly string[]): Promise<Map<string, RoutingTable>> {
  if (vpcIds.length === 0) return new Map();
  const rows = await ex
    .selectFrom('routing_tables')
    .selectAll()
    .where('vpc_id', 'in', [...new Set(vpcIds)])
    .where('is_default', '=', 1)
    .execute();
  return new Map(rows.map((r) => [r.vpc_id, toTable(r)]));
}

/** The table routing each of these subnets (`vpcOf` names a subnet's VPC): its associated one, else its VPC's default one. */
export async function tablesOfSubnets(ex: Executor, subnets: readonly { id: string; vpcId: string }[]): Promise<Map<string, RoutingTable>> {
  const out = new Map<string, RoutingTable>();
  if (subnets.length === 0) return out;
  const assoc = await ex
    .selectFrom('subnet_routing_tables')
    .innerJoin('routing_tables', 'routing_tables.id', 'subnet_routing_tables.routing_table_id')
    .selectAll('routing_tables')
    .select('subnet_routing_tables.subnet_id')
    .where(
      'subnet_routing_tables.subnet_id',
      'in',
      subnets.map((s) => s.id),
    )
    .execute();
  const defaults = await defaultTablesOfVpcs(
    ex,
    subnets.map((s) => s.vpcId),
  );
  for (const s of subnets) {
    const a = assoc.find((r) => r.subnet_id === s.id);
    const t = a ? toTable(a) : defaults.get(s.vpcId);
    if (t) out.set(s.id, t);
  }
  return out;
}
