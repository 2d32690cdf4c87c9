/** How long a gateway's changes must pause before a burst of them is reconciled, and the longest any change of a burst waits. */
export const BURST_QUIET_MS = 50;
export const BURST_CAP_MS = 2_000;

/** The last change times kept before the quiet ones are swept. */
const SWEEP_AT = 256;

interface Held {
  readonly since: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * Coalesces bursts of changes, per key (a gateway id), into one `fire`. A change to a key that was
 * quiet for `quietMs` fires at once, so a lone change (a PATCH, one create) costs no wait. A change
 * that follows another within `quietMs` is held: the key fires once its changes pause for `quietMs`,
 * and at the latest `capMs` after the first held change, so a steady stream still makes progress.
 *
 * Why: every reconcile of a gateway reads, loads and reports all its connections (charon 5.9.8's
 * `load-conn` takes the whole peer group), and while a script creates hundreds of connections the
 * reconciles share the CPU with its requests. One reconcile after the burst does the same work once.
 */
export class BurstCoalescer {
  readonly #last = new Map<string, number>();
  readonly #held = new Map<string, Held>();

  constructor(
    private readonly fire: (key: string) => void,
    private readonly quietMs = BURST_QUIET_MS,
    private readonly capMs = BURST_CAP_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  change(key: string): void {
    const now = this.now();
    const last = this.#last.get(key);
    if (this.#last.size >= SWEEP_AT) this.#sweep(now);
    this.#last.set(key, now);
    const held = this.#held.get(key);
    if (!held && (last === undefined || now - last >= this.quietMs)) {
      this.fire(key);
      return;
    }
    const since = held?.since ?? now;
    if (held) clearTimeout(held.timer);
    const timer = setTimeout(() => this.#release(key), Math.max(0, Math.min(this.quietMs, since + this.capMs - now)));
    timer.unref();
    this.#held.set(key, { since, timer });
  }

  /** Whether any key has a change held now. */
  holding(): boolean {
    return this.#held.size > 0;
  }

  /** How many keys' last change times are kept (tests). */
  tracked(): number {
    return this.#last.size;
  }

  /** Drops every held change without firing (the agent stops). */
  clear(): void {
    for (const h of this.#held.values()) clearTimeout(h.timer);
    this.#held.clear();
    this.#last.clear();
  }

  /** Forgets the keys quiet for `quietMs` and not held: they fire at once anyway (deleted gateways' ids go too). */
  #sweep(now: number): void {
    for (const [key, at] of this.#last) if (now - at >= this.quietMs && !this.#held.has(key)) this.#last.delete(key);
  }

  #release(key: string): void {
    this.#held.delete(key);
    this.fire(key);
  }
}
