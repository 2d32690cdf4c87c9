import { describe, expect, it } from 'vitest';
import type { GroupChild } from '../dataplane/strongswan/peer-group-translator.js';
import { onlyNewLoads } from './member-apply.js';

const child = (connectionId: string, start = true): [string, GroupChild] => [`cw-${connectionId}-1`, { connectionId, hash: `h-${connectionId}`, start }];
const group = (...children: [string, GroupChild][]): { children: ReadonlyMap<string, GroupChild> } => ({ children: new Map(children) });

describe('onlyNewLoads', () => {
  const groups = [group(child('a'), child('b')), group(child('c'), child('p', false))];

  it('holds when the pass loaded CHILDs and every other starting CHILD was up at the last read', () => {
    // 'c' was just loaded (charon starts it), 'a' and 'b' were up; 'p' has no start action (peer_only).
    expect(onlyNewLoads(groups, new Set(['c']), new Set(['c']), new Set(['a', 'b']))).toBe(true);
  });

  it('fails when a starting CHILD loaded earlier was not up at the last read: it may be owed an initiation', () => {
    expect(onlyNewLoads(groups, new Set(['c']), new Set(['c']), new Set(['a']))).toBe(false);
  });

  it('counts a CHILD still in its start grace as charon’s own to start', () => {
    // 'b' was loaded a second ago by another pass and is not up yet: charon is still working on it.
    expect(onlyNewLoads(groups, new Set(['c']), new Set(['b', 'c']), new Set(['a']))).toBe(true);
  });

  it('fails when the pass loaded nothing (a resync reads and reports as before) or the charon was never read', () => {
    expect(onlyNewLoads(groups, new Set(), new Set(['c']), new Set(['a', 'b']))).toBe(false);
    expect(onlyNewLoads(groups, new Set(['c']), new Set(['c']), undefined)).toBe(false);
  });
});
