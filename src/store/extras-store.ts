import type { Executor } from './schema.js';

/** A dialect's own fields on one domain object: JSON only that dialect reads and writes. */
export type ExtrasData = Readonly<Record<string, unknown>>;

/** An object the extras point at (a router, a subnet, an endpoint group): it cannot go while they do. */
export interface ExtraRef {
  readonly resource: string;
  readonly id: string;
}

/** Writes one object's extras (and references, when given); `fresh`: the object was just made, so it has none to replace. */
export async function putExtras(
  ex: Executor,
  dialect: string,
  resource: string,
  id: string,
  data: ExtrasData,
  refs?: readonly ExtraRef[],
  fresh = false,
): Promise<void> {
  if (!fresh) await ex.deleteFrom('extras').where('dialect', '=', dialect).where('resource', '=', resource).where('id', '=', id).execute();
  await ex
    .insertInto('extras')
    .values({ dialect, resource, id, data: JSON.stringify(data) })
    .execute();
  if (refs === undefined) return;
  if (!fresh) await dropRefs(ex, resource, id, dialect);
  const rows = [...new Map(refs.map((r) => [`${r.resource}/${r.id}`, r])).values()].map((r) => ({
    dialect,
    resource,
    id,
    ref_resource: r.resource,
    ref_id: r.id,
  }));
  if (rows.length > 0) await ex.insertInto('extra_refs').values(rows).execute();
}

/** The extras of several objects of one resource type, by id (absent ids have none). */
export async function getExtras(ex: Executor, dialect: string, resource: string, ids: readonly string[]): Promise<Map<string, ExtrasData>> {
  const out = new Map<string, ExtrasData>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await ex
      .selectFrom('extras')
      .select(['id', 'data'])
      .where('dialect', '=', dialect)
      .where('resource', '=', resource)
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, JSON.parse(r.data) as ExtrasData);
  }
  return out;
}

/** An object's references let go (it is being deleted: it no longer holds what it pointed at). */
export async function dropRefs(ex: Executor, resource: string, id: string, dialect?: string): Promise<void> {
  let q = ex.deleteFrom('extra_refs').where('resource', '=', resource).where('id', '=', id);
  if (dialect !== undefined) q = q.where('dialect', '=', dialect);
  await q.execute();
}

/** Removes an object's extras and references in every dialect (the object itself is gone). */
export async function deleteExtrasOf(ex: Executor, resource: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await ex
    .deleteFrom('extras')
    .where('resource', '=', resource)
    .where('id', 'in', [...ids])
    .execute();
  await ex
    .deleteFrom('extra_refs')
    .where('resource', '=', resource)
    .where('id', 'in', [...ids])
    .execute();
}

/** Who still refers to an object through their extras: (resource, id) pairs, oldest reference first. */
export async function referrers(ex: Executor, target: ExtraRef): Promise<ExtraRef[]> {
  const rows = await ex
    .selectFrom('extra_refs')
    .select(['resource', 'id'])
    .where('ref_resource', '=', target.resource)
    .where('ref_id', '=', target.id)
    .orderBy('resource')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ resource: r.resource, id: r.id }));
}
