import type { Actor } from '../domain/tenancy.js';

/** Every live cell of one account: SSE event name → its HTML. */
export type StatusSnapshot = ReadonlyMap<string, string>;

/** The fastest and slowest pass of a hub: it backs off while nothing changes, and is fast again on a change or a wake. */
export const STATUS_POLL_MS = 500;
/** 1 s, not more: an agent's status report records no change to wake a hub, so a pass must find it within about a second. */
export const STATUS_POLL_MAX_MS = 1_000;

/** One open stream as a hub sees it: its session token, and where snapshots go. */
export interface StatusSubscriber {
  readonly token: string;
  deliver(snapshot: StatusSnapshot): void;
  /** The token failed, or the read did: the stream ends (the browser reconnects). */
  end(): void;
}

export interface StatusHubDeps {
  /** The token's actor; throws when it is no longer valid. */
  verify(token: string): Promise<Actor>;
  /** One read of everything the actor's account shows live. */
  read(actor: Actor): Promise<StatusSnapshot>;
}

/** The hub an actor's streams share: actors who see the same objects (one account, or every account for the admin). */
export const hubKey = (a: Actor): string => (a.isAdmin ? 'admin' : `account:${a.accountId}`);

const same = (a: StatusSnapshot | undefined, b: StatusSnapshot): boolean => a !== undefined && a.size === b.size && [...b].every(([k, v]) => a.get(k) === v);

/**
 * The live status of one account in this process: one read per pass, whatever the number of its open
 * streams, handed to every subscriber (each sends only the cells it has not sent). Passes run every
 * STATUS_POLL_MS, backing off to STATUS_POLL_MAX_MS while nothing changes; a wake (a commit, a new
 * subscriber) runs one at once. The loop stops with the last subscriber. Each server runs its own hubs
 * and reads the shared store, so any number of servers work.
 */
export class StatusHub {
  readonly #deps: StatusHubDeps;
  readonly #key: string;
  readonly #subs = new Set<StatusSubscriber>();
  #last: StatusSnapshot | undefined;
  #delay = STATUS_POLL_MS;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #again = false;
  #woken = false;

  constructor(deps: StatusHubDeps, key: string) {
    this.#deps = deps;
    this.#key = key;
  }

  get size(): number {
    return this.#subs.size;
  }

  /** Adds a subscriber and runs a pass at once: it gets every cell as fresh as the page it came with. */
  join(s: StatusSubscriber): Promise<void> {
    this.#subs.add(s);
    return this.wake();
  }

  /** Removes a subscriber; the last one out stops the loop. */
  leave(s: StatusSubscriber): void {
    this.#subs.delete(s);
    if (this.#subs.size === 0) this.#stop();
  }

  /** Something may have changed: a pass now, and fast passes after it. */
  wake(): Promise<void> {
    this.#woken = true;
    return this.#pass();
  }

  async #pass(): Promise<void> {
    if (this.#subs.size === 0) return;
    if (this.#busy) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#busy = true;
    let changed = this.#woken;
    this.#woken = false;
    try {
      const actor = await this.#verified();
      if (actor) {
        const snapshot = await this.#deps.read(actor);
        changed = !same(this.#last, snapshot) || changed;
        this.#last = snapshot;
        for (const s of [...this.#subs]) s.deliver(snapshot);
      }
    } catch {
      for (const s of [...this.#subs]) s.end();
    } finally {
      this.#busy = false;
    }
    if (this.#subs.size === 0) return this.#stop();
    if (this.#again) {
      this.#again = false;
      this.#woken = true;
      return this.#pass();
    }
    this.#delay = changed ? STATUS_POLL_MS : Math.min(this.#delay * 2, STATUS_POLL_MAX_MS);
    this.#timer = setTimeout(() => void this.#pass(), this.#delay);
  }

  /** Checks each distinct token once (the token service caches): a failed or moved one ends its streams. The actor of the first good one. */
  async #verified(): Promise<Actor | undefined> {
    let actor: Actor | undefined;
    const byToken = new Map<string, StatusSubscriber[]>();
    for (const s of this.#subs) byToken.set(s.token, [...(byToken.get(s.token) ?? []), s]);
    for (const [token, subs] of byToken) {
      const a = await this.#deps.verify(token).catch(() => undefined);
      if (a && hubKey(a) === this.#key) actor ??= a;
      else for (const s of subs) s.end();
    }
    return actor;
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#last = undefined;
  }
}
