/**
 * The one file that touches `net.Socket`. A {@link ViciTransport} keeps a connection to charon's vici
 * UNIX socket open: it connects, turns the byte stream into packets, and when the socket closes (charon
 * restarted) reconnects with exponential backoff until {@link ViciTransport.close} is called.
 */
import { EventEmitter } from 'node:events';
import { createConnection } from 'node:net';
import { ViciConnectionError, ViciError } from './vici-errors.js';
import { SegmentDecoder, decodePacket, encodeFrame, type ViciPacket } from './vici-packet.js';

/** The subset of a `net.Socket` the transport needs; tests pass an in-memory duplex. */
export interface ViciSocket {
  write(chunk: Uint8Array): boolean;
  destroy(error?: Error): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

/** Opens a connected socket to `path`; rejects when nobody listens there (yet). */
export type ViciSocketFactory = (path: string) => Promise<ViciSocket>;

/**
 * `idle`: not started; `connecting`: a connection attempt is under way; `open`: packets flow; `waiting`:
 * backing off before the next attempt; `closed`: {@link ViciTransport.close} was called, for good.
 */
export type ViciConnectionState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

/** Reconnect delays: `initialMs · factor^(attempt−1)`, capped at `maxMs`. */
export interface ViciBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

/** Default backoff: 100 ms, 200 ms, 400 ms … up to 5 s. */
export const DEFAULT_VICI_BACKOFF: ViciBackoff = Object.freeze({ initialMs: 100, maxMs: 5000, factor: 2 });

/** Options of {@link ViciTransport}. */
export interface ViciTransportOptions {
  /** Path of charon's vici socket (`charon.plugins.vici.socket` without `unix://`). */
  readonly socketPath: string;
  readonly socketFactory?: ViciSocketFactory;
  readonly backoff?: ViciBackoff;
  /** Schedules `fn` after `ms`; returns a cancel function. Injected for tests. */
  readonly setTimer?: (fn: () => void, ms: number) => () => void;
}

/** What a {@link ViciTransport} emits. `down` fires once for every `open` that ends. */
export type ViciTransportEvents = {
  state: [state: ViciConnectionState];
  open: [];
  packet: [packet: ViciPacket];
  down: [reason: Error];
};

/** The delay before reconnect attempt `attempt` (1-based). */
export function backoffDelay(backoff: ViciBackoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
}

/** The default {@link ViciSocketFactory}: a `net` connection to a UNIX socket. */
export const connectUnixSocket: ViciSocketFactory = (path) =>
  new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const onError = (e: Error): void => reject(e);
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });

const defaultTimer = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** A self-healing packet connection to one charon. Call {@link start} once, {@link close} at the end. */
export class ViciTransport extends EventEmitter<ViciTransportEvents> {
  readonly #path: string;
  readonly #factory: ViciSocketFactory;
  readonly #backoff: ViciBackoff;
  readonly #setTimer: (fn: () => void, ms: number) => () => void;
  #state: ViciConnectionState = 'idle';
  #socket: ViciSocket | undefined;
  #cancelTimer: (() => void) | undefined;
  #attempt = 0;
  #lastError: Error | undefined;

  constructor(options: ViciTransportOptions) {
    super();
    this.#path = options.socketPath;
    this.#factory = options.socketFactory ?? connectUnixSocket;
    this.#backoff = options.backoff ?? DEFAULT_VICI_BACKOFF;
    this.#setTimer = options.setTimer ?? defaultTimer;
  }

  /** The current connection state. */
  get state(): ViciConnectionState {
    return this.#state;
  }

  /** Why the last connection attempt failed or the last connection ended. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** The socket path this transport connects to. */
  get socketPath(): string {
    return this.#path;
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (this.#state !== 'idle') return;
    void this.#connect();
  }

  /** Writes one packet. Throws {@link ViciConnectionError} unless open, {@link ViciEncodeError} if invalid. */
  send(packet: ViciPacket): void {
    const frame = encodeFrame(packet);
    if (this.#state !== 'open' || this.#socket === undefined) {
      throw new ViciConnectionError(`vici socket ${this.#path} is not connected (${this.#state})`);
    }
    this.#socket.write(frame);
  }

  /** Drops the current connection (if any) and reconnects: used to resynchronise after a protocol error. */
  reset(reason: Error): void {
    if (this.#state === 'open') this.#socket?.destroy(reason);
  }

  /** Closes for good: no more reconnects, the socket is destroyed. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const socket = this.#socket;
    this.#setState('closed');
    socket?.destroy();
  }

  async #connect(): Promise<void> {
    this.#setState('connecting');
    let socket: ViciSocket;
    try {
      socket = await this.#factory(this.#path);
    } catch (e) {
      this.#lastError = toError(e);
      this.#retryLater();
      return;
    }
    if (this.#state === 'closed') {
      socket.destroy();
      return;
    }
    this.#attach(socket);
  }

  #attach(socket: ViciSocket): void {
    const decoder = new SegmentDecoder();
    let ended = false;
    let reason: Error = new ViciConnectionError(`connection to ${this.#path} closed`);
    this.#socket = socket;
    this.#attempt = 0;
    socket.on('error', (e) => {
      reason = new ViciConnectionError(`connection to ${this.#path} failed: ${e.message}`);
    });
    socket.on('data', (chunk) => {
      if (ended) return;
      try {
        for (const payload of decoder.push(chunk)) this.emit('packet', decodePacket(payload));
      } catch (e) {
        reason = e instanceof ViciError ? e : toError(e);
        ended = true;
        socket.destroy();
      }
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#lastError = reason;
      const wasClosed = this.#state === 'closed';
      this.emit('down', wasClosed ? new ViciConnectionError('vici client closed') : reason);
      if (!wasClosed) this.#retryLater();
    });
    this.#setState('open');
    this.emit('open');
  }

  #retryLater(): void {
    if (this.#state === 'closed') return;
    this.#attempt += 1;
    this.#setState('waiting');
    this.#cancelTimer = this.#setTimer(
      () => {
        this.#cancelTimer = undefined;
        if (this.#state !== 'closed') void this.#connect();
      },
      backoffDelay(this.#backoff, this.#attempt),
    );
  }

  #setState(state: ViciConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.emit('state', state);
  }
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
