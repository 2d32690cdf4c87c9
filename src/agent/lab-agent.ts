import type { Logger } from 'pino';
import type { ChangeBus } from '../control/change-bus.js';
import { GatewayReconciler, type ReconcilerDeps } from './gateway-reconciler.js';

/**
 * The reconcile loop: a queue of gateway ids (deduplicated), one reconcile at a time, retries with
 * backoff, timed resyncs, quick status refreshes when charon reports an event, and a reconcile
 * within 200 ms when a charon's VICI connection drops (it died: restart it, re-apply). The reconciler
 * itself is a plain level-based function of the gateway id.
 */
export class LabAgent {
  readonly reconciler: GatewayReconciler;
  readonly #queue = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #failures = new Map<string, number>();
  readonly #statusTimers = new Map<string, NodeJS.Timeout>();
  #running = false;
  #stopped = false;
  #idle: (() => void)[] = [];
  #unsubscribe: (() => void) | undefined;

  constructor(deps: Omit<ReconcilerDeps, 'poke' | 'lost'>, private readonly changes: ChangeBus, private readonly listGatewayIds: () => Promise<string[]>, private readonly log?: Logger) {
    this.reconciler = new GatewayReconciler({ ...deps, poke: (id) => this.#pokeStatus(id), lost: (id) => this.#later(id, 200) });
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.changes.subscribe((c) => c.gatewayIds.forEach((id) => this.enqueue(id)));
    for (const id of await this.listGatewayIds()) this.enqueue(id);
  }

  enqueue(gatewayId: string): void {
    if (this.#stopped) return;
    this.#queue.add(gatewayId);
    void this.#drain();
  }

  /** Resolves when the queue is empty and nothing runs (tests, CLI). */
  idle(): Promise<void> {
    if (!this.#running && this.#queue.size === 0) return Promise.resolve();
    return new Promise((ok) => this.#idle.push(ok));
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.size > 0 && !this.#stopped) {
        const id = this.#queue.values().next().value as string;
        this.#queue.delete(id);
        clearTimeout(this.#timers.get(id));
        try {
          const r = await this.reconciler.reconcile(id);
          this.#failures.delete(id);
          if (r.requeueAfterMs) this.#later(id, r.requeueAfterMs);
        } catch (err) {
          const n = (this.#failures.get(id) ?? 0) + 1;
          this.#failures.set(id, n);
          this.log?.warn({ err, gateway: id, attempt: n }, 'reconcile failed; will retry');
          this.#later(id, Math.min(30_000, 250 * 2 ** Math.min(n, 7)));
        }
      }
    } finally {
      this.#running = false;
      if (this.#queue.size === 0) this.#idle.splice(0).forEach((f) => f());
    }
  }

  #later(id: string, ms: number): void {
    clearTimeout(this.#timers.get(id));
    const t = setTimeout(() => {
      this.#timers.delete(id);
      this.enqueue(id);
    }, ms);
    t.unref();
    this.#timers.set(id, t);
  }

  /** charon said something: refresh that gateway's status within a fraction of a second. */
  #pokeStatus(id: string): void {
    if (this.#statusTimers.has(id) || this.#stopped) return;
    const t = setTimeout(() => {
      this.#statusTimers.delete(id);
      this.reconciler.refreshStatus(id).catch((err: unknown) => this.log?.debug({ err, gateway: id }, 'status refresh failed'));
    }, 100);
    t.unref();
    this.#statusTimers.set(id, t);
  }

  /** Stops the loop; charon keeps running (a restarted agent adopts its tunnels). */
  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const t of [...this.#timers.values(), ...this.#statusTimers.values()]) clearTimeout(t);
    this.reconciler.close();
  }
}
