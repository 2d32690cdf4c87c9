import { DomainError } from '../domain/errors.js';
import type { Cipher, DhGroup, Integrity, PfsGroup } from '../domain/crypto-catalogue.js';
import type { IkePolicy, IpsecPolicy } from '../domain/policy.js';
import type { Scope } from './network-store.js';
import { type Page, type PageRequest, mapPage, pageQuery } from './page-query.js';
import type { Executor, IkePolicyRow, IpsecPolicyRow } from './schema.js';
import { unlessTaken } from './store-errors.js';

const toIke = (r: IkePolicyRow): IkePolicy => ({
  id: r.id,
  accountId: r.account_id,
  resourceGroupId: r.resource_group_id,
  name: r.name,
  ikeVersion: r.ike_version === 1 ? 1 : 2,
  negotiationMode: r.negotiation_mode === 'aggressive' ? 'aggressive' : 'main',
  encryption: JSON.parse(r.encryption) as Cipher[],
  integrity: JSON.parse(r.integrity) as Integrity[],
  dhGroups: JSON.parse(r.dh_groups) as DhGroup[],
  lifetimeSeconds: r.lifetime_seconds,
  revision: r.revision,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});
const ikeRow = (p: IkePolicy): IkePolicyRow => ({
  id: p.id,
  account_id: p.accountId,
  resource_group_id: p.resourceGroupId,
  name: p.name,
  ike_version: p.ikeVersion,
  negotiation_mode: p.negotiationMode,
  encryption: JSON.stringify(p.encryption),
  integrity: JSON.stringify(p.integrity),
  dh_groups: JSON.stringify(p.dhGroups),
  lifetime_seconds: p.lifetimeSeconds,
  revision: p.revision,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});
const toIpsec = (r: IpsecPolicyRow): IpsecPolicy => ({
  id: r.id,
  accountId: r.account_id,
  resourceGroupId: r.resource_group_id,
  name: r.name,
  encryption: JSON.parse(r.encryption) as Cipher[],
  integrity: JSON.parse(r.integrity) as Integrity[],
  pfs: JSON.parse(r.pfs) as PfsGroup[],
  lifetimeSeconds: r.lifetime_seconds,
  transform: 'esp',
  encapsulation: 'tunnel',
  revision: r.revision,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});
const ipsecRow = (p: IpsecPolicy): IpsecPolicyRow => ({
  id: p.id,
  account_id: p.accountId,
  resource_group_id: p.resourceGroupId,
  name: p.name,
  encryption: JSON.stringify(p.encryption),
  integrity: JSON.stringify(p.integrity),
  pfs: JSON.stringify(p.pfs),
  lifetime_seconds: p.lifetimeSeconds,
  revision: p.revision,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

export type PolicyTable = 'ike_policies' | 'ipsec_policies';

const LABEL: Record<PolicyTable, string> = { ike_policies: 'IKE policy', ipsec_policies: 'IPsec policy' };
const nameTaken = (table: PolicyTable, name: string): DomainError =>
  new DomainError('name_not_unique', `An ${LABEL[table]} named '${name}' already exists.`, { type: 'field', name: 'name', value: name });

/** A conditional update: the row must still be at the revision read. */
async function saveRow(ex: Executor, table: PolicyTable, id: string, rest: object, readRevision: number, name: string): Promise<void> {
  const r = await unlessTaken(
    ex
      .updateTable(table)
      .set(rest as never)
      .where('id', '=', id)
      .where('revision', '=', readRevision)
      .executeTakeFirst(),
    () => nameTaken(table, name),
  );
  if (Number(r.numUpdatedRows) !== 1)
    throw new DomainError('concurrent_update', `${LABEL[table]} '${id}' was changed by another request; read it again and retry.`);
}

export async function insertIkePolicy(ex: Executor, p: IkePolicy): Promise<void> {
  await unlessTaken(ex.insertInto('ike_policies').values(ikeRow(p)).execute(), () => nameTaken('ike_policies', p.name));
}
export async function saveIkePolicy(ex: Executor, p: IkePolicy, readRevision: number): Promise<void> {
  const { id, ...rest } = ikeRow(p);
  await saveRow(ex, 'ike_policies', id, rest, readRevision, p.name);
}
export async function getIkePolicy(ex: Executor, id: string): Promise<IkePolicy | undefined> {
  const r = await ex.selectFrom('ike_policies').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toIke(r) : undefined;
}
export async function getIkePolicies(ex: Executor, ids: readonly string[]): Promise<IkePolicy[]> {
  if (ids.length === 0) return [];
  return (await ex.selectFrom('ike_policies').selectAll().where('id', 'in', ids).execute()).map(toIke);
}
export async function listIkePolicies(ex: Executor, scope: Scope, req: PageRequest): Promise<Page<IkePolicy>> {
  let q = ex.selectFrom('ike_policies');
  if (scope !== undefined) q = q.where('account_id', '=', scope);
  return mapPage(await pageQuery<'ike_policies', IkePolicyRow>(q, req), toIke);
}

export async function insertIpsecPolicy(ex: Executor, p: IpsecPolicy): Promise<void> {
  await unlessTaken(ex.insertInto('ipsec_policies').values(ipsecRow(p)).execute(), () => nameTaken('ipsec_policies', p.name));
}
export async function saveIpsecPolicy(ex: Executor, p: IpsecPolicy, readRevision: number): Promise<void> {
  const { id, ...rest } = ipsecRow(p);
  await saveRow(ex, 'ipsec_policies', id, rest, readRevision, p.name);
}
/** An account's IKE policy by its name (names are unique per account). */
export async function ikePolicyNamed(ex: Executor, accountId: string, name: string): Promise<IkePolicy | undefined> {
  const r = await ex.selectFrom('ike_policies').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
  return r ? toIke(r) : undefined;
}
/** An account's IPsec policy by its name. */
export async function ipsecPolicyNamed(ex: Executor, accountId: string, name: string): Promise<IpsecPolicy | undefined> {
  const r = await ex.selectFrom('ipsec_policies').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
  return r ? toIpsec(r) : undefined;
}
export async function getIpsecPolicy(ex: Executor, id: string): Promise<IpsecPolicy | undefined> {
  const r = await ex.selectFrom('ipsec_policies').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toIpsec(r) : undefined;
}
export async function getIpsecPolicies(ex: Executor, ids: readonly string[]): Promise<IpsecPolicy[]> {
  if (ids.length === 0) return [];
  return (await ex.selectFrom('ipsec_policies').selectAll().where('id', 'in', ids).execute()).map(toIpsec);
}
export async function listIpsecPolicies(ex: Executor, scope: Scope, req: PageRequest): Promise<Page<IpsecPolicy>> {
  let q = ex.selectFrom('ipsec_policies');
  if (scope !== undefined) q = q.where('account_id', '=', scope);
  return mapPage(await pageQuery<'ipsec_policies', IpsecPolicyRow>(q, req), toIpsec);
}

export async function deletePolicy(ex: Executor, table: PolicyTable, id: string): Promise<void> {
  await ex.deleteFrom(table).where('id', '=', id).execute();
}
export async function countPolicies(ex: Executor, table: PolicyTable, accountId: string): Promise<number> {
  const r = await ex
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
export async function policyNameTaken(ex: Executor, table: PolicyTable, accountId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = ex.selectFrom(table).select('id').where('account_id', '=', accountId).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
