import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DomainError, invalidField } from '../domain/errors.js';
import { newId, parseId } from '../domain/ids.js';
import type { Account } from '../domain/tenancy.js';
import { findAccountByName, getAccount } from '../store/account-store.js';
import { unlessTaken } from '../store/store-errors.js';
import { findUserByName, getUser as getStoredUser, insertUser, listAccounts, listUsers as listStoredUsers, type StoredUser } from '../store/user-store.js';
import { mayAccess, mayAccessUser } from './access.js';
import type { Tx } from './tx.js';

/**
 * Keystone users: each belongs to one account (its Keystone project) and has the member role there,
 * or the admin role, which makes it a cloud administrator (it may scope to any project and act on
 * every account, as the native admin account does). Passwords are stored as scrypt hashes only.
 */
export interface User {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly isAdmin: boolean;
  readonly createdAt: number;
}

/** Keystone's own limit on user names; any printable text. */
// eslint-disable-next-line no-control-regex -- the point: names may not hold control characters
export const USER_NAME = /^[^\u0000-\u001f\u007f]{1,255}$/;
const MAX_PASSWORD = 4096;

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((ok, ko) => {
    scrypt(password, salt, keylen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? ko(err) : ok(key)));
  });
}

/** `scrypt$N$r$p$<salt>$<hash>` (base64url), with a fresh random 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison against a stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a corrupted row from making us allocate gigabytes.
  if (!Number.isInteger(N) || N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0 || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const want = Buffer.from(parts[5]!, 'base64url');
  if (want.length < 16 || want.length > 128) return false;
  const got = await scryptAsync(password, salt, N, r, p, want.length);
  return timingSafeEqual(got, want);
}

/** Spent on unknown user names so that a miss takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

const publicUser = (u: StoredUser): User => ({ id: u.id, accountId: u.accountId, name: u.name, isAdmin: u.isAdmin, createdAt: u.createdAt });

export interface NewUser {
  readonly accountName: string;
  readonly name: string;
  readonly password: string;
  readonly isAdmin: boolean;
}

/** A new user's fields checked and its password hashed: slow (scrypt), so done before the transaction. */
export interface HashedUser {
  readonly accountName: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly isAdmin: boolean;
}

export async function hashNewUser(input: NewUser): Promise<HashedUser> {
  if (!USER_NAME.test(input.name) || input.name.trim() !== input.name) {
    throw invalidField('name', `User name '${input.name}' is not valid: use 1-255 printable characters without leading or trailing spaces.`);
  }
  if (input.password.length === 0 || input.password.length > MAX_PASSWORD) {
    throw invalidField('password', `The password must be 1-${MAX_PASSWORD} characters.`);
  }
  return { accountName: input.accountName, name: input.name, passwordHash: await hashPassword(input.password), isAdmin: input.isAdmin };
}

/** The account of that name; not_found (about the `account` field) when there is none. */
async function accountNamed(tx: Tx, name: string): Promise<Account> {
  const a = await findAccountByName(tx.ex, name);
  if (a) return a;
  throw new DomainError(
    'not_found',
    `There is no account named '${name}' (see causeway account list).`,
    { type: 'field', name: 'account' },
    { resource: 'account' },
  );
}

/** Provisions a Keystone user of an existing account (by name). */
export async function createUser(tx: Tx, input: HashedUser): Promise<{ user: User; account: Account }> {
  const account = await accountNamed(tx, input.accountName);
  const user: StoredUser = {
    id: newId(),
    accountId: account.id,
    name: input.name,
    passwordHash: input.passwordHash,
    isAdmin: input.isAdmin,
    createdAt: tx.now(),
  };
  await unlessTaken(
    insertUser(tx.ex, user),
    () => new DomainError('name_not_unique', `A user named '${input.name}' already exists.`, { type: 'field', name: 'name' }),
  );
  tx.record({ resource: 'user', id: user.id, action: 'created', gatewayIds: [] });
  return { user: publicUser(user), account };
}

/** Users with the name of their account, oldest first; optionally of one account (by name). */
export async function listUsers(tx: Tx, accountName?: string): Promise<{ user: User; accountName: string }[]> {
  const accountId = accountName === undefined ? undefined : (await accountNamed(tx, accountName)).id;
  const names = new Map((await listAccounts(tx.ex)).map((a) => [a.id, a.name]));
  return (await listStoredUsers(tx.ex, accountId)).map((u) => ({ user: publicUser(u), accountName: names.get(u.accountId) ?? '?' }));
}

/** The stored record behind an id (dashed or 32 hex digits) or a name, hash included: for authentication only. */
export async function storedUser(tx: Tx, ref: { id: string } | { name: string }): Promise<StoredUser | undefined> {
  if ('name' in ref) return findUserByName(tx.ex, ref.name);
  const id = parseId(ref.id);
  return id ? getStoredUser(tx.ex, id) : undefined;
}

/** Checks a password against a stored user (or a decoy when there is none, so a miss takes as long); outside any transaction. */
export async function checkPassword(stored: StoredUser | undefined, password: string): Promise<User | undefined> {
  if (!stored || password.length > MAX_PASSWORD) {
    decoyHash ??= hashPassword(randomBytes(12).toString('hex'));
    await verifyPassword(password.slice(0, MAX_PASSWORD), await decoyHash);
    return undefined;
  }
  return (await verifyPassword(password, stored.passwordHash)) ? publicUser(stored) : undefined;
}

/** A user by id (dashed or 32 hex digits) or by name. */
export async function findUser(tx: Tx, ref: { id: string } | { name: string }): Promise<User | undefined> {
  const u = await storedUser(tx, ref);
  return u ? publicUser(u) : undefined;
}

/** Keystone projects are accounts: by id (dashed or 32 hex digits) or by name. */
export async function findProject(tx: Tx, ref: { id: string } | { name: string }): Promise<Account | undefined> {
  if ('name' in ref) return findAccountByName(tx.ex, ref.name);
  const id = parseId(ref.id);
  return id ? getAccount(tx.ex, id) : undefined;
}

/** Every user, oldest first (Keystone's user list for an admin). */
export async function allUsers(tx: Tx): Promise<User[]> {
  return (await listStoredUsers(tx.ex)).map(publicUser);
}

/** The projects (accounts) the actor may see: every one for the admin, its own otherwise. */
export async function visibleProjects(tx: Tx): Promise<Account[]> {
  if (tx.actor.isAdmin) return listAccounts(tx.ex);
  const own = await getAccount(tx.ex, tx.actor.accountId);
  return own ? [own] : [];
}

/** A project by id, when the actor may see it (another account's answers as missing). */
export async function showProject(tx: Tx, id: string): Promise<Account | undefined> {
  const a = await findProject(tx, { id });
  return a && mayAccess(tx.actor, a.id) ? a : undefined;
}

/** The users the actor may see; `self` is the user the actor signed in as. */
export async function visibleUsers(tx: Tx, self: string | undefined): Promise<User[]> {
  if (tx.actor.isAdmin) return allUsers(tx);
  const own = self === undefined ? undefined : await findUser(tx, { id: self });
  return own ? [own] : [];
}

/** A user by id, when the actor may see it. */
export async function showUser(tx: Tx, id: string, self: string | undefined): Promise<User | undefined> {
  const u = await findUser(tx, { id });
  return u && mayAccessUser(tx.actor, self, u.id) ? u : undefined;
}
