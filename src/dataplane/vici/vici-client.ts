/**
 * The VICI client the agent uses: the typed commands of {@link ViciCommands} on a command connection, and
 * event subscriptions on a second connection of their own (fact sheet §1.4: a long `initiate` must not
 * hold up events, and a listener must not hold up commands). Both connections reconnect on their own
 * when charon restarts; subscriptions are renewed.
 *
 * ```ts
 * const vici = new ViciClient({ socketPath: '/var/lib/causeway/gw1/charon.vici' });
 * await vici.connect();
 * await vici.loadConn('vpn1', conn);
 * const events = vici.subscribe(['ike-updown', 'child-updown']);
 * for await (const { name, message } of events) { … }
 * vici.close();
 * ```
 */
import { ViciCommands } from './vici-commands.js';
import type { ViciEventStream } from './vici-event-stream.js';
import { ViciSession, type ViciSessionOptions } from './vici-session.js';
import { ViciTransport, type ViciBackoff, type ViciConnectionState, type ViciSocketFactory } from './vici-transport.js';

/** Options of {@link ViciClient}. */
export interface ViciClientOptions extends ViciSessionOptions {
  /** Path of charon's vici UNIX socket. */
  readonly socketPath: string;
  /** Opens a connected socket; defaults to a `net` UNIX socket connection. */
  readonly socketFactory?: ViciSocketFactory;
  /** Reconnect delays after charon goes away. */
  readonly backoff?: ViciBackoff;
}

/** Commands plus event subscriptions, over two self-healing connections to one charon. */
export class ViciClient extends ViciCommands<ViciSession> {
  readonly #options: ViciClientOptions;
  #events: ViciSession | undefined;
  #closed = false;

  constructor(options: ViciClientOptions) {
    super(new ViciSession(new ViciTransport(options), options));
    this.#options = options;
  }

  /** State of the command connection. */
  get state(): ViciConnectionState {
    return this.session.state;
  }

  /** The event connection, created by the first {@link subscribe}. */
  get eventSession(): ViciSession | undefined {
    return this.#events;
  }

  /** Starts connecting and waits until the command connection is open (rejects after `timeoutMs`). */
  connect(timeoutMs = 10_000): Promise<void> {
    return this.session.whenOpen(timeoutMs);
  }

  /**
   * Registers for events on the event connection. The stream's `ready` settles once charon confirmed every
   * name; after a reconnect the registration is renewed (watch `eventSession`'s `resubscribed`), but
   * events raised while charon was away are lost, so resync then.
   */
  subscribe<N extends string>(names: readonly N[]): ViciEventStream<N> {
    if (!this.#events) {
      this.#events = new ViciSession(new ViciTransport(this.#options), this.#options);
      if (this.#closed) this.#events.close();
      else this.#events.start();
    }
    return this.#events.subscribe(names);
  }

  /** Closes both connections for good: pending requests fail, event streams end. */
  close(): void {
    this.#closed = true;
    this.session.close();
    this.#events?.close();
  }
}
