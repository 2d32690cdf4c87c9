import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkConnection,
  checkDpd,
  checkIdentity,
  checkPeerEndpoint,
  checkPsk,
  checkSelectors,
  isFqdn,
  parseCidrList,
  type Connection,
  type Dpd,
  type IkeIdentity,
  type Tunnel,
} from './connection.js';
import { cidrsOverlap, formatAddress, parseCidr } from './cidr.js';
import { DomainError, type DomainErrorCode } from './errors.js';
import { MAX_ASN } from './gateway.js';
import { connection } from '../../test/domain-fixtures.js';

/** Runs `fn`, which must throw a DomainError, and returns that error. */
function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (DomainError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

function expectError(fn: () => unknown, code: DomainErrorCode, target?: string): DomainError {
  const e = domainError(fn);
  expect(e.code).toBe(code);
  if (target !== undefined) {
    expect(e.target?.type).toBe('field');
    expect(e.target?.name).toBe(target);
  }
  return e;
}

const DPD: Dpd = { action: 'restart', intervalSeconds: 2, timeoutSeconds: 10 };

function policyConnection(over: Partial<Connection> = {}): Connection {
  return connection({
    id: '00000000-0000-4000-8000-000000000001',
    accountId: '00000000-0000-4000-8000-0000000000aa',
    gatewayId: '00000000-0000-4000-8000-0000000000bb',
    name: 'conn-1',
    psk: 'correct-horse-battery-staple',
    peer: { address: '203.0.113.10' },
    localCidrs: ['10.0.0.0/24'],
    peerCidrs: ['192.168.0.0/24'],
    dpd: DPD,
    ...over,
  });
}

const TUNNELS: readonly Tunnel[] = [
  { memberIndex: 1, interfaceIp: '169.254.0.1', neighborIp: '169.254.0.2' },
  { memberIndex: 2, interfaceIp: '169.254.0.5', neighborIp: '169.254.0.6' },
];

function staticConnection(over: Partial<Connection> = {}): Connection {
  return policyConnection({ kind: 'route_static', localCidrs: [], peerCidrs: [], ...over });
}

function bgpConnection(over: Partial<Connection> = {}): Connection {
  return policyConnection({
    kind: 'route_bgp',
    localCidrs: [],
    peerCidrs: [],
    peer: { address: '203.0.113.10', asn: 65010 },
    tunnels: TUNNELS,
    ...over,
  });
}

describe('isFqdn', () => {
  it.each(['vpn.example.com', 'example.com.', 'a', 'xn--bcher-kva.example', '1e100.net', 'a-b.c-d.e', `${'a'.repeat(63)}.com`, 'HOST.Example.COM'])(
    'accepts %s',
    (v) => {
      expect(isFqdn(v)).toBe(true);
    },
  );

  it.each([
    ['', 'empty'],
    ['-a.com', 'label starts with a hyphen'],
    ['a-.com', 'label ends with a hyphen'],
    ['a..com', 'empty label'],
    ['.a.com', 'leading dot'],
    ['a_b.com', 'underscore'],
    ['a b.com', 'space'],
    [`${'a'.repeat(64)}.com`, 'label over 63'],
    [`${'a.'.repeat(126)}ab`, 'over 253 characters'],
    ['10.0.0.1', 'an IPv4 address'],
    ['123', 'all digits'],
    ['1.2.3.4.', 'digits and dots only'],
  ])('refuses %j (%s)', (v) => {
    expect(isFqdn(v)).toBe(false);
  });

  it('accepts exactly 253 characters', () => {
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name.length).toBe(253);
    expect(isFqdn(name)).toBe(true);
  });
});

describe('checkIdentity', () => {
  const ok: IkeIdentity[] = [
    { type: 'ipv4', value: '203.0.113.1' },
    { type: 'ipv6', value: '2001:db8::1' },
    { type: 'fqdn', value: 'vpn.example.com' },
    { type: 'hostname', value: 'gw1' },
    { type: 'key_id', value: 'c2l0ZS1h' },
    { type: 'key_id', value: 'YQ==' },
    { type: 'key_id', value: 'YWI=' },
    { type: 'key_id', value: 'A'.repeat(344) },
  ];
  it.each(ok)('accepts %j', (id) => {
    expect(() => checkIdentity(id, 'peerIdentity')).not.toThrow();
  });

  const bad: IkeIdentity[] = [
    { type: 'ipv4', value: '2001:db8::1' },
    { type: 'ipv4', value: '10.1' },
    { type: 'ipv4', value: 'vpn.example.com' },
    { type: 'ipv6', value: '203.0.113.1' },
    { type: 'ipv6', value: 'fe80::1%eth0' },
    { type: 'fqdn', value: '10.0.0.1' },
    { type: 'fqdn', value: 'bad_name.example' },
    { type: 'hostname', value: '' },
    { type: 'key_id', value: '' },
    { type: 'key_id', value: 'not base64!' },
    { type: 'key_id', value: 'YQ=' },
    { type: 'key_id', value: 'abc' },
    { type: 'key_id', value: 'A'.repeat(348) },
  ];
  it.each(bad)('refuses %j as invalid_value on the given field, echoing the value', (id) => {
    const e = expectError(() => checkIdentity(id, 'localIdentities[1]'), 'invalid_value', 'localIdentities[1]');
    expect(e.target?.value).toBe(id.value);
  });
});

describe('checkPeerEndpoint', () => {
  it('accepts exactly one of address or fqdn', () => {
    expect(() => checkPeerEndpoint({ address: '203.0.113.1' }, 'peer')).not.toThrow();
    expect(() => checkPeerEndpoint({ address: '2001:db8::1' }, 'peer')).not.toThrow();
    expect(() => checkPeerEndpoint({ fqdn: 'vpn.example.com' }, 'peer')).not.toThrow();
  });

  it('refuses both address and fqdn', () => {
    expectError(() => checkPeerEndpoint({ address: '203.0.113.1', fqdn: 'vpn.example.com' }, 'peer'), 'invalid_value', 'peer');
  });

  it('refuses neither address nor fqdn', () => {
    expectError(() => checkPeerEndpoint({}, 'peer'), 'invalid_value', 'peer');
    expectError(() => checkPeerEndpoint({ asn: 65001 }, 'peer'), 'invalid_value', 'peer');
  });

  it.each(['0.0.0.0', '127.0.0.1', '224.0.0.5', '240.0.0.1', '::1', 'ff02::1', 'vpn.example.com', '10.0.0.0/8'])(
    'refuses the non-unicast or invalid address %s at <field>.address',
    (address) => {
      const e = expectError(() => checkPeerEndpoint({ address }, 'peer'), 'invalid_value', 'peer.address');
      expect(e.target?.value).toBe(address);
    },
  );

  it.each(['bad_name', '-x.example', '203.0.113.1'])('refuses the invalid fqdn %s at <field>.fqdn', (fqdn) => {
    expectError(() => checkPeerEndpoint({ fqdn }, 'peer'), 'invalid_value', 'peer.fqdn');
  });

  it('accepts ASNs from 1 to 4294967295', () => {
    expect(MAX_ASN).toBe(4294967295);
    expect(() => checkPeerEndpoint({ address: '203.0.113.1', asn: 1 }, 'peer')).not.toThrow();
    expect(() => checkPeerEndpoint({ address: '203.0.113.1', asn: 65010 }, 'peer')).not.toThrow();
    expect(() => checkPeerEndpoint({ address: '203.0.113.1', asn: MAX_ASN }, 'peer')).not.toThrow();
  });

  it.each([0, -1, MAX_ASN + 1, 65001.5, Number.NaN])('refuses the ASN %s at <field>.asn', (asn) => {
    expectError(() => checkPeerEndpoint({ address: '203.0.113.1', asn }, 'remote'), 'invalid_value', 'remote.asn');
  });
});

describe('parseCidrList', () => {
  it('returns the parsed CIDRs in order', () => {
    expect(parseCidrList(['10.0.0.0/24', '2001:db8::/32'], 'localCidrs').map((c) => c.text)).toEqual(['10.0.0.0/24', '2001:db8::/32']);
    expect(parseCidrList([], 'localCidrs')).toEqual([]);
  });

  it('refuses bad syntax, naming the field and the value', () => {
    const e = expectError(() => parseCidrList(['10.0.0.0/24', '10.0.0.0'], 'peerCidrs'), 'invalid_value', 'peerCidrs');
    expect(e.target?.value).toBe('10.0.0.0');
    expect(e.message).toMatch(/not a valid CIDR/);
  });

  it('refuses host bits and suggests the canonical form', () => {
    const e = expectError(() => parseCidrList(['10.0.0.1/24'], 'localCidrs'), 'invalid_value', 'localCidrs');
    expect(e.message).toContain("'10.0.0.0/24'");
  });

  it('refuses duplicates, including different spellings of one CIDR', () => {
    expectError(() => parseCidrList(['10.0.0.0/24', '10.0.0.0/24'], 'localCidrs'), 'invalid_value', 'localCidrs');
    const e = expectError(() => parseCidrList(['2001:db8::/32', '2001:DB8:0::/32'], 'peerCidrs'), 'invalid_value', 'peerCidrs');
    expect(e.target?.value).toBe('2001:DB8:0::/32');
  });
});

describe('checkSelectors', () => {
  it('accepts disjoint local and peer CIDRs of one family', () => {
    expect(() => checkSelectors(['10.0.0.0/24', '10.0.1.0/24'], ['192.168.0.0/24', '172.16.0.0/12'])).not.toThrow();
    expect(() => checkSelectors(['2001:db8:1::/48'], ['2001:db8:2::/48'])).not.toThrow();
  });

  it('validates each side under its own field name', () => {
    expectError(() => checkSelectors(['10.0.0.1/24'], ['192.168.0.0/24']), 'invalid_value', 'localCidrs');
    expectError(() => checkSelectors(['10.0.0.0/24'], ['192.168.0.0/24', '192.168.0.0/24']), 'invalid_value', 'peerCidrs');
  });

  it('refuses a mix of address families', () => {
    expectError(() => checkSelectors(['10.0.0.0/24'], ['2001:db8::/32']), 'invalid_value', 'cidrs');
    expectError(() => checkSelectors(['10.0.0.0/24', '2001:db8::/32'], ['192.168.0.0/24']), 'invalid_value', 'cidrs');
  });

  it('refuses a local CIDR that overlaps a peer CIDR (cidr_overlap on peerCidrs, with the peer CIDR as value)', () => {
    const e = expectError(() => checkSelectors(['10.0.0.0/16'], ['192.168.0.0/24', '10.0.5.0/24']), 'cidr_overlap', 'peerCidrs');
    expect(e.target?.value).toBe('10.0.5.0/24');
    expect(e.kind).toBe('invalid');
  });

  it('refuses equal local and peer CIDRs', () => {
    expectError(() => checkSelectors(['10.0.0.0/24'], ['10.0.0.0/24']), 'cidr_overlap', 'peerCidrs');
  });

  it('refuses peer CIDRs that overlap each other', () => {
    const e = expectError(() => checkSelectors(['10.0.0.0/24'], ['192.168.0.0/16', '192.168.7.0/24']), 'cidr_overlap', 'peerCidrs');
    expect(e.target?.value).toBe('192.168.7.0/24');
  });

  it('checks only peer ranges against each other: overlapping local ranges are not an error here', () => {
    expect(() => checkSelectors(['10.0.0.0/16', '10.0.1.0/24'], ['192.168.0.0/24'])).not.toThrow();
  });

  it('property: one local and one peer CIDR are refused exactly when they overlap', () => {
    const canonical = fc.tuple(fc.integer({ min: 0x0a000000, max: 0x0a00ffff }), fc.integer({ min: 8, max: 32 })).map(([v, p]) => {
      const r = parseCidr(`${formatAddress(BigInt(v), 4)}/${p}`);
      if (!r.ok) throw new Error('unreachable');
      return r.cidr;
    });
    fc.assert(
      fc.property(canonical, canonical, (local, peer) => {
        if (cidrsOverlap(local, peer)) expectError(() => checkSelectors([local.text], [peer.text]), 'cidr_overlap', 'peerCidrs');
        else expect(() => checkSelectors([local.text], [peer.text])).not.toThrow();
      }),
    );
  });
});

describe('checkDpd', () => {
  it('accepts positive whole seconds', () => {
    expect(() => checkDpd({ action: 'restart', intervalSeconds: 1, timeoutSeconds: 1 })).not.toThrow();
    expect(() => checkDpd({ action: 'clear', intervalSeconds: 30, timeoutSeconds: 120 })).not.toThrow();
  });

  it('skips the numbers when the action is none', () => {
    expect(() => checkDpd({ action: 'none', intervalSeconds: 0, timeoutSeconds: 0 })).not.toThrow();
  });

  it('does not order interval and timeout (that is a dialect rule)', () => {
    expect(() => checkDpd({ action: 'hold', intervalSeconds: 60, timeoutSeconds: 10 })).not.toThrow();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the interval %s at dpd.intervalSeconds', (intervalSeconds) => {
    expectError(() => checkDpd({ action: 'restart', intervalSeconds, timeoutSeconds: 10 }), 'invalid_value', 'dpd.intervalSeconds');
  });

  it.each([0, -5, 2.5, Number.POSITIVE_INFINITY])('refuses the timeout %s at dpd.timeoutSeconds', (timeoutSeconds) => {
    expectError(() => checkDpd({ action: 'restart_by_peer', intervalSeconds: 2, timeoutSeconds }), 'invalid_value', 'dpd.timeoutSeconds');
  });
});

describe('checkPsk', () => {
  it('accepts 1 to 255 bytes of any text without NUL', () => {
    expect(() => checkPsk('x')).not.toThrow();
    expect(() => checkPsk('a'.repeat(255))).not.toThrow();
    expect(() => checkPsk('0xdeadbeef with spaces; and ünïcödé')).not.toThrow();
    expect(() => checkPsk('€'.repeat(85))).not.toThrow(); // 255 bytes
  });

  it.each([
    ['', 'empty'],
    ['a'.repeat(256), '256 bytes'],
    ['€'.repeat(86), '86 characters but 258 bytes'],
    ['abc\0def', 'NUL inside'],
  ])('refuses %j (%s) at psk without echoing the secret', (psk) => {
    const e = expectError(() => checkPsk(psk), 'invalid_value', 'psk');
    expect(e.target?.value).toBeUndefined();
  });
});

describe('checkConnection: common parts', () => {
  it('accepts a valid policy connection', () => {
    expect(() => checkConnection(policyConnection())).not.toThrow();
  });

  it('checks the PSK', () => {
    expectError(() => checkConnection(policyConnection({ psk: '' })), 'invalid_value', 'psk');
  });

  it('checks the peer endpoint under "peer"', () => {
    expectError(() => checkConnection(policyConnection({ peer: {} })), 'invalid_value', 'peer');
    expectError(() => checkConnection(policyConnection({ peer: { address: '127.0.0.1' } })), 'invalid_value', 'peer.address');
  });

  it('checks DPD', () => {
    expectError(
      () => checkConnection(policyConnection({ dpd: { action: 'restart', intervalSeconds: 0, timeoutSeconds: 10 } })),
      'invalid_value',
      'dpd.intervalSeconds',
    );
  });

  it('checks each local identity and the peer identity', () => {
    expect(() =>
      checkConnection(
        policyConnection({ localIdentities: [{ type: 'fqdn', value: 'left.example.com' }], peerIdentity: { type: 'ipv4', value: '203.0.113.10' } }),
      ),
    ).not.toThrow();
    expectError(() => checkConnection(policyConnection({ localIdentities: [{ type: 'ipv4', value: 'nope' }] })), 'invalid_value', 'localIdentities[0]');
    expectError(() => checkConnection(policyConnection({ peerIdentity: { type: 'ipv6', value: '10.0.0.1' } })), 'invalid_value', 'peerIdentity');
  });
});

describe('checkConnection: policy kind', () => {
  it('needs at least one local CIDR', () => {
    expectError(() => checkConnection(policyConnection({ localCidrs: [] })), 'invalid_value', 'localCidrs');
  });

  it('needs at least one peer CIDR', () => {
    expectError(() => checkConnection(policyConnection({ peerCidrs: [] })), 'invalid_value', 'peerCidrs');
  });

  it('checks the selectors', () => {
    expectError(() => checkConnection(policyConnection({ peerCidrs: ['10.0.0.128/25'] })), 'cidr_overlap', 'peerCidrs');
    expectError(() => checkConnection(policyConnection({ peerCidrs: ['2001:db8::/32'] })), 'invalid_value', 'cidrs');
  });

  it('refuses distributeTraffic (route kinds only)', () => {
    expectError(() => checkConnection(policyConnection({ distributeTraffic: true })), 'mode_mismatch', 'distributeTraffic');
  });

  it('takes at most one local identity', () => {
    expect(() => checkConnection(policyConnection({ localIdentities: [{ type: 'hostname', value: 'a' }] }))).not.toThrow();
    expectError(
      () =>
        checkConnection(
          policyConnection({
            localIdentities: [
              { type: 'hostname', value: 'a' },
              { type: 'hostname', value: 'b' },
            ],
          }),
        ),
      'invalid_value',
      'localIdentities',
    );
  });

  it('refuses tunnels and a peer ASN (BGP only)', () => {
    expectError(() => checkConnection(policyConnection({ tunnels: TUNNELS })), 'mode_mismatch', 'tunnels');
    expectError(() => checkConnection(policyConnection({ peer: { address: '203.0.113.10', asn: 65010 } })), 'mode_mismatch', 'peer.asn');
  });
});

describe('checkConnection: route_static kind', () => {
  it('accepts a connection without CIDRs, with or without distributeTraffic', () => {
    expect(() => checkConnection(staticConnection())).not.toThrow();
    expect(() => checkConnection(staticConnection({ distributeTraffic: true }))).not.toThrow();
  });

  it('refuses local or peer CIDRs (traffic follows routes)', () => {
    expectError(() => checkConnection(staticConnection({ localCidrs: ['10.0.0.0/24'] })), 'mode_mismatch', 'cidrs');
    expectError(() => checkConnection(staticConnection({ peerCidrs: ['192.168.0.0/24'] })), 'mode_mismatch', 'cidrs');
  });

  it('takes no local identities or exactly two', () => {
    const two: IkeIdentity[] = [
      { type: 'fqdn', value: 'm1.example.com' },
      { type: 'fqdn', value: 'm2.example.com' },
    ];
    expect(() => checkConnection(staticConnection({ localIdentities: two }))).not.toThrow();
    expectError(() => checkConnection(staticConnection({ localIdentities: [two[0]!] })), 'invalid_value', 'localIdentities');
    expectError(() => checkConnection(staticConnection({ localIdentities: [...two, two[0]!] })), 'invalid_value', 'localIdentities');
  });

  it('refuses tunnels and a peer ASN (BGP only)', () => {
    expectError(() => checkConnection(staticConnection({ tunnels: TUNNELS })), 'mode_mismatch', 'tunnels');
    expectError(() => checkConnection(staticConnection({ peer: { address: '203.0.113.10', asn: 65010 } })), 'mode_mismatch', 'peer.asn');
  });
});

describe('checkConnection: route_bgp kind', () => {
  it('accepts two tunnels on two /30s and a peer ASN', () => {
    expect(() => checkConnection(bgpConnection())).not.toThrow();
    expect(() => checkConnection(bgpConnection({ peer: { fqdn: 'peer.example.com', asn: 4200000000 } }))).not.toThrow();
  });

  it('refuses tunnels without both addresses (IBM requires neighbor_ip and tunnel_interface_ip)', () => {
    const open: Tunnel[] = [
      { memberIndex: 1, interfaceIp: null, neighborIp: null },
      { memberIndex: 2, interfaceIp: '169.254.0.6', neighborIp: null },
    ];
    expect(() => checkConnection(bgpConnection({ tunnels: open }))).toThrow(/both a tunnel interface IP and a neighbor IP/);
  });

  it('needs the peer ASN', () => {
    expectError(() => checkConnection(bgpConnection({ peer: { address: '203.0.113.10' } })), 'invalid_value', 'peer.asn');
  });

  it('refuses CIDRs like every route kind', () => {
    expectError(() => checkConnection(bgpConnection({ localCidrs: ['10.0.0.0/24'] })), 'mode_mismatch', 'cidrs');
  });

  it.each([0, 1, 3])('needs exactly two tunnels, not %i', (n) => {
    const tunnels = [TUNNELS[0]!, TUNNELS[1]!, { memberIndex: 1 as const, interfaceIp: '169.254.0.9', neighborIp: '169.254.0.10' }].slice(0, n);
    expectError(() => checkConnection(bgpConnection({ tunnels })), 'invalid_value', 'tunnels');
  });

  it.each([
    ['169.254.0.1', '169.254.0.2', 'the two usable hosts, ascending'],
    ['169.254.0.2', '169.254.0.1', 'the two usable hosts, descending'],
    ['10.255.255.253', '10.255.255.254', 'the last /30 of a /8'],
  ])('accepts the tunnel pair %s / %s (%s)', (interfaceIp, neighborIp) => {
    const tunnels: Tunnel[] = [{ memberIndex: 1, interfaceIp, neighborIp }, TUNNELS[1]!];
    expect(() => checkConnection(bgpConnection({ tunnels }))).not.toThrow();
  });

  it.each([
    ['169.254.0.0', '169.254.0.1', 'the interface is the /30 network address'],
    ['169.254.0.3', '169.254.0.2', 'the interface is the /30 broadcast address'],
    ['169.254.0.1', '169.254.0.3', 'the neighbor is the /30 broadcast address'],
    ['169.254.0.2', '169.254.0.0', 'the neighbor is the /30 network address'],
    ['169.254.0.1', '169.254.0.1', 'the same address twice'],
    ['169.254.0.2', '169.254.0.5', 'neighbor in the next /30'],
    ['169.254.0.1', '169.254.1.2', 'neighbor far away'],
    ['fd00::1', 'fd00::2', 'IPv6 addresses'],
    ['169.254.0.1', 'peer.example.com', 'not an address'],
  ])('refuses the tunnel pair %s / %s (%s) at tunnels[i]', (interfaceIp, neighborIp) => {
    const tunnels: Tunnel[] = [TUNNELS[0]!, { memberIndex: 2, interfaceIp, neighborIp }];
    expectError(() => checkConnection(bgpConnection({ tunnels })), 'invalid_value', 'tunnels[1]');
  });

  it('refuses two tunnels in the same /30', () => {
    const tunnels: Tunnel[] = [
      { memberIndex: 1, interfaceIp: '169.254.0.1', neighborIp: '169.254.0.2' },
      { memberIndex: 2, interfaceIp: '169.254.0.2', neighborIp: '169.254.0.1' },
    ];
    expectError(() => checkConnection(bgpConnection({ tunnels })), 'invalid_value', 'tunnels');
  });

  it('takes no local identities or exactly two', () => {
    expectError(() => checkConnection(bgpConnection({ localIdentities: [{ type: 'hostname', value: 'a' }] })), 'invalid_value', 'localIdentities');
  });

  it('property: a pair is accepted exactly when it is the two usable hosts of one /30', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), (x, y) => {
        const tunnels: Tunnel[] = [
          { memberIndex: 1, interfaceIp: `169.254.10.${x}`, neighborIp: `169.254.10.${y}` },
          { memberIndex: 2, interfaceIp: '169.254.20.1', neighborIp: '169.254.20.2' },
        ];
        const sameQuad = x >> 2 === y >> 2;
        const usable = (n: number): boolean => n % 4 === 1 || n % 4 === 2;
        const valid = sameQuad && usable(x) && usable(y) && x !== y;
        if (valid) expect(() => checkConnection(bgpConnection({ tunnels }))).not.toThrow();
        else expectError(() => checkConnection(bgpConnection({ tunnels })), 'invalid_value', 'tunnels[0]');
      }),
    );
  });
});
