import { randomInt } from 'node:crypto';
import { DomainError, notFound } from '../domain/errors.js';
import { mayAccessUser } from './access.js';
import type { Tx } from './tx.js';
import { findUser, type User } from './users.js';

/**
 * Huawei access keys (AK/SK): a user's credentials for signed requests (SDK-HMAC-SHA256, the Huawei
 * SDKs' default). The AK names the key (20 upper-case letters and digits, as Huawei's); the SK (40
 * letters and digits) is shown once, at creation, and kept sealed: checking a signature needs it.
 * A user manages its own keys (`self`: the user it signed in as); an administrator every user's.
 */
export interface AccessKeyInfo {
  readonly accessKey: string;
  readonly userId: string;
  readonly createdAt: number;
}

export interface CreatedAccessKey {
  readonly key: AccessKeyInfo;
  /** The secret key: returned here once, never again. */
  readonly secret: string;
  readonly user: User;
}

/** Who signs with a key, for verification. */
export interface AccessKeyOwner {
  readonly secret: string;
  readonly user: User;
}

export const ACCESS_KEY = /^[A-Z0-9]{20}$/;
/** Huawei IAM allows two access keys per user (so one can be rotated while the other is in use). */
export const MAX_ACCESS_KEYS_PER_USER = 2;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED = `${UPPER}abcdefghijklmnopqrstuvwxyz`;
const randomText = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

type UserRef = { id: string } | { name: string };
const refText = (ref: UserRef): string => ('id' in ref ? ref.id : ref.name);

/** The user named, when the actor may manage its keys; otherwise not_found (another's answers as missing). */
async function managedUser(tx: Tx, ref: UserRef, self: string | undefined): Promise<User> {
  const u = await findUser(tx, ref);
  if (!u || !mayAccessUser(tx.actor, self, u.id)) throw notFound('user', refText(ref), undefined, { type: 'field', name: 'user' });
  return u;
}

export async function createAccessKey(tx: Tx, ref: UserRef, self?: string): Promise<CreatedAccessKey> {
  const user = await managedUser(tx, ref, self);
  if ((await tx.deps.accessKeys.count(tx.ex, user.id)) >= MAX_ACCESS_KEYS_PER_USER) {
    throw new DomainError('over_quota', `User '${user.name}' already has ${MAX_ACCESS_KEYS_PER_USER} access keys: delete one first.`);
  }
  const key: AccessKeyInfo = { accessKey: randomText(UPPER, 20), userId: user.id, createdAt: tx.now() };
  const secret = randomText(MIXED, 40);
  await tx.deps.accessKeys.insert(tx.ex, { id: key.accessKey, userId: user.id, secret, createdAt: key.createdAt });
  tx.record({ resource: 'access_key', id: key.accessKey, action: 'created', gatewayIds: [] });
  return { key, secret, user };
}

/** The keys of one user (AKs only), or with no user every key the actor may see. */
export async function listAccessKeys(tx: Tx, ref?: UserRef, self?: string): Promise<AccessKeyInfo[]> {
  let userId: string | undefined;
  if (ref !== undefined) userId = (await managedUser(tx, ref, self)).id;
  else if (!tx.actor.isAdmin) {
    if (self === undefined) return [];
    userId = self;
  }
  return (await tx.deps.accessKeys.list(tx.ex, userId)).map((k) => ({ accessKey: k.id, userId: k.userId, createdAt: k.createdAt }));
}

/** Deletes a key the actor may manage; false when there is none (or it is another user's). */
export async function deleteAccessKey(tx: Tx, accessKey: string, self?: string): Promise<boolean> {
  if (!ACCESS_KEY.test(accessKey)) return false;
  const k = await tx.deps.accessKeys.get(tx.ex, accessKey);
  if (!k || !mayAccessUser(tx.actor, self, k.userId)) return false;
  await tx.deps.accessKeys.remove(tx.ex, accessKey);
  tx.record({ resource: 'access_key', id: accessKey, action: 'deleted', gatewayIds: [] });
  return true;
}

/** The secret and the owner of a key, to verify a signature (system only; never shown to anyone). */
export async function accessKeySecret(tx: Tx, accessKey: string): Promise<AccessKeyOwner | undefined> {
  if (!ACCESS_KEY.test(accessKey)) return undefined;
  const k = await tx.deps.accessKeys.get(tx.ex, accessKey);
  const user = k ? await findUser(tx, { id: k.userId }) : undefined;
  return k && user ? { secret: k.secret, user } : undefined;
}
