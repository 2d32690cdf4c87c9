import type { Selectable } from 'kysely';
import type { DialectObjectRow, Executor } from './schema.js';

/** An object only one dialect has: its tenancy and paging columns, the rest the dialect's JSON. */
export interface DialectObject {
  readonly dialect: string;
  readonly kind: string;
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Which dialect objects a list holds: one dialect's kind, one account (or all), after a created_at. */
export interface DialectObjectFilter {
  readonly dialect: string;
  readonly kind: string;
  readonly accountId?: string;
  /** Only objects created after this instant (ms): the created_at of the last item already returned. */
  readonly after?: number;
  readonly limit: number;
}

const toObject = (r: Selectable<DialectObjectRow>): DialectObject => ({
  dialect: r.dialect,
  kind: r.kind,
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  data: JSON.parse(r.data) as Record<string, unknown>,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toRow = (o: DialectObject): DialectObjectRow => ({
  dialect: o.dialect,
  kind: o.kind,
  id: o.id,
  account_id: o.accountId,
  name: o.name,
  data: JSON.stringify(o.data),
  created_at: o.createdAt,
  updated_at: o.updatedAt,
});

/** One object by id (ids are UUIDs: unique across dialects and kinds). */
export async function getDialectObject(ex: Executor, id: string): Promise<DialectObject | undefined> {
  const r = await ex.selectFrom('dialect_objects').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toObject(r) : undefined;
}

/** The newest created_at of an account's objects of one kind (creation instants are kept unique per account and kind). */
export async function latestCreatedAt(ex: Executor, dialect: string, kind: string, accountId: string): Promise<number | undefined> {
  const r = await ex
    .selectFrom('dialect_objects')
    .select((eb) => eb.fn.max('created_at').as('t'))
    .where('dialect', '=', dialect)
    .where('kind', '=', kind)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r?.t === null || r?.t === undefined ? undefined : Number(r.t);
}

export async function insertDialectObject(ex: Executor, o: DialectObject): Promise<void> {
  await ex.insertInto('dialect_objects').values(toRow(o)).execute();
}

export async function updateDialectObject(ex: Executor, o: DialectObject): Promise<void> {
  await ex
    .updateTable('dialect_objects')
    .set({ name: o.name, data: JSON.stringify(o.data), updated_at: o.updatedAt })
    .where('id', '=', o.id)
    .execute();
}

export async function deleteDialectObject(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('dialect_objects').where('id', '=', id).execute();
}

/** A page in creation order, and the total of the filter without `after` and `limit`. */
export async function listDialectObjects(ex: Executor, f: DialectObjectFilter): Promise<{ items: DialectObject[]; total: number }> {
  let base = ex.selectFrom('dialect_objects').where('dialect', '=', f.dialect).where('kind', '=', f.kind);
  if (f.accountId !== undefined) base = base.where('account_id', '=', f.accountId);
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  let q = base.selectAll();
  if (f.after !== undefined) q = q.where('created_at', '>', f.after);
  const rows = await q.orderBy('created_at').orderBy('id').limit(f.limit).execute();
  return { items: rows.map(toObject), total: Number(count?.n ?? 0) };
}
