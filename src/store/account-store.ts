import type { Account, ResourceGroup } from '../domain/tenancy.js';
import type { AccountRow, Executor, ResourceGroupRow } from './schema.js';

const toAccount = (r: AccountRow): Account => ({ id: r.id, name: r.name, isAdmin: r.is_admin === 1, createdAt: Number(r.created_at) });
const toGroup = (r: ResourceGroupRow): ResourceGroup => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  isDefault: r.is_default === 1,
  createdAt: Number(r.created_at),
});

export async function countAccounts(ex: Executor): Promise<number> {
  const r = await ex
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertAccount(ex: Executor, a: Account, group: ResourceGroup): Promise<void> {
  await ex
    .insertInto('accounts')
    .values({ id: a.id, name: a.name, is_admin: a.isAdmin ? 1 : 0, created_at: a.createdAt })
    .execute();
  await ex
    .insertInto('resource_groups')
    .values({
      id: group.id,
      account_id: group.accountId,
      name: group.name,
      is_default: group.isDefault ? 1 : 0,
      created_at: group.createdAt,
    })
    .execute();
}

export async function insertApiKey(ex: Executor, k: { id: string; accountId: string; keyHash: string; createdAt: number }): Promise<void> {
  await ex.insertInto('api_keys').values({ id: k.id, account_id: k.accountId, key_hash: k.keyHash, created_at: k.createdAt }).execute();
}

export async function findAccountByName(ex: Executor, name: string): Promise<Account | undefined> {
  const r = await ex.selectFrom('accounts').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toAccount(r) : undefined;
}

export async function getAccount(ex: Executor, id: string): Promise<Account | undefined> {
  const r = await ex.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toAccount(r) : undefined;
}

export async function findAccountByKeyHash(ex: Executor, keyHash: string): Promise<Account | undefined> {
  const r = await ex
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .selectAll('accounts')
    .where('api_keys.key_hash', '=', keyHash)
    .executeTakeFirst();
  return r ? toAccount(r) : undefined;
}

export async function getResourceGroup(ex: Executor, id: string): Promise<ResourceGroup | undefined> {
  const r = await ex.selectFrom('resource_groups').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toGroup(r) : undefined;
}

export async function defaultResourceGroup(ex: Executor, accountId: string): Promise<ResourceGroup | undefined> {
  const r = await ex.selectFrom('resource_groups').selectAll().where('account_id', '=', accountId).where('is_default', '=', 1).executeTakeFirst();
  return r ? toGroup(r) : undefined;
}

export async function listResourceGroups(ex: Executor, ids: readonly string[]): Promise<ResourceGroup[]> {
  if (ids.length === 0) return [];
  return (await ex.selectFrom('resource_groups').selectAll().where('id', 'in', ids).execute()).map(toGroup);
}
