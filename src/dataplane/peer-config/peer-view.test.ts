import { describe, expect, it } from 'vitest';
import { connection, gateway, ikePolicy } from '../../../test/domain-fixtures.js';
import { desiredConnection } from '../../domain/desired-connection.js';
import { ipv4Mask, parseIdentity, parseProposal, peerView, singleSuites } from './peer-view.js';

describe('the peer view', () => {
  it('reads strongSwan proposals back into the catalogue: classic, AEAD with PRF, IKEv1', () => {
    expect(parseProposal('aes128-aes256-sha256-sha384-modp2048-ecp256')).toEqual({
      encryption: ['aes128', 'aes256'],
      integrity: ['sha256', 'sha384'],
      prf: [],
      groups: [14, 19],
    });
    expect(parseProposal('aes256gcm16-prfsha384-ecp384')).toEqual({ encryption: ['aes256gcm16'], integrity: [], prf: ['sha384'], groups: [20] });
    expect(parseProposal('aes256gcm16')).toEqual({ encryption: ['aes256gcm16'], integrity: [], prf: [], groups: [] });
    expect(() => parseProposal('aes256-blake2')).toThrow(/unknown algorithm 'blake2'/);
  });

  it('identities: addresses, @fqdn and keyid:#hex', () => {
    expect([parseIdentity('198.51.100.10'), parseIdentity('@gw.example.com'), parseIdentity('keyid:#0123')]).toEqual([
      { type: 'address', value: '198.51.100.10' },
      { type: 'fqdn', value: 'gw.example.com' },
      { type: 'keyid', value: '0123' },
    ]);
  });

  it('mirrors the connection: the peer is local, the gateway member remote, selectors swapped, PFS without none', () => {
    const v = peerView(desiredConnection(gateway(), connection({ peerCidrs: ['10.2.0.0/24', '10.3.0.0/24'] }), undefined, undefined));
    expect(v.tunnels).toEqual([
      expect.objectContaining({
        shortName: 'cw-c0000000',
        localAddress: '203.0.113.7',
        remoteAddress: '198.51.100.10',
        remoteId: { type: 'address', value: '198.51.100.10' },
      }),
    ]);
    expect([v.localTs, v.remoteTs, v.pfs, v.ikeVersion]).toEqual([['10.2.0.0/24', '10.3.0.0/24'], ['10.1.0.0/24'], [], 2]);
    expect(v.pairs).toEqual([{ local: ['10.2.0.0/24', '10.3.0.0/24'], remote: ['10.1.0.0/24'] }]);
  });

  it('IKEv1: one selector pair per (local, remote), one suite per algorithm combination', () => {
    const d = desiredConnection(
      gateway(),
      connection({ peerCidrs: ['10.2.0.0/24', '10.3.0.0/24'], ikePolicyId: 'ike-1' }),
      ikePolicy({ ikeVersion: 1, encryption: ['aes128'], integrity: ['sha256'], dhGroups: [14] }),
      undefined,
    );
    const v = peerView(d);
    expect(v.pairs).toHaveLength(2);
    expect(singleSuites(v.ike)).toEqual([{ cipher: 'aes128', integrity: 'sha256', group: 14 }]);
  });

  it.each([
    ['10.1.0.0/24', false, '255.255.255.0'],
    ['10.1.0.0/24', true, '0.0.0.255'],
    ['0.0.0.0/0', false, '0.0.0.0'],
    ['192.168.1.7/32', true, '0.0.0.0'],
  ] as const)('ipv4Mask(%s, wildcard %s) → %s', (cidr, wildcard, mask) => {
    expect(ipv4Mask(cidr, wildcard).mask).toBe(mask);
  });

  it('an IPv6 selector is a 400 for the formats that need IPv4 masks', () => {
    expect(() => ipv4Mask('2001:db8::/64')).toThrow(/IPv4 selectors only/);
  });
});
