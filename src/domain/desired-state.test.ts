import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Connection, Dpd, IkeIdentity } from './connection.js';
import { canonicalJson, contentHash } from './content-hash.js';
import { type DesiredConnection, desiredGatewayState, retransmitSchedule } from './desired-state.js';
import { desiredConnection, strongswanId } from './desired-connection.js';
import type { VpnGateway } from './gateway.js';
import { GW, connection, gateway as fixtureGateway, ikePolicy, ipsecPolicy, member } from '../../test/domain-fixtures.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';
import { autoEspProposals, autoIkeProposals } from './proposal-builder.js';

const gateway = (o: Partial<VpnGateway> = {}): VpnGateway => fixtureGateway({ revision: 3, ...o });
const routeGateway = gateway({ mode: 'route', members: [member(2, 'active', '198.51.100.12'), member(1, 'active', '198.51.100.11')] });
const conn = (o: Partial<Connection> = {}): Connection => connection({ revision: 7, ...o });
const ike = (o: Partial<IkePolicy> = {}): IkePolicy => ikePolicy({ dhGroups: [19], ...o });
const ipsec = (o: Partial<IpsecPolicy> = {}): IpsecPolicy => ipsecPolicy({ encryption: ['aes256gcm16'], integrity: [], pfs: [20], ...o });
const desired = (c: Partial<Connection> = {}, i?: IkePolicy, e?: IpsecPolicy, g = gateway()): DesiredConnection =>
  desiredConnection(g, conn({ ikePolicyId: i?.id ?? null, ipsecPolicyId: e?.id ?? null, ...c }), i, e);

describe('strongswanId (identity table, SW §3.8)', () => {
  it.each<[IkeIdentity, string]>([
    [{ type: 'ipv4', value: '203.0.113.7' }, '203.0.113.7'],
    [{ type: 'ipv6', value: '2001:db8::1' }, '2001:db8::1'],
    [{ type: 'fqdn', value: 'vpn.example.com' }, '@vpn.example.com'],
    [{ type: 'hostname', value: 'host1' }, '@host1'],
    [{ type: 'key_id', value: Buffer.from('site-a').toString('base64') }, 'keyid:#736974652d61'],
    [{ type: 'key_id', value: 'ASOrzQ==' }, 'keyid:#0123abcd'],
  ])('%j → %s', (id, expected) => {
    expect(strongswanId(id)).toBe(expected);
  });
});

describe('desiredConnection', () => {
  it('a policy connection with auto-negotiation: the whole shape', () => {
    const d = desired();
    expect(d).toEqual({
      connectionId: 'c0000000-0000-4000-8000-000000000001',
      gatewayId: GW,
      accountId: 'acc',
      revision: 7,
      kind: 'policy',
      adminStateUp: true,
      ikePolicyId: null,
      ipsecPolicyId: null,
      autoSet: 'auto-2022-09',
      ikeVersion: 2,
      aggressive: false,
      ikeProposals: autoIkeProposals('auto-2022-09'),
      espProposals: autoEspProposals('auto-2022-09'),
      ikeLifetime: { lifetimeSeconds: 28800, rekeySeconds: 25920, overSeconds: 2880 },
      espLifetime: { lifetimeSeconds: 3600, rekeySeconds: 3240 },
      pfs: ['none'],
      psk: 'sesame-open',
      remoteAddress: '203.0.113.7',
      remoteId: '203.0.113.7',
      localTs: ['10.1.0.0/24'],
      remoteTs: ['10.2.0.0/24'],
      tunnels: [{ memberIndex: 1, localAddress: '198.51.100.10', localId: '198.51.100.10', interfaceIp: null, neighborIp: null }],
      dpd: { action: 'restart', dpdAction: 'restart', delaySeconds: 2, timeoutSeconds: 10, timeoutVia: 'retransmit' },
      establish: { mode: 'bidirectional', startAction: 'start', closeAction: 'none', keyingtries: 0 },
      resets: 0,
      hash: d.hash,
    });
    expect(d.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the policy kind uses the active member (after a failover, member 2)', () => {
    const g = gateway({ members: [member(1, 'standby', null), member(2, 'active', '198.51.100.20')] });
    expect(desired({}, undefined, undefined, g).tunnels.map((t) => [t.memberIndex, t.localAddress])).toEqual([[2, '198.51.100.20']]);
  });

  it('route kinds: one tunnel per member with a public IP, by member index, 0.0.0.0/0 selectors', () => {
    const d = desired({ kind: 'route_static', localCidrs: [], peerCidrs: [] }, undefined, undefined, routeGateway);
    expect(d.tunnels.map((t) => [t.memberIndex, t.localAddress, t.localId])).toEqual([
      [1, '198.51.100.11', '198.51.100.11'],
      [2, '198.51.100.12', '198.51.100.12'],
    ]);
    expect([d.localTs, d.remoteTs]).toEqual([['0.0.0.0/0'], ['0.0.0.0/0']]);
    const half = desired({ kind: 'route_static', localCidrs: [], peerCidrs: [] });
    expect(half.tunnels.map((t) => t.memberIndex)).toEqual([1]);
    const v6 = gateway({ mode: 'route', members: [member(1, 'active', '2001:db8::11'), member(2, 'active', '2001:db8::12')] });
    const d6 = desired({ kind: 'route_static', localCidrs: [], peerCidrs: [], peer: { address: '2001:db8:1::7' } }, undefined, undefined, v6);
    expect([d6.localTs, d6.remoteTs, d6.remoteId]).toEqual([['::/0'], ['::/0'], '2001:db8:1::7']);
  });

  it('route_bgp: local identities and tunnel addresses per member', () => {
    const d = desired(
      {
        kind: 'route_bgp',
        localCidrs: [],
        peerCidrs: [],
        peer: { address: '203.0.113.7', asn: 65010 },
        localIdentities: [
          { type: 'fqdn', value: 'm1.example.com' },
          { type: 'fqdn', value: 'm2.example.com' },
        ],
        tunnels: [
          { memberIndex: 2, interfaceIp: '169.254.0.5', neighborIp: '169.254.0.6' },
          { memberIndex: 1, interfaceIp: '169.254.0.1', neighborIp: '169.254.0.2' },
        ],
      },
      undefined,
      undefined,
      routeGateway,
    );
    expect(d.tunnels).toEqual([
      { memberIndex: 1, localAddress: '198.51.100.11', localId: '@m1.example.com', interfaceIp: '169.254.0.1', neighborIp: '169.254.0.2' },
      { memberIndex: 2, localAddress: '198.51.100.12', localId: '@m2.example.com', interfaceIp: '169.254.0.5', neighborIp: '169.254.0.6' },
    ]);
  });

  it('a policy connection pinned to member 2 of a route gateway: one tunnel, from member 2’s public IP only', () => {
    const d = desired({ pinnedMember: 2 }, undefined, undefined, routeGateway);
    expect(d.tunnels).toEqual([{ memberIndex: 2, localAddress: '198.51.100.12', localId: '198.51.100.12', interfaceIp: null, neighborIp: null }]);
    // Still a policy connection: its own selectors, not 0.0.0.0/0.
    expect([d.kind, d.localTs, d.remoteTs]).toEqual(['policy', ['10.1.0.0/24'], ['10.2.0.0/24']]);
    const unpinned = desired({}, undefined, undefined, routeGateway);
    expect(unpinned.tunnels.map((t) => t.memberIndex)).toEqual([1]);
    expect(desired({ pinnedMember: 1 }, undefined, undefined, routeGateway).tunnels.map((t) => t.localAddress)).toEqual(['198.51.100.11']);
    expect(d.hash).not.toBe(unpinned.hash);
  });

  it('a pin overrides the member roles: a route connection pinned to member 1 skips member 2; a pinned member without a public IP gives no tunnel', () => {
    const pinned = desired({ kind: 'route_static', localCidrs: [], peerCidrs: [], pinnedMember: 1 }, undefined, undefined, routeGateway);
    expect(pinned.tunnels.map((t) => [t.memberIndex, t.localAddress])).toEqual([[1, '198.51.100.11']]);
    const standby = gateway({ mode: 'route', members: [member(1, 'active', '198.51.100.11'), member(2, 'standby', '198.51.100.12')] });
    expect(desired({ pinnedMember: 2 }, undefined, undefined, standby).tunnels.map((t) => t.localAddress)).toEqual(['198.51.100.12']);
    const half = gateway({ mode: 'route', members: [member(1, 'active', '198.51.100.11'), member(2, 'active', null)] });
    expect(desired({ pinnedMember: 2 }, undefined, undefined, half).tunnels).toEqual([]);
  });

  it.each<[string, Partial<Connection>, string, string]>([
    ['address peer, derived identity', { peer: { address: '203.0.113.9' } }, '203.0.113.9', '203.0.113.9'],
    ['FQDN peer, derived identity', { peer: { fqdn: 'peer.example.com' } }, 'peer.example.com', '@peer.example.com'],
    ['explicit key_id peer identity', { peerIdentity: { type: 'key_id', value: 'ASOrzQ==' } }, '203.0.113.7', 'keyid:#0123abcd'],
    ['explicit hostname peer identity', { peer: { fqdn: 'peer.example.com' }, peerIdentity: { type: 'hostname', value: 'edge' } }, 'peer.example.com', '@edge'],
  ])('remote address and id: %s', (_n, o, address, id) => {
    const d = desired(o);
    expect([d.remoteAddress, d.remoteId]).toEqual([address, id]);
  });

  it('a local identity replaces the member IP as our id', () => {
    expect(desired({ localIdentities: [{ type: 'key_id', value: 'ASOrzQ==' }] }).tunnels[0]?.localId).toBe('keyid:#0123abcd');
  });

  it.each<[number, number, number, number, number]>([
    // IKE L, ESP L → IKE rekey, IKE over, ESP rekey
    [28800, 3600, 25920, 2880, 3240],
    [86400, 86400, 77760, 8640, 77760],
    [1800, 300, 1620, 180, 270],
    [31, 37, 28, 3, 33],
  ])('lifetimes IKE %i / ESP %i → rekey 0.9·L, over 0.1·L', (ikeL, espL, rekey, over, espRekey) => {
    const d = desired({}, ike({ lifetimeSeconds: ikeL }), ipsec({ lifetimeSeconds: espL }));
    expect(d.ikeLifetime).toEqual({ lifetimeSeconds: ikeL, rekeySeconds: rekey, overSeconds: over });
    expect(d.ikeLifetime.rekeySeconds + d.ikeLifetime.overSeconds).toBe(ikeL);
    expect(d.espLifetime).toEqual({ lifetimeSeconds: espL, rekeySeconds: espRekey });
  });

  it('policies give version, mode, proposals and PFS', () => {
    const d = desired(
      {},
      ike({ ikeVersion: 1, negotiationMode: 'aggressive', dhGroups: [14] }),
      ipsec({ encryption: ['aes128'], integrity: ['sha1'], pfs: [14] }),
    );
    expect([d.ikeVersion, d.aggressive, d.ikeProposals, d.espProposals, d.pfs]).toEqual([1, true, ['aes256-sha256-modp2048'], ['aes128-sha1-modp2048'], [14]]);
    expect(desired({}, undefined, ipsec({ pfs: ['none'] })).espProposals).toEqual(['aes256gcm16']);
  });

  it.each<[Dpd['action'], 'bidirectional' | 'peer_only', 'restart' | 'clear', number]>([
    ['restart', 'bidirectional', 'restart', 2],
    ['clear', 'bidirectional', 'clear', 2],
    ['hold', 'bidirectional', 'restart', 2],
    ['none', 'bidirectional', 'clear', 0],
    ['restart_by_peer', 'bidirectional', 'clear', 2],
    ['restart', 'peer_only', 'clear', 2],
    ['hold', 'peer_only', 'clear', 2],
  ])('DPD %s (%s) runs as dpd_action %s with delay %i', (action, establishMode, dpdAction, delay) => {
    const d = desired({ establishMode, dpd: { action, intervalSeconds: 2, timeoutSeconds: 10 } });
    expect(d.dpd).toMatchObject({ action, dpdAction, delaySeconds: delay, timeoutSeconds: delay === 0 ? 0 : 10 });
  });

  it('the DPD timeout goes to dpd_timeout in IKEv1 and to the retransmit schedule in IKEv2', () => {
    expect(desired({}, ike({ ikeVersion: 1 })).dpd.timeoutVia).toBe('dpd_timeout');
    expect(desired({}, ike({ ikeVersion: 2 })).dpd.timeoutVia).toBe('retransmit');
  });

  it.each([
    ['bidirectional', { mode: 'bidirectional', startAction: 'start', closeAction: 'none', keyingtries: 0 }],
    ['peer_only', { mode: 'peer_only', startAction: 'none', closeAction: 'none', keyingtries: 1 }],
  ] as const)('establish %s', (establishMode, expected) => {
    expect(desired({ establishMode }).establish).toEqual(expected);
  });

  it('carries the admin state', () => {
    expect(desired({ adminStateUp: false }).adminStateUp).toBe(false);
  });

  it('refuses policies that are not the ones the connection refers to', () => {
    expect(() => desiredConnection(gateway(), conn({ ikePolicyId: 'ike-1' }), undefined, undefined)).toThrow(/IKE policy/);
    expect(() => desiredConnection(gateway(), conn(), undefined, ipsec())).toThrow(/IPsec policy/);
    expect(() => desiredConnection(gateway({ id: 'other' }), conn(), undefined, undefined)).toThrow(/not on gateway/);
  });

  it('hash: stable, blind to revision, sensitive to content (PSK, proposals, admin state, policy contents)', () => {
    const base = desired();
    expect(desired().hash).toBe(base.hash);
    expect(desired({ revision: 99, name: 'renamed' }).hash).toBe(base.hash);
    for (const o of [{ psk: 'other-key' }, { adminStateUp: false }, { autoSet: 'auto-2020' as const }, { peerCidrs: ['10.3.0.0/24'] }]) {
      expect(desired(o).hash).not.toBe(base.hash);
    }
    expect(desired({}, ike()).hash).not.toBe(desired({}, ike({ revision: 2, dhGroups: [20] })).hash);
    expect(contentHash({ a: 1, b: [2, { c: 3, d: 4 }] })).toBe(contentHash({ b: [2, { d: 4, c: 3 }], a: 1 }));
  });

  it('hash: canonicalJson writes what the sorted-copy form did, so hashes an agent recorded stay valid', () => {
    // The earlier form: a copy of every object with its keys sorted, then JSON.stringify.
    const sortedCopy = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortedCopy)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortedCopy((v as Record<string, unknown>)[k])]),
            )
          : v;
    // Keys that look like array indexes are the one place a sorted copy is not sorted: JavaScript puts them first.
    const key = fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('4294967294', '4294967295', '01', '-1', '1.5'));
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(fc.property(fc.dictionary(key, value), (v) => canonicalJson(v) === JSON.stringify(sortedCopy(v))));
    const d = desired();
    expect(canonicalJson(d)).toBe(JSON.stringify(sortedCopy(d)));
    // The hash is SHA-256 of that text: undefined fields drop out, -0 is 0, keys sort at every depth.
    expect(contentHash({ b: [1, { y: undefined, x: 'é' }], a: -0 })).toBe(createHash('sha256').update('{"a":0,"b":[1,{"x":"é"}]}').digest('hex'));
  });
});

describe('desiredGatewayState', () => {
  const id = (n: number): string => `c0000000-0000-4000-8000-00000000000${n}`;

  it('keeps this gateway connections that are not being deleted, ordered by id', () => {
    const s = desiredGatewayState(gateway(), [
      { connection: conn({ id: id(3) }) },
      { connection: conn({ id: id(1), ikePolicyId: 'ike-1' }), ikePolicy: ike() },
      { connection: conn({ id: id(2), lifecycleState: 'deleting' }) },
      { connection: conn({ id: id(4), gatewayId: 'other' }) },
    ]);
    expect(s.connections.map((c) => c.connectionId)).toEqual([id(1), id(3)]);
    expect([s.gatewayId, s.revision]).toEqual([GW, 3]);
    expect(desiredGatewayState(gateway({ lifecycleState: 'deleting' }), [{ connection: conn() }]).connections).toEqual([]);
  });

  it('the IKEv2 retransmit schedule gives up after the shortest DPD timeout − interval of an admin-up IKEv2 connection', () => {
    const s = desiredGatewayState(gateway(), [
      { connection: conn({ id: id(1), dpd: { action: 'restart', intervalSeconds: 10, timeoutSeconds: 60 } }) },
      { connection: conn({ id: id(2), dpd: { action: 'clear', intervalSeconds: 10, timeoutSeconds: 30 } }) },
      { connection: conn({ id: id(3), adminStateUp: false, dpd: { action: 'restart', intervalSeconds: 1, timeoutSeconds: 6 } }) },
      { connection: conn({ id: id(4), dpd: { action: 'none', intervalSeconds: 1, timeoutSeconds: 6 } }) },
    ]);
    expect(s.retransmit).toEqual({ timeout: 3.333, base: 1, tries: 5 }); // 30 − 10 = 20 s: probe after 10 s of silence, dead 30 s after
    const tight = desiredGatewayState(gateway(), [{ connection: conn({ dpd: { action: 'restart', intervalSeconds: 5, timeoutSeconds: 5 } }) }]);
    expect(tight.retransmit).toEqual(retransmitSchedule(1));
    expect(retransmitSchedule(10)).toEqual({ timeout: 1.667, base: 1, tries: 5 });
    expect(desiredGatewayState(gateway(), [{ connection: conn({ dpd: { action: 'none', intervalSeconds: 1, timeoutSeconds: 1 } }) }]).retransmit).toBeNull();
  });

  it('asks for aggressive-mode PSK only when an admin-up IKEv1 aggressive connection exists', () => {
    const aggr = ike({ ikeVersion: 1, negotiationMode: 'aggressive' });
    const up = { connection: conn({ ikePolicyId: aggr.id }), ikePolicy: aggr };
    const down = { connection: conn({ ikePolicyId: aggr.id, adminStateUp: false }), ikePolicy: aggr };
    expect(desiredGatewayState(gateway(), [up]).aggressivePsk).toBe(true);
    expect(desiredGatewayState(gateway(), [down]).aggressivePsk).toBe(false);
  });

  it('its hash changes when a connection changes', () => {
    const a = desiredGatewayState(gateway(), [{ connection: conn() }]);
    expect(desiredGatewayState(gateway(), [{ connection: conn() }]).hash).toBe(a.hash);
    expect(desiredGatewayState(gateway(), [{ connection: conn({ psk: 'x' }) }]).hash).not.toBe(a.hash);
  });
});
