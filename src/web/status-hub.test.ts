import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../domain/tenancy.js';
import { StatusHub, type StatusSnapshot, type StatusSubscriber } from './status-hub.js';
import { sseMessage } from './status-stream.js';

const ACCOUNT: Actor = { accountId: 'a1', isAdmin: false };

/** A hub over a counting read whose cells a test sets; tokens other than 'bad' are account a1's. */
function fixture() {
  const cells = new Map<string, string>([['conn-1', 'down']]);
  const calls = { read: 0, verify: 0 };
  const hub = new StatusHub(
    {
      verify: async (token) => {
        calls.verify++;
        if (token === 'bad') throw new Error('signed out');
        return token === 'other' ? { accountId: 'a2', isAdmin: false } : ACCOUNT;
      },
      read: async () => {
        calls.read++;
        return new Map(cells);
      },
    },
    'account:a1',
  );
  const sub = (token = 't1') => {
    const got: StatusSnapshot[] = [];
    const s: StatusSubscriber & { got: StatusSnapshot[]; ended: boolean } = {
      token,
      got,
      ended: false,
      deliver: (x) => got.push(x),
      end: () => {
        s.ended = true;
        hub.leave(s);
      },
    };
    return s;
  };
  return { cells, calls, hub, sub };
}

describe('status hub', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads once per pass for all of an account’s streams, each getting the same snapshot', async () => {
    const { calls, hub, sub } = fixture();
    const a = sub();
    const b = sub();
    await hub.join(a);
    await hub.join(b);
    expect(calls.read).toBe(2);
    calls.read = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    // One loop backing off (500 ms, then 1 s): two streams' own loops would read twice as often.
    expect(calls.read).toBeGreaterThanOrEqual(9);
    expect(calls.read).toBeLessThanOrEqual(11);
    // Every read reached both streams, as the very same snapshot (a joined one pass before b).
    expect(a.got.length).toBe(2 + calls.read);
    expect(b.got.length).toBe(1 + calls.read);
    expect(b.got.at(-1)).toBe(a.got.at(-1));
  });

  it('backs off to 1 s while nothing changes, and is back at 500 ms on a change or a wake', async () => {
    const { cells, calls, hub, sub } = fixture();
    await hub.join(sub());
    await vi.advanceTimersByTimeAsync(6_000); // passes at 0, 0.5, 1.5, … 5.5 s
    calls.read = 0;
    await vi.advanceTimersByTimeAsync(999);
    expect(calls.read).toBe(1); // the pass at 6.5 s, none at 500 ms steps
    cells.set('conn-1', 'up');
    await vi.advanceTimersByTimeAsync(1_000);
    calls.read = 0;
    await vi.advanceTimersByTimeAsync(600);
    expect(calls.read).toBe(1); // right after a change: 500 ms again
    await vi.advanceTimersByTimeAsync(5_000);
    calls.read = 0;
    await hub.wake();
    expect(calls.read).toBe(1);
    await vi.advanceTimersByTimeAsync(510);
    expect(calls.read).toBe(2);
  });

  it('stops its loop with the last subscriber', async () => {
    const { calls, hub, sub } = fixture();
    const a = sub();
    await hub.join(a);
    hub.leave(a);
    calls.read = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls.read).toBe(0);
    expect(hub.size).toBe(0);
  });

  it('ends only the streams whose token fails or belongs to another account', async () => {
    const { hub, sub } = fixture();
    const good = sub();
    const bad = sub('bad');
    const other = sub('other');
    await hub.join(good);
    await hub.join(bad);
    await hub.join(other);
    expect([good.ended, bad.ended, other.ended]).toEqual([false, true, true]);
    expect(other.got).toEqual([]);
    expect(hub.size).toBe(1);
  });
});

describe('sseMessage', () => {
  it('splits data on CRLF, CR and LF alike (a browser ends a line at each)', () => {
    expect(sseMessage('e', 'a\r\nb\rc\nd')).toBe('event: e\ndata: a\ndata: b\ndata: c\ndata: d\n\n');
  });
});
