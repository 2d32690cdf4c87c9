import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POOL_RESERVED_LOW, SUBNET_RESERVED_LOW, pickAddresses } from './address-pool.js';
import { cidrContainsAddress, formatAddress, lastAddress, parseAddress, parseStrictCidr, type Cidr } from './cidr.js';

function net(text: string): Cidr {
  const c = parseStrictCidr(text);
  if (!c) throw new Error(`bad fixture ${text}`);
  return c;
}

describe('pickAddresses', () => {
  it('skips the reserved low addresses and hands out the lowest free ones first', () => {
    expect(pickAddresses(net('10.0.0.0/24'), new Set(), 2, SUBNET_RESERVED_LOW)).toEqual(['10.0.0.4', '10.0.0.5']);
    expect(pickAddresses(net('198.51.100.0/24'), new Set(), 1, POOL_RESERVED_LOW)).toEqual(['198.51.100.2']);
  });

  it('IBM subnets reserve the network address and the next three; the pool reserves two', () => {
    expect(SUBNET_RESERVED_LOW).toBe(4);
    expect(POOL_RESERVED_LOW).toBe(2);
  });

  it('skips addresses already in use', () => {
    const used = new Set(['10.0.0.4', '10.0.0.6']);
    expect(pickAddresses(net('10.0.0.0/24'), used, 2, SUBNET_RESERVED_LOW)).toEqual(['10.0.0.5', '10.0.0.7']);
  });

  it('never hands out the broadcast (last) address, and returns fewer when the range is full', () => {
    // /29: 8 addresses; .0-.3 reserved, .7 broadcast → only .4, .5, .6.
    expect(pickAddresses(net('10.0.0.0/29'), new Set(), 10, SUBNET_RESERVED_LOW)).toEqual(['10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(pickAddresses(net('10.0.0.0/29'), new Set(['10.0.0.4', '10.0.0.5', '10.0.0.6']), 1, SUBNET_RESERVED_LOW)).toEqual([]);
  });

  it('has nothing to give from ranges no larger than the reservation', () => {
    expect(pickAddresses(net('10.0.0.0/30'), new Set(), 1, SUBNET_RESERVED_LOW)).toEqual([]);
    expect(pickAddresses(net('10.0.0.0/31'), new Set(), 1, 1)).toEqual([]);
    expect(pickAddresses(net('10.0.0.1/32'), new Set(), 1, 0)).toEqual([]);
  });

  it('count 0 returns nothing', () => {
    expect(pickAddresses(net('10.0.0.0/24'), new Set(), 0, 0)).toEqual([]);
  });

  it('scans at most maxScan addresses', () => {
    const used = new Set(['10.0.0.2', '10.0.0.3']);
    expect(pickAddresses(net('10.0.0.0/24'), used, 1, 2, 2)).toEqual([]);
    expect(pickAddresses(net('10.0.0.0/24'), used, 1, 2, 3)).toEqual(['10.0.0.4']);
  });

  it('stays cheap on huge IPv6 ranges and writes canonical IPv6 text', () => {
    expect(pickAddresses(net('2001:db8::/32'), new Set(['2001:db8::2']), 2, 2)).toEqual(['2001:db8::3', '2001:db8::4']);
  });

  it('property: results are distinct, unused, inside the range, above the reservation, below broadcast, ascending', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0x0a000000, max: 0x0affffff }),
        fc.integer({ min: 22, max: 32 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 1023 }), { maxLength: 30 }),
        (base, prefix, reserved, count, usedOffsets) => {
          const hostMask = (1n << BigInt(32 - prefix)) - 1n;
          const c = net(`${formatAddress(BigInt(base) & ~hostMask, 4)}/${prefix}`);
          const used = new Set(usedOffsets.map((o) => formatAddress(c.network + BigInt(o), 4)));
          const out = pickAddresses(c, used, count, reserved);
          expect(out.length).toBeLessThanOrEqual(count);
          expect(new Set(out).size).toBe(out.length);
          let prev = -1n;
          for (const a of out) {
            const v = parseAddress(a)!.value;
            expect(used.has(a)).toBe(false);
            expect(cidrContainsAddress(c, 4, v)).toBe(true);
            expect(v - c.network).toBeGreaterThanOrEqual(BigInt(reserved));
            expect(v).toBeLessThan(lastAddress(c));
            expect(v).toBeGreaterThan(prev);
            prev = v;
          }
        },
      ),
    );
  });
});
