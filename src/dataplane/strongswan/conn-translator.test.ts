import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Connection, Dpd } from '../../domain/connection.js';
import {
  CIPHERS,
  type Cipher,
  DH_GROUP_NUMBERS,
  type DhGroup,
  INTEGRITY_ALGORITHMS,
  type Integrity,
  type PfsGroup,
  isAead,
} from '../../domain/crypto-catalogue.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { desiredConnection } from '../../domain/desired-connection.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import { CID, connection as conn, gateway, ikePolicy as ike, ipsecPolicy as ipsec, member, routeGateway } from '../../../test/domain-fixtures.js';
import { type ViciSection, childName, ikeConnName, seconds, selectorPairs, sharedKeyId, translate } from './conn-translator.js';

const policyGw = gateway();
const routeGw = routeGateway();
const desired = (c: Partial<Connection> = {}, i?: IkePolicy, e?: IpsecPolicy, g = policyGw): DesiredConnection =>
  desiredConnection(g, conn({ ikePolicyId: i?.id ?? null, ipsecPolicyId: e?.id ?? null, ...c }), i, e);
const only = (d: DesiredConnection): ViciSection => {
  const conns = Object.values(translate(d).conns);
  expect(conns).toHaveLength(1);
  return conns[0]!;
};
const children = (s: ViciSection): Record<string, ViciSection> => s.children as Record<string, ViciSection>;
const firstChild = (s: ViciSection): ViciSection => Object.values(children(s))[0]!;

describe('translate: a policy IKEv2 connection', () => {
  it('gives the full load-conn body, every value a string or a list', () => {
    const t = translate(desired({}, ike({ dhGroups: [19, 20] }), ipsec({ pfs: [31] })));
    expect(t.conns).toEqual({
      [`cw-${CID}`]: {
        version: '2',
        local_addrs: ['198.51.100.10'],
        remote_addrs: ['203.0.113.7'],
        proposals: ['aes256-sha256-ecp256-ecp384'],
        dpd_delay: '2s',
        rekey_time: '25920s',
        over_time: '2880s',
        keyingtries: '0',
        mobike: 'no',
        encap: 'no',
        fragmentation: 'yes',
        unique: 'no',
        local: { auth: 'psk', id: '198.51.100.10' },
        remote: { auth: 'psk', id: '203.0.113.7' },
        children: {
          [`cw-${CID}-1`]: {
            local_ts: ['10.1.0.0/24'],
            remote_ts: ['10.2.0.0/24'],
            esp_proposals: ['aes256-sha256-curve25519'],
            rekey_time: '3240s',
            life_time: '3600s',
            start_action: 'start',
            dpd_action: 'restart',
            close_action: 'none',
            mode: 'tunnel',
          },
        },
      },
    });
    expect(t.shared).toEqual([{ id: `psk-cw-${CID}`, type: 'IKE', data: 'sesame-open', owners: ['198.51.100.10', '203.0.113.7'] }]);
    expect(t.names).toEqual({ conns: [`cw-${CID}`], children: [`cw-${CID}-1`], shared: [`psk-cw-${CID}`] });
  });

  it('IKEv2 puts every CIDR in one CHILD', () => {
    const c = firstChild(only(desired({ localCidrs: ['10.1.0.0/24', '10.1.1.0/24'], peerCidrs: ['10.2.0.0/24', '10.3.0.0/24', '10.4.0.0/24'] })));
    expect([c.local_ts, c.remote_ts]).toEqual([
      ['10.1.0.0/24', '10.1.1.0/24'],
      ['10.2.0.0/24', '10.3.0.0/24', '10.4.0.0/24'],
    ]);
  });
});

describe('translate: IKEv1', () => {
  it('one CHILD per (local, remote) CIDR pair, each with single-element selectors (SW §0.5)', () => {
    const s = only(desired({ localCidrs: ['10.1.0.0/24', '10.1.1.0/24'], peerCidrs: ['10.2.0.0/24', '10.3.0.0/24'] }, ike({ ikeVersion: 1 }), ipsec()));
    const ts = Object.entries(children(s)).map(([name, c]) => [name, c.local_ts, c.remote_ts]);
    expect(ts).toEqual([
      [`cw-${CID}-1`, ['10.1.0.0/24'], ['10.2.0.0/24']],
      [`cw-${CID}-2`, ['10.1.0.0/24'], ['10.3.0.0/24']],
      [`cw-${CID}-3`, ['10.1.1.0/24'], ['10.2.0.0/24']],
      [`cw-${CID}-4`, ['10.1.1.0/24'], ['10.3.0.0/24']],
    ]);
    expect(Object.values(children(s)).every((c) => JSON.stringify(c.esp_proposals) === JSON.stringify(['aes256-sha256']))).toBe(true);
  });

  it.each<[string, Partial<IkePolicy>, Record<string, string | undefined>]>([
    ['main mode', { ikeVersion: 1, negotiationMode: 'main' }, { version: '1', aggressive: 'no', dpd_timeout: '10s' }],
    ['aggressive mode', { ikeVersion: 1, negotiationMode: 'aggressive' }, { version: '1', aggressive: 'yes', dpd_timeout: '10s' }],
    [
      'IKEv2 (no aggressive key, no dpd_timeout)',
      { ikeVersion: 2, negotiationMode: 'aggressive' },
      { version: '2', aggressive: undefined, dpd_timeout: undefined },
    ],
  ])('version and mode: %s', (_n, o, expected) => {
    const s = only(desired({}, ike(o)));
    expect({ version: s.version, aggressive: s.aggressive, dpd_timeout: s.dpd_timeout }).toEqual(expected);
  });

  it('IKEv1 IKE proposals are the cartesian product, one algorithm of each kind', () => {
    const s = only(desired({}, ike({ ikeVersion: 1, encryption: ['aes256', 'aes128'], integrity: ['sha256'], dhGroups: [14, 19] })));
    expect(s.proposals).toEqual(['aes256-sha256-modp2048', 'aes256-sha256-ecp256', 'aes128-sha256-modp2048', 'aes128-sha256-ecp256']);
  });
});

describe('translate: crypto', () => {
  it.each<[string, Partial<IkePolicy>, Partial<IpsecPolicy>, string[], string[]]>([
    [
      'GCM: ESP without integrity, IKE AEAD with prf',
      { encryption: ['aes256gcm16'], integrity: ['sha384'], dhGroups: [20] },
      { encryption: ['aes256gcm16'], integrity: [], pfs: [20] },
      ['aes256gcm16-prfsha384-ecp384'],
      ['aes256gcm16-ecp384'],
    ],
    [
      'classic and GCM kept in separate proposals',
      { encryption: ['aes128', 'aes128gcm16'], integrity: ['sha256'], dhGroups: [31] },
      { encryption: ['aes128', 'aes128gcm16'], integrity: ['sha256'], pfs: ['none'] },
      ['aes128-sha256-curve25519', 'aes128gcm16-prfsha256-curve25519'],
      ['aes128-sha256', 'aes128gcm16'],
    ],
    [
      'DH 19/20/31 keywords, PFS repeated per entry',
      { dhGroups: [19, 20, 31] },
      { pfs: [19, 20, 31] },
      ['aes256-sha256-ecp256-ecp384-curve25519'],
      ['aes256-sha256-ecp256', 'aes256-sha256-ecp384', 'aes256-sha256-curve25519'],
    ],
    ['PFS none: no group in ESP', {}, { pfs: ['none'] }, ['aes256-sha256-modp2048'], ['aes256-sha256']],
  ])('%s', (_n, i, e, proposals, esp) => {
    const s = only(desired({}, ike(i), ipsec(e)));
    expect(s.proposals).toEqual(proposals);
    expect(firstChild(s).esp_proposals).toEqual(esp);
  });

  it.each([
    [
      'auto-2022-09',
      [
        'aes128-aes192-aes256-sha256-sha384-sha512-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521-modp1024s160-modp2048s224-modp2048s256-curve25519',
      ],
      ['aes128-aes192-aes256-sha256-sha384-sha512', 'aes128gcm16-aes192gcm16-aes256gcm16'],
    ],
    ['auto-2020', ['aes128-aes256-3des-sha1-sha256-md5-modp1024-modp1536-modp2048'], ['aes128-aes256-3des-sha1-sha256-md5']],
  ] as const)('auto-negotiation %s: IKEv2, no PFS, 28800/3600', (autoSet, proposals, esp) => {
    const s = only(desired({ autoSet }));
    expect([s.version, s.proposals, s.rekey_time, s.over_time]).toEqual(['2', proposals, '25920s', '2880s']);
    const c = firstChild(s);
    expect([c.esp_proposals, c.rekey_time, c.life_time]).toEqual([esp, '3240s', '3600s']);
  });

  it.each([
    [28800, 3600, '25920s', '2880s', '3240s', '3600s'],
    [86400, 300, '77760s', '8640s', '270s', '300s'],
    [31, 30, '28s', '3s', '27s', '30s'],
  ])('lifetimes IKE %i / ESP %i', (ikeL, espL, rekey, over, childRekey, life) => {
    const s = only(desired({}, ike({ lifetimeSeconds: ikeL }), ipsec({ lifetimeSeconds: espL })));
    expect([s.rekey_time, s.over_time, firstChild(s).rekey_time, firstChild(s).life_time]).toEqual([rekey, over, childRekey, life]);
  });
});

describe('translate: identities and peer', () => {
  it('key_id identities on both sides, in the conn and as PSK owners', () => {
    const d = desired({
      localIdentities: [{ type: 'key_id', value: 'ASOrzQ==' }],
      peerIdentity: { type: 'key_id', value: Buffer.from('site-b').toString('base64') },
    });
    const s = only(d);
    expect([s.local, s.remote]).toEqual([
      { auth: 'psk', id: 'keyid:#0123abcd' },
      { auth: 'psk', id: 'keyid:#736974652d62' },
    ]);
    expect(translate(d).shared[0]?.owners).toEqual(['keyid:#0123abcd', 'keyid:#736974652d62']);
  });

  it('a peer given by FQDN: remote_addrs holds the name, the remote id is @fqdn', () => {
    const s = only(desired({ peer: { fqdn: 'peer.example.com' } }));
    expect([s.remote_addrs, s.remote]).toEqual([['peer.example.com'], { auth: 'psk', id: '@peer.example.com' }]);
  });
});

describe('translate: DPD and establish mode', () => {
  it.each<[Dpd['action'], 'bidirectional' | 'peer_only', string, string, string]>([
    ['restart', 'bidirectional', '2s', 'restart', 'start'],
    ['clear', 'bidirectional', '2s', 'clear', 'start'],
    ['hold', 'bidirectional', '2s', 'restart', 'start'],
    ['none', 'bidirectional', '0s', 'clear', 'start'],
    ['restart_by_peer', 'bidirectional', '2s', 'clear', 'start'],
    ['restart', 'peer_only', '2s', 'clear', 'none'],
    ['hold', 'peer_only', '2s', 'clear', 'none'],
  ])('DPD %s, %s → dpd_delay %s, dpd_action %s, start_action %s', (action, establishMode, delay, dpdAction, start) => {
    const s = only(desired({ establishMode, dpd: { action, intervalSeconds: 2, timeoutSeconds: 10 } }));
    const c = firstChild(s);
    expect([s.dpd_delay, c.dpd_action, c.start_action, c.close_action]).toEqual([delay, dpdAction, start, 'none']);
    expect(s.keyingtries).toBe(establishMode === 'bidirectional' ? '0' : '1');
  });

  it('IKEv1 with DPD none sends no dpd_timeout', () => {
    expect(only(desired({ dpd: { action: 'none', intervalSeconds: 2, timeoutSeconds: 10 } }, ike({ ikeVersion: 1 }))).dpd_timeout).toBeUndefined();
  });
});

describe('translate: route kinds and admin state', () => {
  it('route kinds with two members: one IKE conn per member, its own address, CHILD and PSK', () => {
    const d = desired(
      {
        kind: 'route_static',
        localCidrs: [],
        peerCidrs: [],
        localIdentities: [
          { type: 'fqdn', value: 'a.example' },
          { type: 'fqdn', value: 'b.example' },
        ],
      },
      undefined,
      undefined,
      routeGw,
    );
    const t = translate(d);
    expect(Object.keys(t.conns)).toEqual([`cw-${CID}-t1`, `cw-${CID}-t2`]);
    expect(Object.values(t.conns).map((s) => [s.local_addrs, (s.local as ViciSection).id, Object.keys(children(s))])).toEqual([
      [['198.51.100.11'], '@a.example', [`cw-${CID}-t1-1`]],
      [['198.51.100.12'], '@b.example', [`cw-${CID}-t2-1`]],
    ]);
    expect(Object.values(t.conns).map((s) => [firstChild(s).local_ts, firstChild(s).remote_ts])).toEqual([
      [['0.0.0.0/0'], ['0.0.0.0/0']],
      [['0.0.0.0/0'], ['0.0.0.0/0']],
    ]);
    expect(t.shared.map((k) => [k.id, k.owners])).toEqual([
      [`psk-cw-${CID}-t1`, ['@a.example', '203.0.113.7']],
      [`psk-cw-${CID}-t2`, ['@b.example', '203.0.113.7']],
    ]);
  });

  it('admin down: nothing to load, the same names to unload', () => {
    const up = translate(desired());
    const down = translate(desired({ adminStateUp: false }));
    expect(down).toEqual({ conns: {}, shared: [], names: up.names });
  });

  it('a gateway member without a public IP gives no tunnel and nothing to load', () => {
    const g = { ...policyGw, members: [member(1, 'active', null), member(2, 'standby', null)] };
    expect(translate(desired({}, undefined, undefined, g))).toEqual({ conns: {}, shared: [], names: { conns: [], children: [], shared: [] } });
  });

  it('name helpers', () => {
    expect([
      ikeConnName({ connectionId: 'x', kind: 'policy' }, 1),
      ikeConnName({ connectionId: 'x', kind: 'route_bgp' }, 2),
      childName('cw-x', 3),
      sharedKeyId('cw-x'),
    ]).toEqual(['cw-x', 'cw-x-t2', 'cw-x-3', 'psk-cw-x']);
    expect(seconds(0)).toBe('0s');
    expect(() => seconds(1.5)).toThrow();
    expect(selectorPairs({ ikeVersion: 1, localTs: ['a', 'b'], remoteTs: ['c'] })).toEqual([
      { local: ['a'], remote: ['c'] },
      { local: ['b'], remote: ['c'] },
    ]);
  });
});

// ---- properties over connections built from the domain --------------------------------------

const ciphers = (v: 1 | 2): fc.Arbitrary<Cipher[]> =>
  fc.uniqueArray(fc.constantFrom<Cipher>(...CIPHERS.filter((c) => v === 2 || !isAead(c))), { minLength: 1, maxLength: 4 });
const integ = fc.uniqueArray(fc.constantFrom<Integrity>(...INTEGRITY_ALGORITHMS), { minLength: 1, maxLength: 3 });
const groups = fc.uniqueArray(fc.constantFrom<DhGroup>(...DH_GROUP_NUMBERS), { minLength: 1, maxLength: 3 });
const ikeArb = fc.constantFrom<1 | 2>(1, 2).chain((v) =>
  fc
    .record({
      encryption: ciphers(v),
      integrity: integ,
      dhGroups: groups,
      negotiationMode: fc.constantFrom<'main' | 'aggressive'>('main', 'aggressive'),
      lifetimeSeconds: fc.integer({ min: 30, max: 86400 }),
    })
    .map((o) => ike({ ...o, ikeVersion: v })),
);
const ipsecArb = fc
  .record({
    encryption: ciphers(2),
    integrity: integ,
    lifetimeSeconds: fc.integer({ min: 30, max: 86400 }),
    pfs: fc.uniqueArray(fc.constantFrom<PfsGroup>('none', ...DH_GROUP_NUMBERS), { minLength: 1, maxLength: 3 }),
  })
  .map((o) => ipsec(o));
const cidrs = (octet: number): fc.Arbitrary<string[]> =>
  fc.uniqueArray(
    fc.integer({ min: 0, max: 20 }).map((n) => `10.${octet}.${n}.0/24`),
    { minLength: 1, maxLength: 3 },
  );
const desiredArb: fc.Arbitrary<DesiredConnection> = fc
  .record({
    id: fc.uuid({ version: 4 }),
    kind: fc.constantFrom<Connection['kind']>('policy', 'route_static', 'route_bgp'),
    adminStateUp: fc.boolean(),
    establishMode: fc.constantFrom<Connection['establishMode']>('bidirectional', 'peer_only'),
    peer: fc.oneof(fc.constant({ address: '203.0.113.7' }), fc.constant({ fqdn: 'peer.example.com' })),
    localCidrs: cidrs(1),
    peerCidrs: cidrs(2),
    dpd: fc.record({
      action: fc.constantFrom<Dpd['action']>('restart', 'clear', 'hold', 'none', 'restart_by_peer'),
      intervalSeconds: fc.integer({ min: 1, max: 3600 }),
      timeoutSeconds: fc.integer({ min: 1, max: 3600 }),
    }),
    autoSet: fc.constantFrom<Connection['autoSet']>('auto-2022-09', 'auto-2020'),
    ike: fc.option(ikeArb, { nil: undefined }),
    ipsec: fc.option(ipsecArb, { nil: undefined }),
  })
  .map(({ ike: i, ipsec: e, kind, localCidrs, peerCidrs, ...c }) =>
    desired(
      { ...c, kind, localCidrs: kind === 'policy' ? localCidrs : [], peerCidrs: kind === 'policy' ? peerCidrs : [] },
      i,
      e,
      kind === 'policy' ? policyGw : routeGw,
    ),
  );

const DURATION_KEYS = new Set(['dpd_delay', 'dpd_timeout', 'rekey_time', 'over_time', 'life_time']);
function checkValues(s: ViciSection, path: string): void {
  for (const [key, v] of Object.entries(s)) {
    if (typeof v === 'string') {
      if (DURATION_KEYS.has(key)) expect(v, `${path}.${key}`).toMatch(/^(0|[1-9][0-9]*)s$/);
      if (key === 'keyingtries') expect(v).toMatch(/^(0|[1-9][0-9]*)$/);
      if (key === 'version') expect(['1', '2']).toContain(v);
    } else if (Array.isArray(v)) {
      expect(v.length).toBeGreaterThan(0);
      for (const x of v) expect(typeof x, `${path}.${key}`).toBe('string');
    } else {
      expect(typeof v === 'object' && v !== null, `${path}.${key}`).toBe(true);
      checkValues(v as ViciSection, `${path}.${key}`);
    }
  }
}

describe('translate properties', () => {
  it('every emitted value is a string or a list of strings; durations are <n>s without leading zeros', () => {
    fc.assert(
      fc.property(desiredArb, (d) => {
        for (const [name, body] of Object.entries(translate(d).conns)) checkValues(body, name);
        for (const k of translate(d).shared)
          expect([typeof k.id, typeof k.data, k.owners.every((o) => typeof o === 'string')]).toEqual(['string', 'string', true]);
      }),
    );
  });

  it('proposals never contain esn', () => {
    fc.assert(
      fc.property(desiredArb, (d) => {
        for (const body of Object.values(translate(d).conns)) {
          const esp = Object.values(children(body)).flatMap((c) => c.esp_proposals as string[]);
          for (const p of [...(body.proposals as string[]), ...esp]) expect(p.split('-')).not.toContain('esn');
        }
      }),
    );
  });

  it('names are deterministic and unique per connection and child', () => {
    fc.assert(
      fc.property(fc.uniqueArray(desiredArb, { minLength: 1, maxLength: 5, selector: (d) => d.connectionId }), (ds) => {
        const all: string[] = [];
        for (const d of ds) {
          const a = translate(d);
          expect(translate(structuredClone(d))).toEqual(a);
          expect(Object.keys(a.conns)).toEqual(d.adminStateUp ? a.names.conns : []);
          for (const body of Object.values(a.conns)) expect(Object.keys(children(body)).every((c) => a.names.children.includes(c))).toBe(true);
          expect(a.names.conns.every((n) => n.startsWith(`cw-${d.connectionId}`))).toBe(true);
          all.push(...a.names.conns, ...a.names.children);
          expect(new Set(a.names.shared).size).toBe(a.names.shared.length);
        }
        expect(new Set(all).size).toBe(all.length);
      }),
    );
  });
});
