import type { Account } from '../domain/tenancy.js';
import type { Executor, UserRow } from './schema.js';

/** A Keystone user of an account: the admin role (`isAdmin`) or the member role. */
export interface StoredUser {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** `scrypt$N$r$p$salt$hash` (src/control/users.ts); never leaves the control layer. */
  readonly passwordHash: string;
  readonly isAdmin: boolean;
  readonly createdAt: number;
}

const toUser = (r: UserRow): StoredUser => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  passwordHash: r.password_hash,
  isAdmin: r.is_admin === 1,
  createdAt: Number(r.created_at),
});

export async function insertUser(ex: Executor, u: StoredUser): Promise<void> {
  await ex
    .insertInto('users')
    .values({
      id: u.id,
      account_id: u.accountId,
      name: u.name,
      password_hash: u.passwordHash,
      is_admin: u.isAdmin ? 1 : 0,
      created_at: u.createdAt,
    })
    .execute();
}

export async function getUser(ex: Executor, id: string): Promise<StoredUser | undefined> {
  const r = await ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function findUserByName(ex: Executor, name: string): Promise<StoredUser | undefined> {
  const r = await ex.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

/** Every user, or those of one account; oldest first. */
export async function listUsers(ex: Executor, accountId?: string): Promise<StoredUser[]> {
  let q = ex.selectFrom('users').selectAll();
  if (accountId !== undefined) q = q.where('account_id', '=', accountId);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toUser);
}

/**
 * Every account, oldest first: Keystone lists accounts as projects. (account-store.ts maps accounts one
 * at a time; this is the only place that lists them as values.)
 */
export async function listAccounts(ex: Executor): Promise<Account[]> {
  const rows = await ex.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, isAdmin: r.is_admin === 1, createdAt: Number(r.created_at) }));
}
