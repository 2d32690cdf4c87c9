import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalidField } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Account } from '../domain/tenancy.js';
import { countAccounts, findAccountByName, insertAccount, insertApiKey } from '../store/account-store.js';
import type { Database } from '../store/schema.js';
import type { Clock } from './clock.js';

export const ACCOUNT_NAME = /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/;
export const ADMIN_ACCOUNT = 'admin';

/** API keys are shown once; only their SHA-256 is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function newApiKey(): string {
  return `cw_${randomBytes(32).toString('base64url')}`;
}

export interface CreatedAccount {
  readonly account: Account;
  readonly apiKey: string;
}

/** Creates an account with its default resource group and one API key. */
export async function createAccount(db: Kysely<Database>, clock: Clock, name: string, isAdmin = false): Promise<CreatedAccount> {
  if (!ACCOUNT_NAME.test(name)) {
    throw invalidField('name', `Account name '${name}' is not valid: use 1-63 lower-case letters, digits, '-', '_' or '.'.`);
  }
  const apiKey = newApiKey();
  const account = await db.transaction().execute(async (trx) => {
    if (await findAccountByName(trx, name)) throw new DomainError('name_not_unique', `An account named '${name}' already exists.`, { type: 'field', name: 'name' });
    const now = clock.now();
    const a: Account = { id: newId(), name, isAdmin, createdAt: now };
    await insertAccount(trx, a, { id: newId(), accountId: a.id, name: 'Default', isDefault: true, createdAt: now });
    await insertApiKey(trx, { id: newId(), accountId: a.id, keyHash: hashApiKey(apiKey), createdAt: now });
    return a;
  });
  return { account, apiKey };
}

/** On first start with an empty store: the operator's `admin` account. Returns its key, or undefined if accounts exist. */
export async function bootstrapAdmin(db: Kysely<Database>, clock: Clock): Promise<CreatedAccount | undefined> {
  if ((await countAccounts(db)) > 0) return undefined;
  return createAccount(db, clock, ADMIN_ACCOUNT, true);
}
