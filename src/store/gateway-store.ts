import type { GatewayMember, GatewayMode, VpnGateway } from '../domain/gateway.js';
import type { HealthState, LifecycleState } from '../domain/tenancy.js';
import type { Scope } from './network-store.js';
import { type Page, type PageRequest, mapPage, pageQuery } from './page-query.js';
import type { Selectable } from 'kysely';
import type { Executor, GatewayRow } from './schema.js';

const toGateway = (r: Selectable<GatewayRow>): VpnGateway => ({
  id: r.id, accountId: r.account_id, resourceGroupId: r.resource_group_id, name: r.name, vpcId: r.vpc_id,
  subnetId: r.subnet_id, zone: r.zone, mode: r.mode as GatewayMode, members: JSON.parse(r.members) as GatewayMember[],
  advertisedCidrs: JSON.parse(r.advertised_cidrs) as string[], localAsn: Number(r.local_asn),
  lifecycleState: r.lifecycle_state as LifecycleState, healthState: r.health_state as HealthState,
  healthReasons: JSON.parse(r.health_reasons) as VpnGateway['healthReasons'], revision: r.revision,
  createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

const toRow = (g: VpnGateway): Omit<GatewayRow, 'connection_count' | 'connection_cidr_count'> => ({
  id: g.id, account_id: g.accountId, resource_group_id: g.resourceGroupId, name: g.name, vpc_id: g.vpcId,
  subnet_id: g.subnetId, zone: g.zone, mode: g.mode, members: JSON.stringify(g.members),
  advertised_cidrs: JSON.stringify(g.advertisedCidrs), local_asn: g.localAsn, lifecycle_state: g.lifecycleState,
  health_state: g.healthState, health_reasons: JSON.stringify(g.healthReasons), revision: g.revision,
  created_at: g.createdAt, updated_at: g.updatedAt,
});

export async function insertGateway(ex: Executor, g: VpnGateway): Promise<void> {
  await ex.insertInto('vpn_gateways').values(toRow(g)).execute();
}
export async function saveGateway(ex: Executor, g: VpnGateway): Promise<void> {
  const { id, ...rest } = toRow(g);
  await ex.updateTable('vpn_gateways').set(rest).where('id', '=', id).execute();
}
export async function deleteGatewayRow(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('vpn_gateways').where('id', '=', id).execute();
}
export async function getGateway(ex: Executor, id: string): Promise<VpnGateway | undefined> {
  const r = await ex.selectFrom('vpn_gateways').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toGateway(r) : undefined;
}
export async function gatewaysOfVpc(ex: Executor, vpcId: string): Promise<VpnGateway[]> {
  return (await ex.selectFrom('vpn_gateways').selectAll().where('vpc_id', '=', vpcId).execute()).map(toGateway);
}
export async function gatewaysOfAccount(ex: Executor, accountId: string): Promise<VpnGateway[]> {
  return (await ex.selectFrom('vpn_gateways').selectAll().where('account_id', '=', accountId).execute()).map(toGateway);
}
export async function countGatewaysOnSubnet(ex: Executor, subnetId: string): Promise<number> {
  const r = await ex.selectFrom('vpn_gateways').select((eb) => eb.fn.countAll<number>().as('n')).where('subnet_id', '=', subnetId).executeTakeFirstOrThrow();
  return Number(r.n);
}
export async function gatewaysInState(ex: Executor, state: string): Promise<VpnGateway[]> {
  return (await ex.selectFrom('vpn_gateways').selectAll().where('lifecycle_state', '=', state).execute()).map(toGateway);
}

export interface GatewayFilter {
  readonly resourceGroupId?: string;
  readonly mode?: GatewayMode;
}

export async function listGateways(ex: Executor, scope: Scope, f: GatewayFilter, req: PageRequest): Promise<Page<VpnGateway>> {
  let q = ex.selectFrom('vpn_gateways');
  if (scope !== undefined) q = q.where('account_id', '=', scope);
  if (f.resourceGroupId !== undefined) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.mode !== undefined) q = q.where('mode', '=', f.mode);
  return mapPage(await pageQuery<'vpn_gateways', Selectable<GatewayRow>>(q, req), toGateway);
}
export async function getGateways(ex: Executor, ids: readonly string[]): Promise<VpnGateway[]> {
  if (ids.length === 0) return [];
  return (await ex.selectFrom('vpn_gateways').selectAll().where('id', 'in', ids).execute()).map(toGateway);
}
