/** UTC milliseconds, strictly increasing, so created_at orders and cursors are exact. */
export class Clock {
  #last = 0;
  now(): number {
    const t = Math.max(Date.now(), this.#last + 1);
    this.#last = t;
    return t;
  }
}
