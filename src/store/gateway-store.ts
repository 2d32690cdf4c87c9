import { DomainError } from '../domain/errors.js';
import type { GatewayMember, GatewayMode, VpnGateway } from '../domain/gateway.js';
import type { HealthState, LifecycleState } from '../domain/tenancy.js';
import type { Scope } from './network-store.js';
import { type Page, type PageRequest, mapPage, pageQuery } from './page-query.js';
import type { Selectable } from 'kysely';
import type { Executor, GatewayRow } from './schema.js';
import { unlessTaken } from './store-errors.js';

const toGateway = (r: Selectable<GatewayRow>): VpnGateway => ({
  id: r.id,
  accountId: r.account_id,
  resourceGroupId: r.resource_group_id,
  name: r.name,
  vpcId: r.vpc_id,
  subnetId: r.subnet_id,
  zone: r.zone,
  mode: r.mode as GatewayMode,
  members: JSON.parse(r.members) as GatewayMember[],
  advertisedCidrs: JSON.parse(r.advertised_cidrs) as string[],
  localAsn: Number(r.local_asn),
  lifecycleState: r.lifecycle_state as LifecycleState,
  healthState: r.health_state as HealthState,
  healthReasons: JSON.parse(r.health_reasons) as VpnGateway['healthReasons'],
  revision: r.revision,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toRow = (g: VpnGateway): Omit<GatewayRow, 'connection_count' | 'connection_cidr_count' | 'generation' | 'report_generation'> => ({
  id: g.id,
  account_id: g.accountId,
  resource_group_id: g.resourceGroupId,
  name: g.name,
  vpc_id: g.vpcId,
  subnet_id: g.subnetId,
  zone: g.zone,
  mode: g.mode,
  members: JSON.stringify(g.members),
  advertised_cidrs: JSON.stringify(g.advertisedCidrs),
  local_asn: g.localAsn,
  lifecycle_state: g.lifecycleState,
  health_state: g.healthState,
  health_reasons: JSON.stringify(g.healthReasons),
  revision: g.revision,
  created_at: g.createdAt,
  updated_at: g.updatedAt,
});

const nameTaken = (g: VpnGateway): DomainError =>
  new DomainError('name_not_unique', `The VPC already has a VPN gateway named '${g.name}'.`, { type: 'field', name: 'name', value: g.name });

export async function insertGateway(ex: Executor, g: VpnGateway): Promise<void> {
  await unlessTaken(ex.insertInto('vpn_gateways').values(toRow(g)).execute(), () => nameTaken(g));
}
/** Writes a gateway read at revision `readRevision` in this transaction; a change by another writer in between refuses it. */
/**
 * Writes a gateway read at `readRevision`; another writer's change in between refuses it. What the data
 * plane observed (lifecycle, health, the members' state) is the agent's to write (`setGatewayHealth`): a
 * save never writes back what it read, except a delete's, which marks the gateway and its members deleting.
 */
export async function saveGateway(ex: Executor, g: VpnGateway, readRevision: number): Promise<void> {
  const { id, lifecycle_state, health_state, health_reasons, members, ...config } = toRow(g);
  const rest = g.lifecycleState === 'deleting' ? { ...config, lifecycle_state, health_state, health_reasons, members } : config;
  const r = await unlessTaken(ex.updateTable('vpn_gateways').set(rest).where('id', '=', id).where('revision', '=', readRevision).executeTakeFirst(), () =>
    nameTaken(g),
  );
  if (Number(r.numUpdatedRows) !== 1)
    throw new DomainError('concurrent_update', `VPN gateway '${id}' was changed by another request; read it again and retry.`);
}
/** Writes what the data plane observed (lifecycle, health, the members' copies), never the configuration. */
export async function setGatewayHealth(
  ex: Executor,
  g: Pick<VpnGateway, 'id' | 'lifecycleState' | 'healthState' | 'healthReasons' | 'members'>,
): Promise<void> {
  await ex
    .updateTable('vpn_gateways')
    .set({
      lifecycle_state: g.lifecycleState,
      health_state: g.healthState,
      health_reasons: JSON.stringify(g.healthReasons),
      members: JSON.stringify(g.members),
    })
    .where('id', '=', g.id)
    .execute();
}
/** The generation of the last agent report accepted for a gateway, and of its last change. */
export async function gatewayGenerations(ex: Executor, id: string): Promise<{ generation: number; reported: number } | undefined> {
  const r = await ex.selectFrom('vpn_gateways').select(['generation', 'report_generation']).where('id', '=', id).executeTakeFirst();
  return r ? { generation: Number(r.generation), reported: Number(r.report_generation) } : undefined;
}
/** Accepts a report of `generation` unless a newer one was accepted (conditional, so two concurrent reports cannot both win). */
export async function setReportGeneration(ex: Executor, id: string, generation: number): Promise<boolean> {
  const r = await ex
    .updateTable('vpn_gateways')
    .set({ report_generation: generation })
    .where('id', '=', id)
    .where('report_generation', '<=', generation)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
/** Every gateway id, those being deleted included. */
export async function allGatewayIds(ex: Executor): Promise<string[]> {
  return (await ex.selectFrom('vpn_gateways').select('id').orderBy('created_at').execute()).map((r) => r.id);
}
/** Lifecycle states of the gateways on a subnet or in a VPC (a delete waits for those being torn down). */
export async function gatewayStatesOn(ex: Executor, on: { subnetId: string } | { vpcId: string }): Promise<string[]> {
  let q = ex.selectFrom('vpn_gateways').select('lifecycle_state');
  q = 'subnetId' in on ? q.where('subnet_id', '=', on.subnetId) : q.where('vpc_id', '=', on.vpcId);
  return (await q.execute()).map((r) => r.lifecycle_state);
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
  const r = await ex
    .selectFrom('vpn_gateways')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subnet_id', '=', subnetId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
/** Gateways in `deleting` whose deletion is at or before `generation` (all when undefined). */
export async function gatewaysDeletingUpTo(ex: Executor, gatewayId: string | undefined, generation: number | undefined): Promise<VpnGateway[]> {
  let q = ex.selectFrom('vpn_gateways').selectAll().where('lifecycle_state', '=', 'deleting');
  if (gatewayId !== undefined) q = q.where('id', '=', gatewayId);
  if (generation !== undefined) q = q.where('generation', '<=', generation);
  return (await q.execute()).map(toGateway);
}

export interface GatewayFilter {
  readonly resourceGroupId?: string;
  readonly mode?: GatewayMode;
  /** Leave out gateways being deleted. */
  readonly live?: boolean;
}

export async function listGateways(ex: Executor, scope: Scope, f: GatewayFilter, req: PageRequest): Promise<Page<VpnGateway>> {
  let q = ex.selectFrom('vpn_gateways');
  if (scope !== undefined) q = q.where('account_id', '=', scope);
  if (f.resourceGroupId !== undefined) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.mode !== undefined) q = q.where('mode', '=', f.mode);
  if (f.live) q = q.where('lifecycle_state', '!=', 'deleting');
  return mapPage(await pageQuery<'vpn_gateways', Selectable<GatewayRow>>(q, req), toGateway);
}
export async function getGateways(ex: Executor, ids: readonly string[]): Promise<VpnGateway[]> {
  if (ids.length === 0) return [];
  return (await ex.selectFrom('vpn_gateways').selectAll().where('id', 'in', ids).execute()).map(toGateway);
}
