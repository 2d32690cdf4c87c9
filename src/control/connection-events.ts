import {
  causeOfActor,
  type ConnectionEventType,
  DEFAULT_EVENT_RETENTION_DAYS,
  eventMessage,
  EVENTS_PER_CONNECTION,
  type NewConnectionEvent,
} from '../domain/connection-events.js';
import { DomainError } from '../domain/errors.js';
import { insertEvents, pageEvents, pruneEvents } from '../store/connection-event-store.js';
import type { Tx } from './tx.js';
import { loadConnection } from './update-connection.js';

/** One event of a connection's timeline, as dialects render it. */
export interface ConnectionEventView {
  readonly id: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly type: ConnectionEventType;
  readonly message: string;
  readonly cause?: string;
  readonly details?: Record<string, unknown>;
}

export interface ConnectionEventPage {
  readonly items: ConnectionEventView[];
  /** Pass as `start` to read the next (older) page; absent on the last page. */
  readonly next?: string;
  readonly total: number;
}

/** What a command or a report hands the timeline: the connection, the type, and optionally cause and details. */
export interface EventInput {
  readonly connection: { readonly id: string; readonly accountId: string; readonly gatewayId: string };
  readonly type: ConnectionEventType;
  /** Defaults to the acting user (for commands). */
  readonly cause?: string;
  readonly details?: Record<string, unknown>;
}

const DAY_MS = 24 * 3600_000;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

/**
 * Records events in the command's (or report's) transaction, and prunes in the same transaction:
 * events older than the retention and a connection's oldest beyond EVENTS_PER_CONNECTION, in bounded
 * batches. Every server prunes as it writes, so nothing assumes one process.
 */
export async function recordEvents(tx: Tx, inputs: readonly EventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const now = tx.now();
  const events: NewConnectionEvent[] = inputs.map((e) => ({
    accountId: e.connection.accountId,
    gatewayId: e.connection.gatewayId,
    connectionId: e.connection.id,
    createdAt: now,
    type: e.type,
    message: eventMessage(e.type, e.details),
    cause: e.cause ?? causeOfActor(tx.actor),
    details: e.details ?? null,
  }));
  await insertEvents(tx.ex, events);
  for (const e of events) tx.deps.telemetry.connectionEvent(e.type);
  const days = tx.settings.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS;
  // A connection's first event (its creation) cannot put it over the cap: no per-connection prune for it.
  const capped = new Set(events.filter((e) => e.type !== 'created').map((e) => e.connectionId));
  await pruneEvents(tx.ex, now - days * DAY_MS, [...capped], EVENTS_PER_CONNECTION);
}

function startOf(start: string | undefined): number | undefined {
  if (start === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(start))
    throw new DomainError('invalid_value', `The start token '${start.slice(0, 64)}' is not one this server issued; use the href of a next link.`, {
      type: 'parameter',
      name: 'start',
      value: start.slice(0, 64),
    });
  return Number(start);
}

/** A connection's events, newest first; the connection must be visible to the actor (another account's: not found). */
export async function listConnectionEvents(
  tx: Tx,
  gatewayId: string,
  connectionId: string,
  opts: { limit?: number; start?: string } = {},
): Promise<ConnectionEventPage> {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new DomainError('invalid_value', `limit must be a whole number from 1 to ${MAX_LIMIT}.`, { type: 'parameter', name: 'limit', value: limit });
  const beforeId = startOf(opts.start);
  await loadConnection(tx, gatewayId, connectionId, false);
  const days = tx.settings.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS;
  const page = await pageEvents(tx.ex, connectionId, limit, beforeId, tx.now() - days * DAY_MS);
  return {
    items: page.items.map((e) => ({
      id: String(e.id),
      createdAt: new Date(e.createdAt).toISOString(),
      type: e.type,
      message: e.message,
      ...(e.cause !== null ? { cause: e.cause } : {}),
      ...(e.details !== null ? { details: e.details } : {}),
    })),
    total: page.total,
    ...(page.next !== undefined ? { next: String(page.next) } : {}),
  };
}
