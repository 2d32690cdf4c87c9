import type { Subnet, Vpc } from '../domain/tenancy.js';
import { getSubnet, getSubnets, getVpc, getVpcs, listSubnets, listVpcs, subnetIdsOfVpcs, subnetsOfVpc } from '../store/network-store.js';
import type { Page, PageRequest } from '../store/page-query.js';
import { adminAccount } from '../store/router-store.js';
import { defaultTablesOfVpcs, tablesOfSubnets } from '../store/routing-table-store.js';
import { listScope, mayAccess, visibleTo } from './access.js';
import type { Tx } from './tx.js';
import { byId, groupRefs, type Ref, refOf } from './view-refs.js';

export interface VpcView {
  readonly vpc: Vpc;
  readonly resourceGroup: Ref;
  /** Its subnets, oldest first (Neutron shows a network's subnets). */
  readonly subnetIds: readonly string[];
  /** Its default routing table (absent only for a VPC being made or gone). */
  readonly defaultRoutingTable?: Ref;
}
export interface SubnetView {
  readonly subnet: Subnet;
  readonly vpc: Ref;
  readonly resourceGroup: Ref;
  /** The routing table that routes it. */
  readonly routingTable?: Ref;
}

async function vpcViews(tx: Tx, list: readonly Vpc[]): Promise<VpcView[]> {
  const g = await groupRefs(
    tx,
    list.map((v) => v.resourceGroupId),
  );
  const subnets = await subnetIdsOfVpcs(
    tx.ex,
    list.map((v) => v.id),
  );
  const tables = await defaultTablesOfVpcs(
    tx.ex,
    list.map((v) => v.id),
  );
  return list.map((vpc) => {
    const t = tables.get(vpc.id);
    return {
      vpc,
      resourceGroup: g(vpc.resourceGroupId),
      subnetIds: subnets.get(vpc.id) ?? [],
      ...(t ? { defaultRoutingTable: { id: t.id, name: t.name } } : {}),
    };
  });
}

async function subnetViews(tx: Tx, list: readonly Subnet[]): Promise<SubnetView[]> {
  const v = byId(
    await getVpcs(
      tx.ex,
      list.map((s) => s.vpcId),
    ),
  );
  const g = await groupRefs(
    tx,
    list.map((s) => s.resourceGroupId),
  );
  const tables = await tablesOfSubnets(tx.ex, list);
  return list.map((subnet) => {
    const t = tables.get(subnet.id);
    return {
      subnet,
      vpc: refOf(v.get(subnet.vpcId), subnet.vpcId),
      resourceGroup: g(subnet.resourceGroupId),
      ...(t ? { routingTable: { id: t.id, name: t.name } } : {}),
    };
  });
}

export async function getVpcView(tx: Tx, id: string): Promise<VpcView> {
  return (await vpcViews(tx, [visibleTo(tx.actor, await getVpc(tx.ex, id), 'vpc', id)]))[0]!;
}
export async function listVpcViews(tx: Tx, req: PageRequest): Promise<Page<VpcView>> {
  const page = await listVpcs(tx.ex, listScope(tx.actor), req);
  return { ...page, items: await vpcViews(tx, page.items) };
}
export async function getSubnetView(tx: Tx, id: string): Promise<SubnetView> {
  return (await subnetViews(tx, [visibleTo(tx.actor, await getSubnet(tx.ex, id), 'subnet', id)]))[0]!;
}
export async function listSubnetViews(tx: Tx, req: PageRequest, filter: { vpcId?: string } = {}): Promise<Page<SubnetView>> {
  const page = await listSubnets(tx.ex, listScope(tx.actor), req, filter.vpcId);
  return { ...page, items: await subnetViews(tx, page.items) };
}
/** Several subnets the actor may see, by id (the ones it may not see are left out). */
export async function subnetsByIds(tx: Tx, ids: readonly string[]): Promise<Subnet[]> {
  return (await getSubnets(tx.ex, ids)).filter((s) => mayAccess(tx.actor, s.accountId));
}

/** The owner of the built-in external network (the admin account) and a stable creation time for it. */
export async function publicNetworkOwner(tx: Tx): Promise<{ accountId: string; createdAt: number }> {
  const a = await adminAccount(tx.ex);
  return a ? { accountId: a.id, createdAt: a.createdAt } : { accountId: '00000000-0000-0000-0000-000000000000', createdAt: 0 };
}

/** A VPC the actor may see and its subnets, oldest first: two reads, no view (a create path's lookup). */
export async function vpcWithSubnets(tx: Tx, id: string): Promise<{ vpc: Vpc; subnets: Subnet[] }> {
  const vpc = visibleTo(tx.actor, await getVpc(tx.ex, id), 'vpc', id);
  return { vpc, subnets: await subnetsOfVpc(tx.ex, vpc.id) };
}
