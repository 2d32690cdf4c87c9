import { describe, expect, it } from 'vitest';
import type { Connection } from '../../domain/connection.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { desiredConnection } from '../../domain/desired-connection.js';
import { connection, gateway, routeGateway } from '../../../test/domain-fixtures.js';
import type { ViciSection } from './conn-translator.js';
import { peerGroupName, translateGateway } from './peer-group-translator.js';

const id = (n: number): string => `c0000000-0000-4000-8000-00000000000${n}`;
const gw = gateway();
const routeGw = routeGateway();
const conn = (n: number, o: Partial<Connection> = {}): DesiredConnection =>
  desiredConnection(
    o.kind && o.kind !== 'policy' ? routeGw : gw,
    connection({ id: id(n), name: `c${n}`, peerCidrs: [`10.2.${n}.0/24`], ...o }),
    undefined,
    undefined,
  );
const childrenOf = (s: ViciSection): Record<string, ViciSection> => s['children'] as Record<string, ViciSection>;

describe('translateGateway: one IKE conn per peer identity', () => {
  it('connections to the same peer share one IKE conn and one key; each keeps its own CHILD', () => {
    const [g, ...rest] = translateGateway([conn(2), conn(1), conn(3)]);
    expect(rest).toEqual([]);
    expect(g!.name).toMatch(/^cw-peer-[0-9a-f]{16}$/);
    expect(Object.keys(childrenOf(g!.conn))).toEqual([`cw-${id(1)}-1`, `cw-${id(2)}-1`, `cw-${id(3)}-1`]);
    expect(childrenOf(g!.conn)[`cw-${id(2)}-1`]!['remote_ts']).toEqual(['10.2.2.0/24']);
    expect(g!.connectionIds).toEqual([id(1), id(2), id(3)]);
    expect(g!.shared).toEqual({ id: `psk-${g!.name}`, type: 'IKE', data: 'sesame-open', owners: ['198.51.100.10', '203.0.113.7'] });
    expect(g!.conn['remote_addrs']).toEqual(['203.0.113.7']);
  });

  it('different peers, identities or IKE versions are different groups', () => {
    const groups = translateGateway([
      conn(1),
      conn(2, { peer: { address: '203.0.113.8' } }),
      conn(3, { peerIdentity: { type: 'fqdn', value: 'vpn.example.com' } }),
      conn(4, { localIdentities: [{ type: 'fqdn', value: 'us.example.com' }] }),
    ]);
    expect(new Set(groups.map((g) => g.name)).size).toBe(4);
  });

  it('is deterministic whatever the order; names come from the peer identity only', () => {
    expect(translateGateway([conn(1), conn(2)])).toEqual(translateGateway([conn(2), conn(1)]));
    const [alone] = translateGateway([conn(5)]);
    const [both] = translateGateway([conn(5), conn(6, { psk: 'another-key', dpd: { action: 'restart', intervalSeconds: 9, timeoutSeconds: 30 } })]);
    expect(both!.name).toBe(alone!.name);
    expect(peerGroupName(alone!.conn)).toBe(alone!.name);
  });

  it('phase 1 comes from the lowest connection id; a CHILD change leaves the phase-1 hash alone', () => {
    const dpd9 = { dpd: { action: 'restart' as const, intervalSeconds: 9, timeoutSeconds: 30 } };
    const [g] = translateGateway([conn(2, dpd9), conn(1)]);
    expect(g!.conn['dpd_delay']).toBe('2s');
    const [g2] = translateGateway([conn(2, { ...dpd9, peerCidrs: ['10.9.9.0/24'] }), conn(1)]);
    expect(g2!.ikeHash).toBe(g!.ikeHash);
    expect(g2!.children.get(`cw-${id(1)}-1`)!.hash).toBe(g!.children.get(`cw-${id(1)}-1`)!.hash);
    expect(g2!.children.get(`cw-${id(2)}-1`)!.hash).not.toBe(g!.children.get(`cw-${id(2)}-1`)!.hash);
    const [g3] = translateGateway([conn(2, dpd9), conn(1, { psk: 'changed-key' })]);
    expect(g3!.ikeHash).not.toBe(g!.ikeHash);
  });

  it('a reset of any member replaces the group IKE_SA (new phase-1 hash) and leaves the CHILDs alone', () => {
    const [g] = translateGateway([conn(1), conn(2)]);
    const [r] = translateGateway([conn(1), conn(2, { resets: 1 })]);
    expect(r!.ikeHash).not.toBe(g!.ikeHash);
    expect(r!.conn).toEqual(g!.conn);
    expect([...r!.children.values()].map((c) => c.hash)).toEqual([...g!.children.values()].map((c) => c.hash));
  });

  it('names the members whose own phase 1 or key the leader overrides', () => {
    const dpd9 = { dpd: { action: 'restart' as const, intervalSeconds: 9, timeoutSeconds: 30 } };
    expect(translateGateway([conn(1), conn(2)])[0]!.overridden).toEqual([]);
    expect(translateGateway([conn(2, dpd9), conn(1), conn(3, { psk: 'other-key' })])[0]!.overridden).toEqual([id(2), id(3)]);
  });

  it('admin-down connections are left out; a group needs at least one admin-up member', () => {
    expect(translateGateway([conn(1, { adminStateUp: false })])).toEqual([]);
    const [g] = translateGateway([conn(1, { adminStateUp: false }), conn(2)]);
    expect(g!.connectionIds).toEqual([id(2)]);
  });

  it('peer_only CHILDs do not start; a bidirectional member keeps charon trying (keyingtries 0)', () => {
    const [po] = translateGateway([conn(1, { establishMode: 'peer_only' })]);
    expect(po!.children.get(`cw-${id(1)}-1`)!.start).toBe(false);
    expect(po!.conn['keyingtries']).toBe('1');
    const [mixed] = translateGateway([conn(1, { establishMode: 'peer_only' }), conn(2)]);
    expect(mixed!.conn['keyingtries']).toBe('0');
    expect([...mixed!.children.values()].map((c) => c.start)).toEqual([false, true]);
  });

  it('route connections: one group per member tunnel, CHILD names per tunnel', () => {
    const groups = translateGateway([conn(1, { kind: 'route_static' })]);
    expect(groups.map((g) => Object.keys(childrenOf(g.conn)))).toEqual([[`cw-${id(1)}-t1-1`], [`cw-${id(1)}-t2-1`]]);
    expect(groups.map((g) => g.conn['local_addrs'])).toEqual([['198.51.100.11'], ['198.51.100.12']]);
  });

  it('translations are remembered by content: the same answer again, another for a member copy or a changed connection', () => {
    const d = conn(1, { kind: 'route_static' });
    const once = translateGateway([d]);
    expect(translateGateway([{ ...d }])).toEqual(once);
    // One member's copy (route-tunnels.ts) keeps the connection's hash and drops the other tunnel.
    const member2 = translateGateway([{ ...d, tunnels: d.tunnels.filter((t) => t.memberIndex === 2) }]);
    expect(member2.map((g) => Object.keys(childrenOf(g.conn)))).toEqual([[`cw-${id(1)}-t2-1`]]);
    expect(member2[0]).toEqual(once[1]);
    const [policy] = translateGateway([conn(1)]);
    const [changed] = translateGateway([conn(1, { peerCidrs: ['10.9.0.0/24'] })]);
    expect(childrenOf(changed!.conn)[`cw-${id(1)}-1`]!['remote_ts']).toEqual(['10.9.0.0/24']);
    expect(changed!.children.get(`cw-${id(1)}-1`)!.hash).not.toBe(policy!.children.get(`cw-${id(1)}-1`)!.hash);
    // The remembered parts are shared: grouping must not change them for the next caller.
    translateGateway([conn(2, { kind: 'route_static' }), d]);
    expect(translateGateway([d])).toEqual(once);
  });
});
