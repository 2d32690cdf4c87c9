import type { Logger } from 'pino';
import { ViciClient } from '../dataplane/vici/index.js';
import type { Reason } from '../domain/tenancy.js';
import { reason } from '../domain/status-reasons.js';
import { CharonSupervisor } from './charon-supervisor.js';
import { classifyLogLine, connectionIdOf } from './failure-classifier.js';

/**
 * What the agent holds for one gateway while it lives: charon's supervisor, a VICI client, the
 * content hash of each connection it applied (so only changed connections are reloaded), and the
 * latest failure reason charon logged for each connection.
 */
export class GatewayRuntime {
  readonly applied = new Map<string, string>();
  readonly failures = new Map<string, Reason>();
  vici: ViciClient | undefined;
  #events: AsyncIterableIterator<unknown> | undefined;

  constructor(readonly gatewayId: string, readonly supervisor: CharonSupervisor, private readonly onEvent: () => void, private readonly log?: Logger) {}

  /** Connects (or reconnects) the VICI client and its event subscription. */
  async connect(): Promise<ViciClient> {
    if (this.vici) return this.vici;
    const vici = new ViciClient({ socketPath: this.supervisor.socket });
    await vici.connect(10_000);
    this.vici = vici;
    const events = vici.subscribe(['ike-updown', 'child-updown', 'log']);
    this.#events = events as unknown as AsyncIterableIterator<unknown>;
    void this.#pump(events);
    return vici;
  }

  async #pump(events: AsyncIterable<{ name: string; message: Record<string, unknown> }>): Promise<void> {
    try {
      for await (const e of events) {
        if (e.name === 'log') {
          const msg = String(e.message['msg'] ?? '');
          const id = connectionIdOf(String(e.message['ikesa-name'] ?? ''));
          const code = classifyLogLine(msg);
          if (id && code) this.failures.set(id, reason(code, msg));
          if (!code) continue;
        }
        this.onEvent();
      }
    } catch (err) {
      this.log?.debug({ err, gateway: this.gatewayId }, 'event stream ended');
    }
  }

  close(): void {
    this.vici?.close();
    this.vici = undefined;
    this.#events = undefined;
  }
}
