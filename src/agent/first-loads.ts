/**
 * A CHILD loaded less than this long ago is left to charon's own start action (initiateMissing): at
 * 200 connections on one IKE_SA charon needs about a second to build them all, one after another,
 * and re-initiating the queued ones cost a round trip each while the peer gateway's reconcile waited.
 * One that failed meanwhile is retried by the next reconcile (3 s later at most).
 */
export const CHARON_START_GRACE_MS = 2_000;

/**
 * The connections new to one charon: when each one's CHILDs were first loaded into it (a reload of a
 * connection it held already is not a first load). For CHARON_START_GRACE_MS after that, the peer
 * refusing the connection most likely means the peer has not loaded its side yet, and gateway-report.ts
 * holds that reason back (`hold`). Each hold makes sure a status refresh follows once that grace is
 * over, so a real mismatch shows then even when charon has nothing more to say.
 */
export class FirstLoads {
  readonly #at = new Map<string, number>();
  /** The refresh due when the earliest grace held comes to its end. */
  #recheck: NodeJS.Timeout | undefined;
  #recheckAt = 0;

  /** `refresh`: asks for a status report of the charon's gateway. */
  constructor(private readonly refresh: () => void) {}

  /** Notes the connections `loaded` now that were not among `known` (what the charon held before this pass). */
  note(loaded: Iterable<string>, known: ReadonlySet<string>, now = Date.now()): void {
    for (const [id, at] of this.#at) if (now - at >= CHARON_START_GRACE_MS) this.#at.delete(id);
    for (const id of loaded) if (!known.has(id)) this.#at.set(id, now);
  }

  /** Whether to hold back a refusal of connection `id` now: it is within the grace of its first load. */
  hold(id: string, now = Date.now()): boolean {
    const at = this.#at.get(id);
    if (at === undefined || now - at >= CHARON_START_GRACE_MS) return false;
    // One timer, for the earliest end of a grace held: its refresh holds the later ones again, and sets the next.
    const due = at + CHARON_START_GRACE_MS;
    if (this.#recheck === undefined || due < this.#recheckAt) {
      clearTimeout(this.#recheck);
      this.#recheckAt = due;
      this.#recheck = setTimeout(
        () => {
          this.#recheck = undefined;
          this.refresh();
        },
        Math.max(0, due - Date.now()) + 10,
      ).unref();
    }
    return true;
  }
}
