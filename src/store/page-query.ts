import type { SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

/** Keyset pagination over (sort column, id). */
export interface PageRequest {
  readonly limit: number;
  readonly sort: 'created_at' | 'name';
  readonly desc: boolean;
  /** The (sort value, id) of the last row already returned. */
  readonly after?: readonly [string | number, string];
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  /** Present when more rows follow: the key to continue after. */
  readonly next?: readonly [string | number, string];
}

type Sortable = { id: string; created_at: number; name: string };

export async function pageQuery<TB extends keyof Database, R extends Sortable>(
  base: SelectQueryBuilder<Database, TB, object>,
  req: PageRequest,
): Promise<Page<R>> {
  // The base query carries only the filters; each use below adds its own selection.
  const countRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const dir = req.desc ? 'desc' : 'asc';
  const sortRef = req.sort as never;
  let q = base.selectAll() as unknown as SelectQueryBuilder<Database, TB, R>;
  if (req.after) {
    const [v, id] = req.after;
    q = q.where((eb) => eb(eb.refTuple(sortRef, 'id' as never), req.desc ? '<' : '>', eb.tuple(v as never, id as never)));
  }
  const rows = (await q
    .orderBy(sortRef, dir)
    .orderBy('id' as never, dir)
    .limit(req.limit + 1)
    .execute()) as R[];
  const more = rows.length > req.limit;
  const items = more ? rows.slice(0, req.limit) : rows;
  const last = items[items.length - 1];
  return {
    items,
    total: Number(countRow ? countRow.n : 0),
    ...(more && last ? { next: [req.sort === 'name' ? last.name : last.created_at, last.id] as const } : {}),
  };
}

export function mapPage<A, B>(p: Page<A>, f: (a: A) => B): Page<B> {
  return { items: p.items.map(f), total: p.total, ...(p.next ? { next: p.next } : {}) };
}
