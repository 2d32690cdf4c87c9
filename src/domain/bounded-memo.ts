/**
 * Values remembered by key, forgotten all at once past `limit` entries. For the agent's caches keyed
 * by content (a hash, a CIDR's text): an entry of something changed or deleted is never looked up
 * again, so starting over now and then bounds the memory without any bookkeeping per entry.
 */
export class BoundedMemo<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The value remembered for `key`, or `make()`'s, remembered from now on. */
  get(key: K, make: () => V): V {
    if (this.#entries.has(key)) return this.#entries.get(key) as V;
    const made = make();
    if (this.#entries.size >= this.limit) this.#entries.clear();
    this.#entries.set(key, made);
    return made;
  }

  /** How many values it holds (tests). */
  get size(): number {
    return this.#entries.size;
  }
}
