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

/**
 * The next generation. The counter row stays locked until the transaction commits, so writers that
 * record changes commit one at a time, in generation order: a reader that has seen generation G has
 * seen every change up to G.
 */
export async function nextGeneration(ex: Executor): Promise<number> {
  const r = await ex
    .updateTable('generations')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('id', '=', 1)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

export async function currentGeneration(ex: Executor): Promise<number> {
  const r = await ex.selectFrom('generations').select('value').where('id', '=', 1).executeTakeFirst();
  return Number(r?.value ?? 0);
}

/** Writes a generation's changes, one row per gateway touched (or one with none). */
export async function insertChanges(ex: Executor, generation: number, at: number, changes: readonly ChangeRecord[]): Promise<void> {
  const rows = changes.flatMap((c) =>
    (c.gatewayIds.length === 0 ? [null] : c.gatewayIds).map((g) => ({
      generation,
      resource: c.resource,
      resource_id: c.id,
      action: c.action,
      gateway_id: g,
      at,
    })),
  );
  for (let i = 0; i < rows.length; i += 100)
    await ex
      .insertInto('changes')
      .values(rows.slice(i, i + 100))
      .execute();
}

/** Stamps the generation on the connections and gateways a change wrote. */
export async function stampGeneration(ex: Executor, generation: number, connectionIds: readonly string[], gatewayIds: readonly string[]): Promise<void> {
  if (connectionIds.length > 0)
    await ex
      .updateTable('connections')
      .set({ generation })
      .where('id', 'in', [...connectionIds])
      .execute();
  if (gatewayIds.length > 0)
    await ex
      .updateTable('vpn_gateways')
      .set({ generation })
      .where('id', 'in', [...gatewayIds])
      .execute();
}

/** The oldest generation the log still holds (0 when it is empty). */
export async function oldestGeneration(ex: Executor): Promise<number> {
  const r = await ex
    .selectFrom('changes')
    .select((eb) => eb.fn.min<number>('generation').as('g'))
    .executeTakeFirst();
  return Number(r?.g ?? 0);
}

/**
 * Changes after `generation`, oldest first, grouped per generation; at most `limit` generations.
 * Generations are contiguous: the counter moves only in a transaction that also writes its changes.
 */
export async function changesSince(ex: Executor, generation: number, limit: number): Promise<ChangeEntry[]> {
  const rows = await ex
    .selectFrom('changes')
    .select(['generation', 'gateway_id'])
    .where('generation', '>', generation)
    .where('generation', '<=', generation + limit)
    .orderBy('generation')
    .execute();
  const out: { generation: number; gatewayIds: string[] }[] = [];
  for (const r of rows) {
    const g = Number(r.generation);
    let last = out[out.length - 1];
    if (!last || last.generation !== g) out.push((last = { generation: g, gatewayIds: [] }));
    if (r.gateway_id !== null && !last.gatewayIds.includes(r.gateway_id)) last.gatewayIds.push(r.gateway_id);
  }
  return out;
}

/** Forgets changes older than `before` ms ago, keeping at least the newest generation. */
export async function pruneChanges(ex: Executor, before: number, keepFrom: number): Promise<void> {
  await ex.deleteFrom('changes').where('at', '<', before).where('generation', '<', keepFrom).execute();
}
