import { DomainError } from '../domain/errors.js';
import type { Router, RouterInterface } from '../domain/router.js';
import type { Scope } from './network-store.js';
import type { Executor, RouterInterfaceRow, RouterRow } from './schema.js';

/** Neutron routers and their interfaces, and the reads the Neutron core resources need for in-use checks. */

const toRouter = (r: RouterRow): Router => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  description: r.description,
  adminStateUp: r.admin_state_up === 1,
  externalNetworkId: r.external_network_id,
  externalIp: r.external_ip,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  revision: Number(r.revision),
});
const toRow = (r: Router): RouterRow => ({
  id: r.id,
  account_id: r.accountId,
  name: r.name,
  description: r.description,
  admin_state_up: r.adminStateUp ? 1 : 0,
  external_network_id: r.externalNetworkId,
  external_ip: r.externalIp,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  revision: r.revision,
});
const toInterface = (r: RouterInterfaceRow): RouterInterface => ({
  portId: r.port_id,
  routerId: r.router_id,
  subnetId: r.subnet_id,
  createdAt: Number(r.created_at),
});

export async function insertRouter(ex: Executor, r: Router): Promise<void> {
  await ex.insertInto('routers').values(toRow(r)).execute();
}
/** Writes a router read at `readRevision` (its revision bumped); another writer's change in between refuses it. */
export async function saveRouter(ex: Executor, r: Router, readRevision: number): Promise<void> {
  const { id, ...rest } = toRow({ ...r, revision: readRevision + 1 });
  const res = await ex.updateTable('routers').set(rest).where('id', '=', id).where('revision', '=', readRevision).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new DomainError('concurrent_update', `Router '${id}' was changed by another request; read it again and retry.`);
}
export async function deleteRouterRow(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('routers').where('id', '=', id).execute();
}
export async function getRouter(ex: Executor, id: string): Promise<Router | undefined> {
  const r = await ex.selectFrom('routers').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRouter(r) : undefined;
}
/** Every router in scope (Neutron lists are emulated over the whole per-project set), by id. */
export async function listRouters(ex: Executor, scope: Scope): Promise<Router[]> {
  let q = ex.selectFrom('routers').selectAll();
  if (scope !== undefined) q = q.where('account_id', '=', scope);
  return (await q.orderBy('id').execute()).map(toRouter);
}

export async function insertInterface(ex: Executor, i: RouterInterface): Promise<void> {
  await ex.insertInto('router_interfaces').values({ port_id: i.portId, router_id: i.routerId, subnet_id: i.subnetId, created_at: i.createdAt }).execute();
}
export async function deleteInterface(ex: Executor, portId: string): Promise<void> {
  await ex.deleteFrom('router_interfaces').where('port_id', '=', portId).execute();
}
export async function getInterface(ex: Executor, portId: string): Promise<RouterInterface | undefined> {
  const r = await ex.selectFrom('router_interfaces').selectAll().where('port_id', '=', portId).executeTakeFirst();
  return r ? toInterface(r) : undefined;
}
/** The interface on a subnet (a subnet sits on one router at most). */
export async function interfaceOfSubnet(ex: Executor, subnetId: string): Promise<RouterInterface | undefined> {
  const r = await ex.selectFrom('router_interfaces').selectAll().where('subnet_id', '=', subnetId).executeTakeFirst();
  return r ? toInterface(r) : undefined;
}
export async function interfacesOfRouter(ex: Executor, routerId: string): Promise<RouterInterface[]> {
  return (await ex.selectFrom('router_interfaces').selectAll().where('router_id', '=', routerId).orderBy('created_at').execute()).map(toInterface);
}
/** The ids of the subnets joined to a router, in the order they were added. */
export async function routerSubnetIds(ex: Executor, routerId: string): Promise<string[]> {
  return (await interfacesOfRouter(ex, routerId)).map((i) => i.subnetId);
}
/** Interfaces of the routers in scope, with the router's account (the port's owner). */
export async function listInterfaces(ex: Executor, scope: Scope): Promise<(RouterInterface & { accountId: string })[]> {
  let q = ex
    .selectFrom('router_interfaces')
    .innerJoin('routers', 'routers.id', 'router_interfaces.router_id')
    .select(['router_interfaces.port_id', 'router_interfaces.router_id', 'router_interfaces.subnet_id', 'router_interfaces.created_at', 'routers.account_id']);
  if (scope !== undefined) q = q.where('routers.account_id', '=', scope);
  const rows = await q.orderBy('router_interfaces.port_id').execute();
  return rows.map((r) => ({ ...toInterface(r), accountId: r.account_id }));
}

const holdsSubnet = (endpoints: string, subnetId: string): boolean => {
  try {
    const list = JSON.parse(endpoints) as unknown;
    return Array.isArray(list) && list.some((e) => typeof e === 'string' && e.toLowerCase() === subnetId);
  } catch {
    return false;
  }
};

/** Subnet-type endpoint groups that list this subnet. */
export async function subnetEndpointGroups(ex: Executor, subnetId: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('endpoint_groups')
    .select(['id', 'endpoints'])
    .where('type', '=', 'subnet')
    .where('endpoints', 'like', `%${subnetId}%`)
    .orderBy('id')
    .execute();
  return rows.filter((r) => holdsSubnet(r.endpoints, subnetId)).map((r) => r.id);
}

/**
 * Connections (not being deleted) of gateways placed on the router (their extras refer to it) whose
 * endpoint groups (their extras refer to them) list this subnet.
 */
export async function connectionsWithGroupSubnet(ex: Executor, routerId: string, subnetId: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('extra_refs as cr')
    .innerJoin('endpoint_groups as g', (j) => j.onRef('g.id', '=', 'cr.ref_id').on('cr.ref_resource', '=', 'endpoint_group'))
    .innerJoin('connections as c', 'c.id', 'cr.id')
    .innerJoin('extra_refs as gr', (j) => j.onRef('gr.id', '=', 'c.gateway_id').on('gr.resource', '=', 'vpn_gateway').on('gr.ref_resource', '=', 'router'))
    .select(['c.id', 'g.endpoints'])
    .where('cr.resource', '=', 'connection')
    .where('g.type', '=', 'subnet')
    .where('gr.ref_id', '=', routerId)
    .where('c.lifecycle_state', '!=', 'deleting')
    .orderBy('c.id')
    .execute();
  return [...new Set(rows.filter((r) => holdsSubnet(r.endpoints, subnetId)).map((r) => r.id))];
}

/** A router as gateway placement needs it: owner, external gateway, the subnets on it (in the order added). */
export async function routerForPlacement(ex: Executor, routerId: string): Promise<{ accountId: string; external: boolean; subnetIds: string[] } | undefined> {
  const r = await ex.selectFrom('routers').select(['account_id', 'external_network_id']).where('id', '=', routerId).executeTakeFirst();
  if (!r) return undefined;
  return { accountId: r.account_id, external: r.external_network_id !== null, subnetIds: await routerSubnetIds(ex, routerId) };
}

/** The admin account (owner of the built-in external network), the oldest if several. */
export async function adminAccount(ex: Executor): Promise<{ id: string; createdAt: number } | undefined> {
  const r = await ex.selectFrom('accounts').select(['id', 'created_at']).where('is_admin', '=', 1).orderBy('created_at').executeTakeFirst();
  return r ? { id: r.id, createdAt: Number(r.created_at) } : undefined;
}
