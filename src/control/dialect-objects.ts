import { notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import {
  deleteDialectObject,
  type DialectObject,
  getDialectObject,
  insertDialectObject,
  latestCreatedAt,
  listDialectObjects,
  updateDialectObject,
} from '../store/dialect-object-store.js';
import { listScope, mayAccess, ownerFor } from './access.js';
import { assertUnreferenced } from './extras.js';
import type { Tx } from './tx.js';

export type { DialectObject };

/** The resource name under which extras refer to a dialect object (a connection's customer gateway). */
export const DIALECT_OBJECT = 'dialect_object';

/** What a dialect writes: a new object (no id), or new name and data for one the actor may see. */
export interface DialectObjectInput {
  readonly dialect: string;
  readonly kind: string;
  readonly id?: string;
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The account a new object goes into (admin only; default the actor's). */
  readonly accountId?: string;
}

/** One page of objects: created after `after` (ms), oldest first; `total` counts the whole filter. */
export interface DialectObjectQuery {
  readonly dialect: string;
  readonly kind: string;
  /** Narrow to one account the actor may see (an admin addressing a project). */
  readonly accountId?: string;
  readonly after?: number;
  readonly limit: number;
}

async function load(tx: Tx, dialect: string, kind: string, id: string): Promise<DialectObject> {
  const o = await getDialectObject(tx.ex, id);
  if (!o || o.dialect !== dialect || o.kind !== kind || !mayAccess(tx.actor, o.accountId)) throw notFound('dialect_object', id);
  return o;
}

/**
 * Creates or updates a dialect-owned object. Creation instants are unique per account and kind (a
 * tie moves one millisecond on), so a page marker that is a created_at never skips or repeats one.
 */
export async function putDialectObject(tx: Tx, input: DialectObjectInput): Promise<DialectObject> {
  const now = tx.now();
  if (input.id !== undefined) {
    const cur = await load(tx, input.dialect, input.kind, input.id);
    const next: DialectObject = { ...cur, name: input.name, data: input.data, updatedAt: now };
    await updateDialectObject(tx.ex, next);
    return next;
  }
  const accountId = ownerFor(tx.actor, input.accountId);
  const latest = await latestCreatedAt(tx.ex, input.dialect, input.kind, accountId);
  const createdAt = latest !== undefined && latest >= now ? latest + 1 : now;
  const o: DialectObject = {
    dialect: input.dialect,
    kind: input.kind,
    id: newId(),
    accountId,
    name: input.name,
    data: input.data,
    createdAt,
    updatedAt: createdAt,
  };
  await insertDialectObject(tx.ex, o);
  return o;
}

export function getDialectObjectOf(tx: Tx, dialect: string, kind: string, id: string): Promise<DialectObject> {
  return load(tx, dialect, kind, id);
}

export async function listDialectObjectsOf(tx: Tx, q: DialectObjectQuery): Promise<{ items: DialectObject[]; total: number }> {
  const scope = listScope(tx.actor);
  if (scope !== undefined && q.accountId !== undefined && q.accountId !== scope) return { items: [], total: 0 };
  const accountId = q.accountId ?? scope;
  return listDialectObjects(tx.ex, {
    dialect: q.dialect,
    kind: q.kind,
    limit: q.limit,
    ...(accountId !== undefined ? { accountId } : {}),
    ...(q.after !== undefined ? { after: q.after } : {}),
  });
}

/** Deletes an object no extras refer to (a customer gateway a connection uses stays). */
export async function removeDialectObject(tx: Tx, dialect: string, kind: string, id: string): Promise<void> {
  const o = await load(tx, dialect, kind, id);
  await assertUnreferenced(tx, 'dialect_object', o.id, (by) => `The ${kind.replace(/_/g, ' ')} ${o.id} is used by ${by.resource} ${by.id}.`);
  await deleteDialectObject(tx.ex, o.id);
}
