import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BurstCoalescer } from './burst-coalescer.js';

describe('BurstCoalescer', () => {
  let fired: [string, number][];
  let c: BurstCoalescer;
  beforeEach(() => {
    vi.useFakeTimers();
    fired = [];
    c = new BurstCoalescer((key) => fired.push([key, Date.now()]), 50, 2_000);
  });
  afterEach(() => {
    c.clear();
    vi.useRealTimers();
  });

  it('fires a lone change at once, and again for a change after a quiet spell', () => {
    const t0 = Date.now();
    c.change('a');
    expect(fired).toEqual([['a', t0]]);
    vi.advanceTimersByTime(50);
    c.change('a');
    expect(fired).toEqual([
      ['a', t0],
      ['a', t0 + 50],
    ]);
    expect(c.holding()).toBe(false);
  });

  it('holds the rest of a burst and fires once when it pauses', () => {
    const t0 = Date.now();
    c.change('a');
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(10);
      c.change('a');
    }
    expect(fired).toHaveLength(1);
    expect(c.holding()).toBe(true);
    vi.advanceTimersByTime(49);
    expect(fired).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([
      ['a', t0],
      ['a', t0 + 150],
    ]);
    expect(c.holding()).toBe(false);
  });

  it('fires a steady stream at least every cap', () => {
    const t0 = Date.now();
    c.change('a');
    for (let i = 0; i < 450; i++) {
      vi.advanceTimersByTime(10);
      c.change('a');
    }
    // The first change at once; then the held ones 2000 ms after the first of each hold (10 ms, 2010 ms); the rest after its pause.
    expect(fired.map(([, at]) => at - t0)).toEqual([0, 2_010, 4_010]);
    vi.advanceTimersByTime(50);
    expect(fired.map(([, at]) => at - t0)).toEqual([0, 2_010, 4_010, 4_550]);
  });

  it('keeps keys apart: one key busy does not hold another', () => {
    c.change('a');
    vi.advanceTimersByTime(10);
    c.change('a');
    c.change('b');
    expect(fired.map(([k]) => k)).toEqual(['a', 'b']);
    vi.advanceTimersByTime(50);
    expect(fired.map(([k]) => k)).toEqual(['a', 'b', 'a']);
  });

  it('forgets quiet keys once it tracks many, and still holds a busy one', () => {
    for (let i = 0; i < 300; i++) c.change(`gw-${i}`);
    expect(fired).toHaveLength(300);
    vi.advanceTimersByTime(50);
    c.change('gw-1');
    c.change('gw-1'); // within 50 ms of the one before: held, the 299 quiet keys swept meanwhile
    expect(fired).toHaveLength(301);
    expect(c.tracked()).toBe(1);
    expect(c.holding()).toBe(true);
    vi.advanceTimersByTime(50);
    expect(fired).toHaveLength(302);
  });

  it('drops what it holds on clear', () => {
    c.change('a');
    c.change('a');
    c.clear();
    vi.advanceTimersByTime(5_000);
    expect(fired).toHaveLength(1);
    expect(c.holding()).toBe(false);
  });
});
