import type { ConnectionEvent, ConnectionEventType, NewConnectionEvent } from '../domain/connection-events.js';
import type { ObservedSas } from '../domain/sa-facts.js';
import type { Executor } from './schema.js';

/** How many rows one prune removes at most: pruning rides along with inserts and stays bounded. */
const PRUNE_BATCH = 200;
/** Connections checked against the per-connection cap in one query. */
const CAP_CHECK_IDS = 50;

export async function insertEvents(ex: Executor, events: readonly NewConnectionEvent[]): Promise<void> {
  if (events.length === 0) return;
  await ex
    .insertInto('connection_events')
    .values(
      events.map((e) => ({
        account_id: e.accountId,
        gateway_id: e.gatewayId,
        connection_id: e.connectionId,
        created_at: e.createdAt,
        type: e.type,
        message: e.message,
        cause: e.cause,
        details: e.details ? JSON.stringify(e.details) : null,
      })),
    )
    .execute();
}

/**
 * Forgets events older than `before` (ms), and a connection's oldest beyond `cap`, at most PRUNE_BATCH
 * rows each: run in the transaction that inserts, so every server prunes as it writes, in bounded time.
 */
export async function pruneEvents(ex: Executor, before: number, connectionIds: readonly string[], cap: number): Promise<void> {
  const old = ex.selectFrom('connection_events').select('id').where('created_at', '<', before).orderBy('created_at').limit(PRUNE_BATCH);
  await ex.deleteFrom('connection_events').where('id', 'in', old).execute();
  // One query per CAP_CHECK_IDS connections finds those over the cap (a status report names hundreds,
  // and almost none are). Every chunk has the same length (the last one repeats an id): one statement.
  const over: string[] = [];
  for (let i = 0; i < connectionIds.length; i += CAP_CHECK_IDS) {
    const chunk = connectionIds.slice(i, i + CAP_CHECK_IDS);
    while (chunk.length < CAP_CHECK_IDS) chunk.push(chunk[0]!);
    const rows = await ex
      .selectFrom('connection_events')
      .select('connection_id')
      .where('connection_id', 'in', chunk)
      .groupBy('connection_id')
      .having((eb) => eb.fn.countAll(), '>', cap)
      .execute();
    over.push(...rows.map((r) => r.connection_id));
  }
  for (const id of over) {
    const edge = await ex
      .selectFrom('connection_events')
      .select('id')
      .where('connection_id', '=', id)
      .orderBy('id', 'desc')
      .offset(cap)
      .limit(1)
      .executeTakeFirst();
    if (!edge) continue;
    const over = ex.selectFrom('connection_events').select('id').where('connection_id', '=', id).where('id', '<=', edge.id).orderBy('id').limit(PRUNE_BATCH);
    await ex.deleteFrom('connection_events').where('id', 'in', over).execute();
  }
}

/** A connection's events, newest first, after (older than) the event `beforeId` when given. */
export async function pageEvents(
  ex: Executor,
  connectionId: string,
  limit: number,
  beforeId: number | undefined,
  /** Events older than this (ms since the epoch) are past retention: not shown, even before pruning reaches them. */
  notBefore = 0,
): Promise<{ items: ConnectionEvent[]; total: number; next?: number }> {
  const base = ex.selectFrom('connection_events').where('connection_id', '=', connectionId).where('created_at', '>=', notBefore);
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  let q = base.selectAll();
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r): ConnectionEvent => ({
    id: Number(r.id),
    accountId: r.account_id,
    gatewayId: r.gateway_id,
    connectionId: r.connection_id,
    createdAt: Number(r.created_at),
    type: r.type as ConnectionEventType,
    message: r.message,
    cause: r.cause,
    details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
  }));
  const last = items[items.length - 1];
  return { items, total: Number(count?.n ?? 0), ...(more && last ? { next: last.id } : {}) };
}

/** Events go with their connection. */
export async function deleteEventsOf(ex: Executor, connectionId: string): Promise<void> {
  await ex.deleteFrom('connection_events').where('connection_id', '=', connectionId).execute();
}

/** What was last observed of a gateway's connections' SAs, or of those of `ids` only (connections never reported on are absent). */
export async function observedOfGateway(ex: Executor, gatewayId: string, ids?: readonly string[]): Promise<Map<string, ObservedSas>> {
  if (ids?.length === 0) return new Map();
  let q = ex.selectFrom('connections').select(['id', 'observed']).where('gateway_id', '=', gatewayId).where('observed', 'is not', null);
  if (ids) q = q.where('id', 'in', [...ids]);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.id, JSON.parse(r.observed!) as ObservedSas]));
}

export async function setObserved(ex: Executor, connectionId: string, observed: ObservedSas): Promise<void> {
  await ex
    .updateTable('connections')
    .set({ observed: JSON.stringify(observed) })
    .where('id', '=', connectionId)
    .execute();
}
