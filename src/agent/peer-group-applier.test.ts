import { describe, expect, it } from 'vitest';
import type { PeerGroup } from '../dataplane/strongswan/peer-group-translator.js';
import type { ViciNamedSection } from '../dataplane/vici/index.js';
import { type AppliedGroup, type GroupVici, applyGroups, connectionsUp, initiateMissing, unloadUnwanted } from './peer-group-applier.js';

/** Records the commands; `conns` is what get-conns answers. */
function recorder(conns: string[] = []): { vici: GroupVici; calls: string[] } {
  const calls: string[] = [];
  const rec =
    (what: string) =>
    async (...args: unknown[]): Promise<never> => {
      calls.push(`${what} ${JSON.stringify(args[0])}${args[1] ? ` ${JSON.stringify(args[1])}` : ''}`);
      return { log: [], matches: 1, terminated: 1 } as never;
    };
  const vici = {
    loadShared: async (x: { id: string }) => void calls.push(`load-shared ${x.id}`),
    loadConn: async (name: string) => void calls.push(`load-conn ${name}`),
    terminate: rec('terminate'),
    initiate: rec('initiate'),
    getConns: async () => conns,
    unloadConn: async (name: string) => void calls.push(`unload-conn ${name}`),
    unloadShared: async (id: string) => void calls.push(`unload-shared ${id}`),
  } as unknown as GroupVici;
  return { vici, calls };
}

const group = (ikeHash: string, children: Record<string, [string, boolean]>): PeerGroup => ({
  name: 'cw-peer-1',
  conn: {},
  ikeHash,
  connectionIds: [...new Set(Object.values(children).map(([c]) => c))],
  overridden: [],
  shared: { id: 'psk-cw-peer-1', type: 'IKE', data: 'k', owners: [] },
  children: new Map(Object.entries(children).map(([name, [connectionId, start]]) => [name, { connectionId, hash: `${name}@${ikeHash}`, start }])),
});

describe('applyGroups', () => {
  it('loads a new group, key first, and nothing when it did not change', async () => {
    const { vici, calls } = recorder();
    const applied = new Map<string, AppliedGroup>();
    const g = group('h1', { 'cw-a-1': ['a', true] });
    expect([...(await applyGroups(vici, [g], applied))]).toEqual(['a']);
    expect(calls).toEqual(['load-shared psk-cw-peer-1', 'load-conn cw-peer-1']);
    calls.length = 0;
    expect([...(await applyGroups(vici, [g], applied))]).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('a CHILD change reloads the conn; charon restarts a starting CHILD, a peer_only or removed one is closed by us', async () => {
    const { vici, calls } = recorder();
    const applied = new Map<string, AppliedGroup>([
      ['cw-peer-1', { ikeHash: 'h1', children: { 'cw-a-1': 'old', 'cw-b-1': 'old', 'cw-c-1': 'cw-c-1@h1', 'cw-d-1': 'gone' } }],
    ]);
    const g = group('h1', { 'cw-a-1': ['a', true], 'cw-b-1': ['b', false], 'cw-c-1': ['c', true] });
    expect([...(await applyGroups(vici, [g], applied))].sort()).toEqual(['a', 'b']);
    expect(calls).toEqual([
      'load-shared psk-cw-peer-1',
      'load-conn cw-peer-1',
      'terminate {"child":"cw-b-1"} {"timeoutMs":-1}',
      'terminate {"child":"cw-d-1"} {"timeoutMs":-1}',
    ]);
    expect(applied.get('cw-peer-1')!.children).toEqual({ 'cw-a-1': 'cw-a-1@h1', 'cw-b-1': 'cw-b-1@h1', 'cw-c-1': 'cw-c-1@h1' });
  });

  it("a phase-1 change closes the group's IKE_SAs before loading it", async () => {
    const { vici, calls } = recorder();
    const applied = new Map<string, AppliedGroup>([['cw-peer-1', { ikeHash: 'h1', children: { 'cw-a-1': 'cw-a-1@h2' } }]]);
    await applyGroups(vici, [group('h2', { 'cw-a-1': ['a', true] })], applied);
    expect(calls).toEqual(['terminate {"ike":"cw-peer-1"} {"force":true,"timeoutMs":0}', 'load-shared psk-cw-peer-1', 'load-conn cw-peer-1']);
  });
});

describe('unloadUnwanted', () => {
  it("unloads our conns no group wants (and their keys and SAs), never anyone else's", async () => {
    const { vici, calls } = recorder(['cw-peer-1', 'cw-0b7d1c2e-1111-4222-8333-444455556666', 'theirs']);
    const applied = new Map<string, AppliedGroup>([['cw-old', { ikeHash: 'x', children: {} }]]);
    await unloadUnwanted(vici, [group('h', {})], applied);
    const old = 'cw-0b7d1c2e-1111-4222-8333-444455556666';
    expect(calls).toEqual([`unload-conn ${old}`, `terminate {"ike":"${old}"} {"force":true,"timeoutMs":-1}`, `unload-shared psk-${old}`]);
    expect([...applied.keys()]).toEqual([]);
  });
});

const sa = (name: string, state: string, children: Record<string, string> = {}): ViciNamedSection => ({
  name,
  value: { state, 'child-sas': Object.fromEntries(Object.entries(children).map(([n, s], i) => [`${n}-${i}`, { name: n, state: s }])) },
});

describe('initiateMissing', () => {
  const g = group('h', { 'cw-a-1': ['a', true], 'cw-b-1': ['b', false], 'cw-c-1': ['c', true] });

  it("initiates the starting CHILDs charon does not have, inside the group's IKE_SA", async () => {
    const { vici, calls } = recorder();
    expect(await initiateMissing(vici, [g], [sa('cw-peer-1', 'ESTABLISHED', { 'cw-a-1': 'INSTALLED' })])).toBe(true);
    expect(calls).toEqual(['initiate {"child":"cw-c-1","ike":"cw-peer-1","timeoutMs":-1}']);
  });

  it('leaves a group alone while its IKE_SA is negotiating, and does nothing when all are there', async () => {
    const { vici, calls } = recorder();
    expect(await initiateMissing(vici, [g], [sa('cw-peer-1', 'CONNECTING')])).toBe(false);
    expect(await initiateMissing(vici, [g], [sa('cw-peer-1', 'ESTABLISHED', { 'cw-a-1': 'INSTALLED', 'cw-c-1': 'REKEYING' })])).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe('connectionsUp', () => {
  it('a connection is up when a CHILD_SA of its own is installed, in whatever IKE_SA', () => {
    const id = (n: string): string | undefined => /^cw-(\w)-/.exec(n)?.[1];
    expect([
      ...connectionsUp([sa('cw-peer-1', 'ESTABLISHED', { 'cw-a-1': 'INSTALLED', 'cw-b-1': 'CREATED' }), sa('x', 'ESTABLISHED', { 'cw-c-1': 'INSTALLED' })], id),
    ]).toEqual(['a', 'c']);
  });
});
