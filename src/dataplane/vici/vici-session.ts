/**
 * Request/response over one VICI connection (fact sheet §1.4). VICI has no request ids, so requests wait
 * in a FIFO queue and at most one is in flight; any non-EVENT packet answers it, and EVENT packets go to
 * the streamed command that asked for them and to event subscribers. When the connection drops, every
 * request submitted before the drop fails with {@link ViciConnectionError}; requests made while the
 * transport (re)connects wait for it (the first request starts it). Event registrations are renewed
 * after every reconnect.
 */
import { EventEmitter } from 'node:events';
import { decodeMessage, encodeMessage, type ViciMessage, type ViciSectionInput } from './vici-codec.js';
import { asError, ViciConnectionError, ViciSessionError, ViciUnknownCommandError, ViciUnknownEventError } from './vici-errors.js';
import { DEFAULT_EVENT_HIGH_WATER_MARK, type ViciEventStream } from './vici-event-stream.js';
import { PacketType, checkPacketName, packetTypeName, type ViciPacket } from './vici-packet.js';
import { RequestQueue, type QueuedRun } from './vici-request-queue.js';
import { Subscriptions, type Subscriber } from './vici-subscriptions.js';
import type { ViciConnectionState, ViciTransport } from './vici-transport.js';

/** Options of {@link ViciSession}. */
export interface ViciSessionOptions {
  /**
   * Fails a request that is not answered this many ms after it was submitted (0 or absent: wait forever).
   * If it was already sent, the connection is reset: without request ids a late answer could not be told
   * apart from the next one.
   */
  readonly requestTimeoutMs?: number;
  /**
   * Fails a request still waiting for the connection (charon away, reconnecting) this many ms after it
   * was submitted (0 or absent: it waits for the reconnect, up to `requestTimeoutMs`).
   */
  readonly closedTimeoutMs?: number;
  /** Per event stream, how many undelivered events to keep before dropping the oldest. */
  readonly eventHighWaterMark?: number;
}

/** What a {@link ViciSession} emits: connection state changes, and the names re-registered after a reconnect. */
export type ViciSessionEvents = {
  state: [state: ViciConnectionState];
  resubscribed: [names: string[]];
};

/** Checks the packet names and encodes the message up front, so a bad request never reaches the queue. */
function encodeRequest(names: readonly string[], message: ViciSectionInput): Buffer {
  for (const name of names) checkPacketName(name);
  return encodeMessage(message);
}

/** One VICI conversation over a {@link ViciTransport}; see the file comment. */
export class ViciSession extends EventEmitter<ViciSessionEvents> {
  readonly #transport: ViciTransport;
  readonly #highWaterMark: number;
  readonly #queue: RequestQueue;
  #pending: { resolve: (p: ViciPacket) => void; reject: (e: Error) => void; label: string } | undefined;
  #epoch = 0;
  #opens = 0;
  readonly #registered = new Set<string>();
  readonly #collectors = new Map<string, (m: ViciMessage) => void>();
  readonly #subs = new Subscriptions();

  constructor(transport: ViciTransport, options: ViciSessionOptions = {}) {
    super();
    this.#transport = transport;
    this.#queue = new RequestQueue({
      timeoutMs: options.requestTimeoutMs ?? 0,
      ...(options.closedTimeoutMs ? { closedTimeoutMs: options.closedTimeoutMs } : {}),
      isOpen: () => this.state === 'open',
      epoch: () => this.#epoch,
      onRunningTimeout: (e) => transport.reset(e),
    });
    this.#highWaterMark = options.eventHighWaterMark ?? DEFAULT_EVENT_HIGH_WATER_MARK;
    transport.on('packet', (p) => this.#onPacket(p));
    transport.on('down', (e) => this.#onDown(e));
    transport.on('state', (s) => {
      if (s === 'open') this.#onOpen();
      if (s === 'closed') this.#onClosed();
      this.emit('state', s);
    });
  }

  /** The connection state of the underlying transport. */
  get state(): ViciConnectionState {
    return this.#transport.state;
  }

  /** Starts connecting (idempotent). */
  start(): void {
    this.#transport.start();
  }

  /** Resolves once the connection is open; rejects if the session closes or `timeoutMs` passes first. */
  whenOpen(timeoutMs = 10_000): Promise<void> {
    this.start();
    if (this.state === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.off('state', onState);
        if (error) reject(error);
        else resolve();
      };
      const onState = (s: ViciConnectionState): void => {
        if (s === 'open') done();
        if (s === 'closed') done(new ViciConnectionError('vici session closed'));
      };
      const timer = setTimeout(() => {
        const why = this.#transport.lastError?.message ?? 'no answer';
        done(new ViciConnectionError(`no vici connection to ${this.#transport.socketPath} after ${timeoutMs} ms: ${why}`));
      }, timeoutMs);
      this.on('state', onState);
    });
  }

  /** Sends a command and returns its decoded CMD_RESPONSE. CMD_UNKNOWN rejects with {@link ViciUnknownCommandError}. */
  request(command: string, message: ViciSectionInput = {}): Promise<ViciMessage> {
    try {
      const body = encodeRequest([command], message);
      return this.#submit(`'${command}'`, (epoch) => this.#command(epoch, command, body));
    } catch (e) {
      return Promise.reject(asError(e));
    }
  }

  /**
   * A streamed command: registers `event` (unless a subscription already holds it), sends the command,
   * hands every `event` EVENT to `onEvent` until the CMD_RESPONSE, then unregisters. `list-sas` → `list-sa`,
   * `list-conns` → `list-conn`, `initiate`/`terminate` → `control-log`.
   */
  streamedRequest(command: string, event: string, message: ViciSectionInput, onEvent: (m: ViciMessage) => void): Promise<ViciMessage> {
    let body: Buffer;
    try {
      body = encodeRequest([command, event], message);
    } catch (e) {
      return Promise.reject(asError(e));
    }
    return this.#submit(`'${command}'`, async (epoch) => {
      const had = this.#registered.has(event);
      if (!had) await this.#register(epoch, event, PacketType.EVENT_REGISTER);
      let handlerError: unknown;
      this.#collectors.set(event, (m) => {
        try {
          onEvent(m);
        } catch (e) {
          handlerError ??= e;
        }
      });
      try {
        const response = await this.#command(epoch, command, body);
        if (handlerError !== undefined) throw asError(handlerError);
        return response;
      } finally {
        this.#collectors.delete(event);
        if (!had && !this.#subs.wanted(event) && epoch === this.#epoch) {
          await this.#register(epoch, event, PacketType.EVENT_UNREGISTER).catch(() => undefined);
        }
      }
    });
  }

  /**
   * Registers for events and returns them as an async iterator. The registration is renewed after every
   * reconnect (the `resubscribed` event tells when); events raised while disconnected are lost, so resync
   * state after a reconnect. Use a session of its own for long-lived subscriptions (fact sheet §1.4).
   */
  subscribe<N extends string>(names: readonly N[]): ViciEventStream<N> {
    const { stream, sub } = this.#subs.create(names, this.#highWaterMark, (closed) => this.#unsubscribe(closed));
    try {
      names.forEach(checkPacketName);
      if (this.state === 'closed') throw new ViciConnectionError('vici session closed');
    } catch (e) {
      sub.fail(e as Error);
      return stream;
    }
    this.#subs.add(sub);
    void this.#submit('event registration', (epoch) => this.#registerWanted(epoch)).catch(() => undefined);
    return stream;
  }

  /** Closes the connection for good: pending requests fail, event streams end. */
  close(): void {
    this.#transport.close();
  }

  #submit<T>(label: string, run: QueuedRun<T>): Promise<T> {
    if (this.state === 'closed') return Promise.reject(new ViciConnectionError(`vici session closed; cannot send ${label}`));
    const result = this.#queue.submit(label, run);
    this.start();
    return result;
  }

  #exchange(epoch: number, packet: ViciPacket, label: string): Promise<ViciPacket> {
    if (epoch !== this.#epoch || this.state !== 'open') return Promise.reject(new ViciConnectionError(`connection to charon lost before ${label}`));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, label };
      try {
        this.#transport.send(packet);
      } catch (e) {
        this.#pending = undefined;
        reject(asError(e));
      }
    });
  }

  async #command(epoch: number, command: string, body: Buffer): Promise<ViciMessage> {
    const reply = await this.#exchange(epoch, { type: PacketType.CMD_REQUEST, name: command, body }, `the answer to '${command}'`);
    if (reply.type === PacketType.CMD_RESPONSE) return decodeMessage(reply.body);
    if (reply.type === PacketType.CMD_UNKNOWN) throw new ViciUnknownCommandError(command);
    throw this.#protocolError(`${packetTypeName(reply.type)} in answer to command '${command}'`);
  }

  async #register(epoch: number, event: string, type: typeof PacketType.EVENT_REGISTER | typeof PacketType.EVENT_UNREGISTER): Promise<void> {
    const what = type === PacketType.EVENT_REGISTER ? 'registering' : 'unregistering';
    const reply = await this.#exchange(epoch, { type, name: event, body: Buffer.alloc(0) }, `the answer to ${what} '${event}'`);
    if (reply.type === PacketType.EVENT_UNKNOWN) throw new ViciUnknownEventError(event);
    if (reply.type !== PacketType.EVENT_CONFIRM) throw this.#protocolError(`${packetTypeName(reply.type)} in answer to ${what} event '${event}'`);
    if (type === PacketType.EVENT_REGISTER) this.#registered.add(event);
    else this.#registered.delete(event);
  }

  /** Registers every name some stream wants and this connection lacks; resolves or fails those streams. */
  async #registerWanted(epoch: number): Promise<string[]> {
    const done: string[] = [];
    for (const name of this.#subs.wantedNames()) {
      if (this.#registered.has(name)) continue;
      try {
        await this.#register(epoch, name, PacketType.EVENT_REGISTER);
        done.push(name);
      } catch (e) {
        if (!(e instanceof ViciUnknownEventError)) throw e;
        this.#subs.failWanting(name, e);
      }
    }
    this.#subs.markRegistered(this.#registered);
    return done;
  }

  #unsubscribe(sub: Subscriber): void {
    sub.end(new ViciConnectionError('event stream closed before it was registered'));
    const unwanted = this.#subs.remove(sub);
    if (unwanted.length === 0 || this.state === 'closed') return;
    void this.#submit('event unregistration', async (epoch) => {
      for (const name of unwanted) {
        if (this.#subs.wanted(name) || !this.#registered.has(name)) continue;
        await this.#register(epoch, name, PacketType.EVENT_UNREGISTER).catch(() => undefined);
      }
    }).catch(() => undefined);
  }

  #protocolError(message: string): ViciSessionError {
    const error = new ViciSessionError(`vici protocol error: ${message}`);
    this.#transport.reset(error);
    return error;
  }

  #onPacket(packet: ViciPacket): void {
    if (packet.type === PacketType.EVENT) {
      const message = decodeMessage(packet.body); // a ViciDecodeError here resets the connection
      this.#collectors.get(packet.name)?.(message);
      this.#subs.deliver(packet.name, message);
      return;
    }
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) pending.resolve(packet);
    else this.#protocolError(`unsolicited ${packetTypeName(packet.type)}`);
  }

  #onOpen(): void {
    this.#epoch += 1;
    this.#opens += 1;
    this.#registered.clear();
    if (this.#opens > 1 && this.#subs.size > 0) {
      this.#queue.submitFirst('event re-registration', async (epoch) => this.emit('resubscribed', await this.#registerWanted(epoch)));
    }
    this.#queue.pump();
  }

  #onDown(reason: Error): void {
    this.#epoch += 1;
    this.#registered.clear();
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(new ViciConnectionError(`connection to charon lost while waiting for ${pending.label}: ${reason.message}`));
    this.#queue.failQueued((label) => new ViciConnectionError(`connection to charon lost before ${label} was sent: ${reason.message}`));
  }

  #onClosed(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(new ViciConnectionError(`vici session closed while waiting for ${pending.label}`));
    this.#queue.failQueued((label) => new ViciConnectionError(`vici session closed before ${label} was sent`));
    this.#subs.endAll(new ViciConnectionError('vici session closed'));
  }
}
