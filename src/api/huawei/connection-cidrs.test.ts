import { describe, expect, it } from 'vitest';
import { peerCidrsOf, tunnelAddressesOf } from './connection-cidrs.js';
import { HuaweiError } from './huawei-errors.js';

const refused = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HuaweiError);
    expect((e as HuaweiError).code).toBe('VPN.0001');
    return (e as HuaweiError).message;
  }
  throw new Error('not refused');
};

describe('Huawei tunnel addresses (B5)', () => {
  it('takes two host addresses of one /30 in 169.254.0.0/16', () => {
    expect(tunnelAddressesOf('169.254.76.1/30', '169.254.76.2/30')).toEqual(['169.254.76.1/30', '169.254.76.2/30']);
    expect(tunnelAddressesOf('169.254.0.6/30', '169.254.0.5/30')).toEqual(['169.254.0.6/30', '169.254.0.5/30']);
  });

  it('refuses bad octets, other ranges, 169.254.195.x, network/broadcast, two /30s and one address twice', () => {
    expect(refused(() => tunnelAddressesOf('169.254.999.1/30', '169.254.999.2/30'))).toMatch(/tunnel_local_address .* not an IPv4 address/);
    expect(refused(() => tunnelAddressesOf('169.254.1.1/29', '169.254.1.2/30'))).toMatch(/\/30 mask/);
    expect(refused(() => tunnelAddressesOf('10.0.0.1/30', '10.0.0.2/30'))).toMatch(/not in 169\.254\.0\.0\/16/);
    expect(refused(() => tunnelAddressesOf('169.254.195.1/30', '169.254.195.2/30'))).toMatch(/169\.254\.195\.0\/24/);
    expect(refused(() => tunnelAddressesOf('169.254.1.0/30', '169.254.1.2/30'))).toMatch(/network or broadcast/);
    expect(refused(() => tunnelAddressesOf('169.254.1.1/30', '169.254.1.3/30'))).toMatch(/tunnel_peer_address .* network or broadcast/);
    expect(refused(() => tunnelAddressesOf('169.254.1.1/30', '169.254.1.5/30'))).toMatch(/same \/30/);
    expect(refused(() => tunnelAddressesOf('169.254.1.1/30', '169.254.1.1/30'))).toMatch(/must differ/);
  });
});

describe('Huawei peer subnets (B5)', () => {
  it('takes customer CIDRs, canonical, and refuses syntax errors and reserved ranges', () => {
    expect(peerCidrsOf(['192.168.0.0/24', '172.16.0.0/12'], 'peer_subnets')).toEqual(['192.168.0.0/24', '172.16.0.0/12']);
    expect(refused(() => peerCidrsOf(['foo'], 'peer_subnets'))).toMatch(/^invalid request: peer_subnets/);
    expect(refused(() => peerCidrsOf(['100.64.1.0/24'], 'peer_subnets'))).toMatch(/reserved range 100\.64\.0\.0\/10/);
    expect(refused(() => peerCidrsOf(['214.1.0.0/16'], 'policy_rules.destination'))).toMatch(/policy_rules\.destination.*214\.0\.0\.0\/8/);
    expect(refused(() => peerCidrsOf(['100.0.0.0/8'], 'peer_subnets'))).toMatch(/100\.64\.0\.0\/10/);
    expect(refused(() => peerCidrsOf(['224.0.0.0/24'], 'peer_subnets'))).toMatch(/reserved/);
  });
});
