import { describe, expect, it } from 'vitest';
import { BoundedMemo } from './bounded-memo.js';

describe('BoundedMemo', () => {
  it('makes a value once per key, and starts over past its limit', () => {
    const memo = new BoundedMemo<string, number>(3);
    let made = 0;
    const make = (): number => ++made;
    expect([memo.get('a', make), memo.get('b', make), memo.get('a', make)]).toEqual([1, 2, 1]);
    expect(memo.get('c', make)).toBe(3);
    expect(memo.size).toBe(3);
    // The fourth key finds the memo full: everything earlier is forgotten, and made again when asked.
    expect(memo.get('d', make)).toBe(4);
    expect(memo.size).toBe(1);
    expect(memo.get('a', make)).toBe(5);
  });

  it('remembers undefined like any value', () => {
    const memo = new BoundedMemo<string, undefined>(2);
    let calls = 0;
    memo.get('x', () => void calls++);
    memo.get('x', () => void calls++);
    expect(calls).toBe(1);
  });
});
