/**
 * Event registrations as async iterators (fact sheet §2.2). A {@link ViciEventStream} is what
 * `ViciSession.subscribe` returns: `for await (const { name, message } of stream)`. Also: typed readers
 * for the `log`/`control-log` and `*-updown` payloads.
 */
import type { ViciMessage } from './vici-codec.js';

/** The broadcast events a long-lived registration is for (stream events like `list-sa` are per command). */
export type ViciBroadcastEvent = 'ike-updown' | 'child-updown' | 'ike-rekey' | 'child-rekey' | 'ike-update' | 'log';

/** One event as received. */
export interface ViciEvent<N extends string = string> {
  readonly name: N;
  readonly message: ViciMessage;
}

/** Default bound on undelivered events per stream; beyond it the oldest are dropped and counted. */
export const DEFAULT_EVENT_HIGH_WATER_MARK = 10_000;

/**
 * The producer side of a stream, held by the session: queues events until the consumer asks for them.
 * @internal
 */
export class EventBuffer<N extends string> {
  readonly #items: ViciEvent<N>[] = [];
  readonly #waiters: { resolve: (r: IteratorResult<ViciEvent<N>>) => void; reject: (e: Error) => void }[] = [];
  #error: Error | undefined;
  #ended = false;
  dropped = 0;

  constructor(readonly highWaterMark: number) {}

  get done(): boolean {
    return this.#ended || this.#error !== undefined;
  }

  push(event: ViciEvent<N>): void {
    if (this.done) return;
    const waiter = this.#waiters.shift();
    if (waiter) return waiter.resolve({ value: event, done: false });
    this.#items.push(event);
    if (this.#items.length > this.highWaterMark) {
      this.#items.shift();
      this.dropped += 1;
    }
  }

  /** Ends the stream with an error: buffered events are still delivered, then `next()` rejects. */
  fail(error: Error): void {
    if (this.done) return;
    this.#error = error;
    this.#flushWaiters();
  }

  /** Ends the stream normally (after buffered events). */
  end(): void {
    if (this.done) return;
    this.#ended = true;
    this.#flushWaiters();
  }

  next(): Promise<IteratorResult<ViciEvent<N>>> {
    const item = this.#items.shift();
    if (item) return Promise.resolve({ value: item, done: false });
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #flushWaiters(): void {
    for (const w of this.#waiters.splice(0)) {
      if (this.#error) w.reject(this.#error);
      else w.resolve({ value: undefined, done: true });
    }
  }
}

/**
 * A live registration for one or more events, re-registered by the session after every reconnect. Iterate
 * it with `for await`; leaving the loop (or {@link close}) unregisters. The iterator ends when the session
 * closes and throws when a registration is refused (e.g. {@link ViciUnknownEventError}).
 */
export class ViciEventStream<N extends string = string> implements AsyncIterableIterator<ViciEvent<N>> {
  readonly #buffer: EventBuffer<N>;
  readonly #onClose: () => void;

  /** @internal Created by `ViciSession.subscribe`. */
  constructor(
    /** The event names this stream receives. */
    readonly names: readonly N[],
    buffer: EventBuffer<N>,
    /** Settles once every name is registered on the first connection (rejects if one is refused). */
    readonly ready: Promise<void>,
    onClose: () => void,
  ) {
    this.#buffer = buffer;
    this.#onClose = onClose;
    ready.catch(() => undefined);
  }

  /** Events dropped because the consumer fell more than `highWaterMark` events behind. */
  get dropped(): number {
    return this.#buffer.dropped;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next event; `done` once closed. */
  next(): Promise<IteratorResult<ViciEvent<N>>> {
    return this.#buffer.next();
  }

  /** Called by `for await` on `break`/`return`: unregisters. */
  async return(): Promise<IteratorResult<ViciEvent<N>>> {
    this.close();
    return { value: undefined, done: true };
  }

  /** Unregisters (events no other stream wants) and ends the iteration. Idempotent. */
  close(): void {
    if (this.#buffer.done) return;
    this.#buffer.end();
    this.#onClose();
  }
}

/** A `log` or `control-log` line (fact sheet §2.2). `level` is a number (charon sends ≤ 1 for `log`). */
export interface ViciLogLine {
  readonly group: string;
  readonly level: number;
  readonly msg: string;
  readonly ikesaName?: string;
  readonly ikesaUniqueid?: string;
  readonly thread?: string;
}

const str = (m: ViciMessage, k: string): string | undefined => {
  const v = m[k];
  return typeof v === 'string' ? v : undefined;
};

/** Reads a `log`/`control-log` payload; missing keys become '' (or undefined for the optional ones). */
export function parseLogLine(message: ViciMessage): ViciLogLine {
  const level = Number(str(message, 'level') ?? NaN);
  const optional = {
    ikesaName: str(message, 'ikesa-name'),
    ikesaUniqueid: str(message, 'ikesa-uniqueid'),
    thread: str(message, 'thread'),
  };
  return {
    group: str(message, 'group') ?? '',
    level: Number.isFinite(level) ? level : 0,
    msg: str(message, 'msg') ?? '',
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Formats a log line as swanctl prints it: `IKE[1] msg` (group, then level). */
export function formatLogLine(line: ViciLogLine): string {
  return `${line.group}[${line.level}] ${line.msg}`;
}

/**
 * Reads an `ike-updown` / `child-updown` payload: `up` is true only when charon sent `up = yes` (the key
 * is absent on down), `sas` are the IKE_SA sections keyed by conn name, in wire order.
 */
export function parseUpdown(message: ViciMessage): { up: boolean; sas: { name: string; sa: ViciMessage }[] } {
  const sas: { name: string; sa: ViciMessage }[] = [];
  for (const [name, v] of Object.entries(message)) {
    if (typeof v === 'object' && !Array.isArray(v)) sas.push({ name, sa: v });
  }
  return { up: message.up === 'yes', sas };
}
