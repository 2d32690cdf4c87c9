import { describe, expect, it } from 'vitest';
import type { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { GatewayRuntime } from './gateway-runtime.js';

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

describe('GatewayRuntime.regroup', () => {
  it('sets the groups and returns the connections of the groups before', () => {
    const rt = runtime();
    expect([...rt.regroup(new Map([['cw-g', ['a', 'b']]]))]).toEqual([]);
    expect([...rt.regroup(new Map([['cw-g', ['b', 'c']]]))].sort()).toEqual(['a', 'b']);
    expect(rt.members.get('cw-g')).toEqual(['b', 'c']);
  });
});
