import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_ASN, GATEWAY_PRIVATE_IPS, MAX_ASN, isRestrictedAsn, publicIpCount } from './gateway.js';

describe('isRestrictedAsn', () => {
  it.each([0, 13884, 36351, 64512, 64513, 65100, 65500])('refuses the single reserved ASN %i', (asn) => {
    expect(isRestrictedAsn(asn)).toBe(true);
  });

  it.each([
    [65200, 65234],
    [65402, 65433],
    [4201065000, 4201065999],
  ])('refuses the whole range %i-%i, inclusive', (lo, hi) => {
    expect(isRestrictedAsn(lo)).toBe(true);
    expect(isRestrictedAsn(Math.floor((lo + hi) / 2))).toBe(true);
    expect(isRestrictedAsn(hi)).toBe(true);
    expect(isRestrictedAsn(lo - 1)).toBe(false);
    expect(isRestrictedAsn(hi + 1)).toBe(false);
  });

  it.each([1, 13883, 13885, 36350, 36352, 64511, 64514, DEFAULT_LOCAL_ASN, 65000, 65099, 65101, 65499, 65501, 65535, 4200000000, MAX_ASN])(
    'accepts %i',
    (asn) => {
      expect(isRestrictedAsn(asn)).toBe(false);
    },
  );

  it('the default local ASN is usable', () => {
    expect(DEFAULT_LOCAL_ASN).toBe(64520);
    expect(isRestrictedAsn(DEFAULT_LOCAL_ASN)).toBe(false);
  });
});

describe('gateway shape', () => {
  it('a policy gateway holds one public IP, a route gateway two', () => {
    expect(publicIpCount('policy')).toBe(1);
    expect(publicIpCount('route')).toBe(2);
  });

  it('reserves one private IP per member and allows 4-byte ASNs', () => {
    expect(GATEWAY_PRIVATE_IPS).toBe(2);
    expect(MAX_ASN).toBe(2 ** 32 - 1);
  });
});
