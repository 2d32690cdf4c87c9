import type SqliteDatabase from 'better-sqlite3';
import type { Executor } from './schema.js';

/** What one command changed: a resource, and the gateways whose desired state it touches. */
export interface ChangeRecord {
  readonly resource: string;
  readonly id: string;
  readonly action: string;
  readonly gatewayIds: readonly string[];
}

/** A generation of the change log: what it touched. */
export interface ChangeEntry {
  readonly generation: number;
  readonly gatewayIds: readonly string[];
}

/** The last generation written (0 before the first). */
export async function currentGeneration(ex: Executor): Promise<number> {
  const r = await ex
    .selectFrom('changes')
    .select((eb) => eb.fn.max<number>('generation').as('g'))
    .executeTakeFirst();
  return Number(r?.g ?? 0);
}

/**
 * Changes after `generation`, oldest first; at most `limit` generations. Generations are contiguous:
 * one is taken only by a transaction that also writes its row.
 */
export async function changesSince(ex: Executor, generation: number, limit: number): Promise<ChangeEntry[]> {
  const rows = await ex
    .selectFrom('changes')
    .select(['generation', 'entries'])
    .where('generation', '>', generation)
    .where('generation', '<=', generation + limit)
    .orderBy('generation')
    .execute();
  return rows.map((r) => {
    const records = JSON.parse(r.entries) as ChangeRecord[];
    return { generation: Number(r.generation), gatewayIds: [...new Set(records.flatMap((c) => c.gatewayIds))] };
  });
}

/** Forgets changes older than `before` (ms), keeping at least the newest generation (the next one counts on from it). */
export async function pruneChanges(ex: Executor, before: number, keepFrom: number): Promise<void> {
  await ex.deleteFrom('changes').where('at', '<', before).where('generation', '<', keepFrom).execute();
}

/** What one write transaction hands the change log: its changes and the objects to stamp with the generation. */
export interface ChangeBatchInput {
  readonly at: number;
  readonly changes: readonly ChangeRecord[];
  readonly connectionIds: readonly string[];
  readonly gatewayIds: readonly string[];
}

/**
 * The change log's write path on SQLite, as prepared statements run inside the open write transaction
 * (on the store's one connection): the next generation, one row for it, the generation stamped on the
 * connections and gateways touched. Writers hold SQLite's write lock from BEGIN IMMEDIATE to COMMIT,
 * so generations commit in order: a reader that has seen generation G has seen every change up to G.
 * (A PostgreSQL writer must serialize the same way, e.g. with a transaction-scoped advisory lock.)
 * Returns the generation.
 */
export function sqliteChangeWriter(sqlite: SqliteDatabase.Database): (batch: ChangeBatchInput) => number {
  const insert = sqlite.prepare(
    'insert into changes (generation, at, entries) values ((select coalesce(max(generation), 0) + 1 from changes), ?, ?) returning generation',
  );
  const stampConnection = sqlite.prepare('update connections set generation = ? where id = ?');
  const stampGateway = sqlite.prepare('update vpn_gateways set generation = ? where id = ?');
  return (batch) => {
    const entries = batch.changes.map((c) => ({ resource: c.resource, id: c.id, action: c.action, gatewayIds: c.gatewayIds }));
    const generation = Number((insert.get(batch.at, JSON.stringify(entries)) as { generation: number | bigint }).generation);
    for (const id of batch.connectionIds) stampConnection.run(generation, id);
    for (const id of batch.gatewayIds) stampGateway.run(generation, id);
    return generation;
  };
}
