import { describe, expect, it, vi } from 'vitest';
import { CHARON_START_GRACE_MS, FirstLoads } from './first-loads.js';

describe('FirstLoads', () => {
  it('holds a new connection for the start grace after its first load, and forgets it after', () => {
    const f = new FirstLoads(() => undefined);
    f.note(['a', 'x'], new Set(['x']), 10_000);
    expect(f.hold('x', 10_000)).toBe(false); // held before: a reload, not new
    expect(f.hold('a', 10_000)).toBe(true);
    expect(f.hold('a', 11_999)).toBe(true);
    expect(f.hold('a', 12_000)).toBe(false);
    expect(f.hold('b', 10_000)).toBe(false);
    // Noting more loads drops those past the grace.
    f.note(['b'], new Set(), 12_500);
    expect(f.hold('a', 10_500)).toBe(false);
    expect(f.hold('b', 12_600)).toBe(true);
  });

  it('asks for a refresh when the earliest grace held is over, and then for the next', async () => {
    vi.useFakeTimers();
    try {
      let refreshes = 0;
      const f = new FirstLoads(() => void refreshes++);
      const t0 = Date.now();
      f.note(['b'], new Set(), t0 + 500);
      f.note(['a'], new Set(), t0);
      expect(f.hold('b', t0)).toBe(true);
      expect(f.hold('a', t0)).toBe(true); // its grace ends first: the timer moves to it
      await vi.advanceTimersByTimeAsync(CHARON_START_GRACE_MS - 1);
      expect(refreshes).toBe(0);
      await vi.advanceTimersByTimeAsync(20);
      expect(refreshes).toBe(1);
      expect(f.hold('a', Date.now())).toBe(false);
      expect(f.hold('b', Date.now())).toBe(true); // the refresh holds b again, and sets its timer
      await vi.advanceTimersByTimeAsync(500);
      expect(refreshes).toBe(2);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(refreshes).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
