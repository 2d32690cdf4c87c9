/**
 * The event streams a {@link ViciSession} feeds, and which event names they want. Knows nothing of
 * packets or connections: the session registers the names and calls back in here. @internal
 */
import type { ViciMessage } from './vici-codec.js';
import { EventBuffer, ViciEventStream } from './vici-event-stream.js';

/** One stream's side as the registry sees it. */
export interface Subscriber {
  readonly names: ReadonlySet<string>;
  deliver(name: string, message: ViciMessage): void;
  fail(error: Error): void;
  end(error: Error): void;
  markReady(): void;
}

/** @internal */
export class Subscriptions {
  readonly #subs = new Set<Subscriber>();

  /** Creates a stream for `names`; `onClose` runs when its consumer closes it. Not yet added. */
  create<N extends string>(names: readonly N[], highWaterMark: number, onClose: (sub: Subscriber) => void): { stream: ViciEventStream<N>; sub: Subscriber } {
    const buffer = new EventBuffer<N>(highWaterMark);
    let ready!: { resolve: () => void; reject: (e: Error) => void };
    const promise = new Promise<void>((resolve, reject) => (ready = { resolve, reject }));
    // The stream's close callback refers to `sub`, which is built after the stream.
    // eslint-disable-next-line prefer-const
    let sub!: Subscriber;
    const stream = new ViciEventStream<N>(names, buffer, promise, () => onClose(sub));
    sub = {
      names: new Set(names),
      deliver: (name, message) => buffer.push({ name: name as N, message }),
      fail: (e) => {
        ready.reject(e);
        buffer.fail(e);
      },
      end: (e) => {
        ready.reject(e);
        buffer.end();
      },
      markReady: () => ready.resolve(),
    };
    return { stream, sub };
  }

  get size(): number {
    return this.#subs.size;
  }

  add(sub: Subscriber): void {
    this.#subs.add(sub);
  }

  /** Removes `sub`; returns the names no remaining stream wants. */
  remove(sub: Subscriber): string[] {
    if (!this.#subs.delete(sub)) return [];
    return [...sub.names].filter((n) => !this.wanted(n));
  }

  /** True if some stream wants `name`. */
  wanted(name: string): boolean {
    for (const sub of this.#subs) if (sub.names.has(name)) return true;
    return false;
  }

  /** Every wanted name, once, in subscription order. */
  wantedNames(): string[] {
    return [...new Set([...this.#subs].flatMap((s) => [...s.names]))];
  }

  /** Hands an event to every stream that wants it. */
  deliver(name: string, message: ViciMessage): void {
    for (const sub of this.#subs) if (sub.names.has(name)) sub.deliver(name, message);
  }

  /** Fails and removes every stream that wants `name` (charon refused to register it). */
  failWanting(name: string, error: Error): void {
    for (const sub of [...this.#subs]) {
      if (!sub.names.has(name)) continue;
      this.#subs.delete(sub);
      sub.fail(error);
    }
  }

  /** Resolves `ready` of every stream whose names are all registered. */
  markRegistered(registered: ReadonlySet<string>): void {
    for (const sub of this.#subs) if ([...sub.names].every((n) => registered.has(n))) sub.markReady();
  }

  /** Ends every stream (the session closed for good). */
  endAll(error: Error): void {
    for (const sub of [...this.#subs]) sub.end(error);
    this.#subs.clear();
  }
}
