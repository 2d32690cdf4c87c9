import { describe, expect, it, vi } from 'vitest';
import type { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { CHARON_START_GRACE_MS, GatewayRuntime } from './gateway-runtime.js';

const runtime = (): GatewayRuntime =>
  new GatewayRuntime('gw', { dir: '/nonexistent/cw-runtime-test' } as unknown as CharonSupervisor, { onEvent: () => undefined, onLost: () => undefined });

describe('GatewayRuntime.loadedRecently', () => {
  it('returns what was loaded now and within the grace, and forgets the rest', () => {
    const rt = runtime();
    expect([...rt.loadedRecently(['a', 'b'], 2_000, 10_000)].sort()).toEqual(['a', 'b']);
    expect([...rt.loadedRecently(['c'], 2_000, 11_000)].sort()).toEqual(['a', 'b', 'c']);
    // 'a' and 'b' are past the grace: charon's start action had its chance, initiateMissing may retry them.
    expect([...rt.loadedRecently([], 2_000, 12_500)]).toEqual(['c']);
    expect([...rt.loadedRecently([], 2_000, 20_000)]).toEqual([]);
  });

  it('with no grace (right after a failover), only what was loaded now', () => {
    const rt = runtime();
    rt.loadedRecently(['a'], 2_000, 10_000);
    expect([...rt.loadedRecently(['b'], 0, 10_500)]).toEqual(['b']);
    expect([...rt.loadedRecently([], 2_000, 10_600)]).toEqual(['b']);
  });
});

describe('GatewayRuntime.holdRefusal', () => {
  it('regroup returns the connections of the groups before', () => {
    const rt = runtime();
    expect([...rt.regroup(new Map([['cw-g', ['a', 'b']]]))]).toEqual([]);
    expect([...rt.regroup(new Map([['cw-g', ['b', 'c']]]))].sort()).toEqual(['a', 'b']);
    expect(rt.members.get('cw-g')).toEqual(['b', 'c']);
  });

  it('holds a new connection for the start grace after its first load, and forgets it after', () => {
    const rt = runtime();
    rt.noteFirstLoads(['a', 'x'], new Set(['x']), 10_000);
    expect(rt.holdRefusal('x', 10_000)).toBe(false); // loaded before: a reload, not new
    expect(rt.holdRefusal('a', 10_000)).toBe(true);
    expect(rt.holdRefusal('a', 11_999)).toBe(true);
    expect(rt.holdRefusal('a', 12_000)).toBe(false);
    expect(rt.holdRefusal('b', 10_000)).toBe(false);
    // Noting more loads drops those past the grace.
    rt.noteFirstLoads(['b'], new Set(), 12_500);
    expect(rt.holdRefusal('a', 10_500)).toBe(false);
    expect(rt.holdRefusal('b', 12_600)).toBe(true);
  });

  it('asks for a status refresh once the grace of what it held is over', async () => {
    vi.useFakeTimers();
    try {
      let events = 0;
      const rt = new GatewayRuntime('gw', { dir: '/nonexistent/cw-runtime-test' } as unknown as CharonSupervisor, {
        onEvent: () => void events++,
        onLost: () => undefined,
      });
      const t0 = Date.now();
      rt.noteFirstLoads(['b'], new Set(), t0 + 500);
      rt.noteFirstLoads(['a'], new Set(), t0);
      expect(rt.holdRefusal('b', t0)).toBe(true);
      expect(rt.holdRefusal('a', t0)).toBe(true); // its grace ends first: the timer moves to it
      await vi.advanceTimersByTimeAsync(CHARON_START_GRACE_MS - 1);
      expect(events).toBe(0);
      await vi.advanceTimersByTimeAsync(20);
      expect(events).toBe(1);
      expect(rt.holdRefusal('a', Date.now())).toBe(false);
      expect(rt.holdRefusal('b', Date.now())).toBe(true); // the refresh holds b again, and sets its timer
      await vi.advanceTimersByTimeAsync(500);
      expect(events).toBe(2);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(events).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
