import { createHash, randomBytes } from 'node:crypto';
import { DomainError, invalidField } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Account } from '../domain/tenancy.js';
import { countAccounts, insertAccount, insertApiKey } from '../store/account-store.js';
import { unlessTaken } from '../store/store-errors.js';
import { listAccounts as listAccountRows } from '../store/user-store.js';
import type { Tx } from './tx.js';

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
export async function createAccount(tx: Tx, name: string, isAdmin = false): Promise<CreatedAccount> {
  if (!ACCOUNT_NAME.test(name)) {
    throw invalidField('name', `Account name '${name}' is not valid: use 1-63 lower-case letters, digits, '-', '_' or '.'.`);
  }
  const apiKey = newApiKey();
  const now = tx.now();
  const account: Account = { id: newId(), name, isAdmin, createdAt: now };
  await unlessTaken(
    insertAccount(tx.ex, account, { id: newId(), accountId: account.id, name: 'Default', isDefault: true, createdAt: now }),
    () => new DomainError('name_not_unique', `An account named '${name}' already exists.`, { type: 'field', name: 'name' }),
  );
  await insertApiKey(tx.ex, { id: newId(), accountId: account.id, keyHash: hashApiKey(apiKey), createdAt: now });
  tx.record({ resource: 'account', id: account.id, action: 'created', gatewayIds: [] });
  return { account, apiKey };
}

/** On first start with an empty store: the operator's `admin` account. Returns its key, or undefined if accounts exist. */
export async function bootstrapAdmin(tx: Tx): Promise<CreatedAccount | undefined> {
  if ((await countAccounts(tx.ex)) > 0) return undefined;
  return createAccount(tx, ADMIN_ACCOUNT, true);
}

/** Every account, oldest first. */
export async function listAccounts(tx: Tx): Promise<Account[]> {
  return listAccountRows(tx.ex);
}
