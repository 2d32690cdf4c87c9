import { describe, expect, it } from 'vitest';
import type { Connection } from '../domain/connection.js';
import type { DesiredConnection } from '../domain/desired-state.js';
import { desiredConnection } from '../domain/desired-connection.js';
import { connection, gateway } from '../../test/domain-fixtures.js';
import { type PeerGroup, translateGateway } from '../dataplane/strongswan/peer-group-translator.js';
import { ViciCommandError, ViciConnectionError, encodeMessage, type ViciNamedSection, type ViciSectionInput } from '../dataplane/vici/index.js';
import {
  type AppliedGroup,
  type GroupVici,
  applyGroups,
  connWithEncodedChildren,
  connectionsUp,
  encodedChildCount,
  initiateMissing,
  membersUp,
  unloadUnwanted,
} from './peer-group-applier.js';

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
    // The phase 1 (and with it the key) is unchanged: no load-shared.
    expect(calls).toEqual(['load-conn cw-peer-1', 'terminate {"child":"cw-b-1"} {"timeoutMs":-1}', 'terminate {"child":"cw-d-1"} {"timeoutMs":-1}']);
    expect(applied.get('cw-peer-1')!.children).toEqual({ 'cw-a-1': 'cw-a-1@h1', 'cw-b-1': 'cw-b-1@h1', 'cw-c-1': 'cw-c-1@h1' });
  });

  it('closes nothing for a CHILD new to the group, with or without a start action (a standby adding its connections)', async () => {
    const { vici, calls } = recorder();
    const applied = new Map<string, AppliedGroup>([['cw-peer-1', { ikeHash: 'h1', children: { 'cw-a-1': 'cw-a-1@h1' } }]]);
    const g = group('h1', { 'cw-a-1': ['a', false], 'cw-b-1': ['b', false], 'cw-c-1': ['c', true] });
    expect([...(await applyGroups(vici, [g], applied))].sort()).toEqual(['b', 'c']);
    expect(calls).toEqual(['load-conn cw-peer-1']);
  });

  it("a phase-1 change closes the group's IKE_SAs before loading it", async () => {
    const { vici, calls } = recorder();
    const applied = new Map<string, AppliedGroup>([['cw-peer-1', { ikeHash: 'h1', children: { 'cw-a-1': 'cw-a-1@h2' } }]]);
    await applyGroups(vici, [group('h2', { 'cw-a-1': ['a', true] })], applied);
    expect(calls).toEqual(['terminate {"ike":"cw-peer-1"} {"force":true,"timeoutMs":0}', 'load-shared psk-cw-peer-1', 'load-conn cw-peer-1']);
  });
});

describe('the CHILD encoding cache', () => {
  const gw = gateway();
  const conn = (n: number, o: Partial<Connection> = {}): DesiredConnection =>
    desiredConnection(
      gw,
      connection({ id: `c1000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `e${n}`, peerCidrs: [`10.9.${n}.0/24`], ...o }),
      undefined,
      undefined,
    );

  it('sends exactly the bytes of the plain conn body', () => {
    const [g] = translateGateway([conn(1), conn(2), conn(3, { peerCidrs: ['10.9.3.0/24', '10.9.33.0/24'] })]);
    const body = (c: ViciSectionInput): Buffer => encodeMessage({ [g!.name]: c });
    expect(body(connWithEncodedChildren(g!))).toEqual(body(g!.conn));
    expect(body(connWithEncodedChildren(g!))).toEqual(body(g!.conn)); // from the cache this time
  });

  it('adding the k-th connection encodes one CHILD, not the group', () => {
    const all = Array.from({ length: 40 }, (_, i) => conn(100 + i));
    connWithEncodedChildren(translateGateway(all.slice(0, 39))[0]!);
    const before = encodedChildCount();
    const [g] = translateGateway(all);
    const loaded = connWithEncodedChildren(g!) as { children: Record<string, unknown> };
    expect(Object.keys(loaded.children)).toHaveLength(40);
    expect(encodedChildCount() - before).toBe(1);
    // A changed CHILD is encoded anew; the others still come from the cache.
    const [changed] = translateGateway([...all.slice(0, 39), conn(139, { peerCidrs: ['10.9.239.0/24'] })]);
    connWithEncodedChildren(changed!);
    expect(encodedChildCount() - before).toBe(2);
  });

  it('applyGroups loads the cached encoding', async () => {
    const loads: ViciSectionInput[] = [];
    const { vici } = recorder();
    (vici as { loadConn: (name: string, c: ViciSectionInput) => Promise<void> }).loadConn = async (_n, c) => void loads.push(c);
    const [g] = translateGateway([conn(7)]);
    await applyGroups(vici, [g!], new Map());
    expect(encodeMessage(loads[0]!)).toEqual(encodeMessage(g!.conn));
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

  it('forgets an unwanted group before unloading it: a charon lost half way leaves no record of it as loaded', async () => {
    const { vici } = recorder(['cw-peer-2']);
    (vici as unknown as { unloadConn: () => Promise<void> }).unloadConn = () => Promise.reject(new ViciConnectionError('connection to charon lost'));
    const applied = new Map<string, AppliedGroup>([['cw-peer-2', { ikeHash: 'h', children: {} }]]);
    await expect(unloadUnwanted(vici, [{ ...group('h', {}), name: 'cw-peer-1' }], applied)).rejects.toBeInstanceOf(ViciConnectionError);
    expect([...applied.keys()]).toEqual([]);
  });

  it('once swept on this connection, asks charon again only when a loaded group is no longer wanted', async () => {
    const { vici, calls } = recorder(['cw-peer-1', 'cw-peer-2']);
    let listed = 0;
    const getConns = vici.getConns.bind(vici);
    (vici as { getConns: () => Promise<string[]> }).getConns = () => {
      listed++;
      return getConns();
    };
    const g1 = { ...group('h', {}), name: 'cw-peer-1' };
    const applied = new Map<string, AppliedGroup>([['cw-peer-1', { ikeHash: 'h', children: {} }]]);
    await unloadUnwanted(vici, [g1], applied, true);
    expect([listed, calls]).toEqual([0, []]);
    applied.set('cw-peer-2', { ikeHash: 'h', children: {} });
    await unloadUnwanted(vici, [g1], applied, true);
    expect(listed).toBe(1);
    expect(calls).toContain('unload-conn cw-peer-2');
    expect([...applied.keys()]).toEqual(['cw-peer-1']);
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

  it('leaves the CHILDs just loaded to charon (its start action), but says something is missing', async () => {
    const { vici, calls } = recorder();
    expect(await initiateMissing(vici, [g], [sa('cw-peer-1', 'ESTABLISHED', { 'cw-a-1': 'INSTALLED' })], new Set(['c']))).toBe(true);
    expect(await initiateMissing(vici, [g], [], new Set(['a', 'c']))).toBe(true);
    expect(calls).toEqual([]);
  });

  it('stops at the first initiate that finds charon gone (the failover waits for this pass), and ignores a refusal', async () => {
    const { vici, calls } = recorder();
    let n = 0;
    (vici as unknown as { initiate: (x: { child: string }) => Promise<never> }).initiate = async (x) => {
      calls.push(`initiate ${x.child}`);
      if (++n === 1) throw new ViciCommandError('initiate', 'CHILD_SA already up', {});
      throw new ViciConnectionError('connection to charon lost while waiting for initiate');
    };
    const three = group('h', { 'cw-a-1': ['a', true], 'cw-c-1': ['c', true], 'cw-d-1': ['d', true] });
    await expect(initiateMissing(vici, [three], [sa('cw-peer-1', 'ESTABLISHED')])).rejects.toBeInstanceOf(ViciConnectionError);
    expect(calls).toEqual(['initiate cw-a-1', 'initiate cw-c-1']);
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

describe('membersUp', () => {
  it('per connection, the members whose charons hold an installed CHILD_SA of it, in order, once each', () => {
    const id = (n: string): string | undefined => /^cw-(\w)-/.exec(n)?.[1];
    const seen = new Map([
      [{ memberIndex: 2 as const }, [sa('cw-b-2', 'ESTABLISHED', { 'cw-b-2': 'INSTALLED' }), sa('cw-a-2', 'ESTABLISHED', { 'cw-a-2': 'INSTALLED' })]],
      [{ memberIndex: 1 as const }, [sa('cw-a-1', 'ESTABLISHED', { 'cw-a-1': 'INSTALLED', 'cw-c-1': 'REKEYING' })]],
      [{ memberIndex: 1 as const }, [sa('cw-b-1', 'ESTABLISHED', { 'cw-b-1': 'CREATED' })]],
      [{ memberIndex: 2 as const }, [sa('cw-a-2', 'ESTABLISHED', { 'cw-a-2': 'INSTALLED' })]],
    ]);
    expect(membersUp(seen, id)).toEqual(
      new Map([
        ['b', [2]],
        ['a', [1, 2]],
      ]),
    );
  });
});
