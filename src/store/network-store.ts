import { DomainError } from '../domain/errors.js';
import type { Subnet, Vpc } from '../domain/tenancy.js';
import { type Page, type PageRequest, mapPage, pageQuery } from './page-query.js';
import type { Executor, SubnetRow, VpcRow } from './schema.js';
import { unlessTaken } from './store-errors.js';

/** Lists are scoped to one account, or to all for the admin (accountId undefined). */
export type Scope = string | undefined;

const toVpc = (r: VpcRow): Vpc => ({
  id: r.id,
  accountId: r.account_id,
  resourceGroupId: r.resource_group_id,
  name: r.name,
  createdAt: Number(r.created_at),
});
const toSubnet = (r: SubnetRow): Subnet => ({
  id: r.id,
  accountId: r.account_id,
  resourceGroupId: r.resource_group_id,
  vpcId: r.vpc_id,
  zone: r.zone,
  name: r.name,
  cidr: r.cidr,
  ipVersion: r.ip_version === 6 ? 6 : 4,
  createdAt: Number(r.created_at),
});

const vpcNameTaken = (name: string): DomainError =>
  new DomainError('name_not_unique', `A VPC named '${name}' already exists.`, { type: 'field', name: 'name', value: name });
const subnetNameTaken = (name: string): DomainError =>
  new DomainError('name_not_unique', `The VPC already has a subnet named '${name}'.`, { type: 'field', name: 'name', value: name });

export async function insertVpc(ex: Executor, v: Vpc): Promise<void> {
  await unlessTaken(
    ex.insertInto('vpcs').values({ id: v.id, account_id: v.accountId, resource_group_id: v.resourceGroupId, name: v.name, created_at: v.createdAt }).execute(),
    () => vpcNameTaken(v.name),
  );
}
export async function updateVpcName(ex: Executor, id: string, name: string): Promise<void> {
  await unlessTaken(ex.updateTable('vpcs').set({ name }).where('id', '=', id).execute(), () => vpcNameTaken(name));
}
export async function deleteVpc(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('vpcs').where('id', '=', id).execute();
}
export async function getVpc(ex: Executor, id: string): Promise<Vpc | undefined> {
  const r = await ex.selectFrom('vpcs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toVpc(r) : undefined;
}
export async function getVpcs(ex: Executor, ids: readonly string[]): Promise<Vpc[]> {
  if (ids.length === 0) return [];
  return (await ex.selectFrom('vpcs').selectAll().where('id', 'in', ids).execute()).map(toVpc);
}
export async function findVpcByName(ex: Executor, accountId: string, name: string): Promise<Vpc | undefined> {
  const r = await ex.selectFrom('vpcs').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
  return r ? toVpc(r) : undefined;
}
export async function countVpcs(ex: Executor, accountId: string): Promise<number> {
  const r = await ex
    .selectFrom('vpcs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
export async function listVpcs(ex: Executor, scope: Scope, req: PageRequest): Promise<Page<Vpc>> {
  let q = ex.selectFrom('vpcs');
  if (scope !== undefined) q = q.where('account_id', '=', scope);
  return mapPage(await pageQuery<'vpcs', VpcRow>(q, req), toVpc);
}

export async function insertSubnet(ex: Executor, s: Subnet): Promise<void> {
  await unlessTaken(
    ex
      .insertInto('subnets')
      .values({
        id: s.id,
        account_id: s.accountId,
        resource_group_id: s.resourceGroupId,
        vpc_id: s.vpcId,
        zone: s.zone,
        name: s.name,
        cidr: s.cidr,
        ip_version: s.ipVersion,
        created_at: s.createdAt,
      })
      .execute(),
    () => subnetNameTaken(s.name),
  );
}
export async function updateSubnetName(ex: Executor, id: string, name: string): Promise<void> {
  await unlessTaken(ex.updateTable('subnets').set({ name }).where('id', '=', id).execute(), () => subnetNameTaken(name));
}
export async function deleteSubnet(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('subnets').where('id', '=', id).execute();
}
export async function getSubnet(ex: Executor, id: string): Promise<Subnet | undefined> {
  const r = await ex.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSubnet(r) : undefined;
}
export async function getSubnets(ex: Executor, ids: readonly string[]): Promise<Subnet[]> {
  if (ids.length === 0) return [];
  return (await ex.selectFrom('subnets').selectAll().where('id', 'in', ids).execute()).map(toSubnet);
}
export async function subnetsOfVpc(ex: Executor, vpcId: string): Promise<Subnet[]> {
  return (await ex.selectFrom('subnets').selectAll().where('vpc_id', '=', vpcId).orderBy('created_at').orderBy('id').execute()).map(toSubnet);
}
export async function listSubnets(ex: Executor, scope: Scope, req: PageRequest, vpcId?: string): Promise<Page<Subnet>> {
  let q = ex.selectFrom('subnets');
  if (scope !== undefined) q = q.where('account_id', '=', scope);
  if (vpcId !== undefined) q = q.where('vpc_id', '=', vpcId);
  return mapPage(await pageQuery<'subnets', SubnetRow>(q, req), toSubnet);
}

export async function reservedAddresses(ex: Executor, subnetId: string): Promise<Set<string>> {
  const rows = await ex.selectFrom('reserved_ips').select('address').where('subnet_id', '=', subnetId).execute();
  return new Set(rows.map((r) => r.address));
}
export async function insertReservedIp(ex: Executor, r: { id: string; subnetId: string; address: string; ownerId: string }): Promise<void> {
  await ex.insertInto('reserved_ips').values({ id: r.id, subnet_id: r.subnetId, address: r.address, owner_id: r.ownerId }).execute();
}
export async function deleteReservedIpsOf(ex: Executor, ownerId: string): Promise<void> {
  await ex.deleteFrom('reserved_ips').where('owner_id', '=', ownerId).execute();
}

export async function usedPublicIps(ex: Executor): Promise<Set<string>> {
  const rows = await ex.selectFrom('public_ips').select('address').execute();
  return new Set(rows.map((r) => r.address));
}
export async function insertPublicIp(ex: Executor, address: string, gatewayId: string, memberIndex: number): Promise<void> {
  await ex.insertInto('public_ips').values({ address, gateway_id: gatewayId, member_index: memberIndex }).execute();
}
export async function deletePublicIpsOf(ex: Executor, gatewayId: string): Promise<void> {
  await ex.deleteFrom('public_ips').where('gateway_id', '=', gatewayId).execute();
}

/** The ids of the subnets of several VPCs, grouped by VPC, oldest first. */
export async function subnetIdsOfVpcs(ex: Executor, vpcIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (vpcIds.length === 0) return out;
  const rows = await ex
    .selectFrom('subnets')
    .select(['id', 'vpc_id'])
    .where('vpc_id', 'in', [...new Set(vpcIds)])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.vpc_id, [...(out.get(r.vpc_id) ?? []), r.id]);
  return out;
}
