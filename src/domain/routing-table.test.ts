import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { checkRouteFields, checkRouteNextHop, nextHopConnection } from './routing-table.js';

const refused = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (DomainError.is(e)) return `${e.code}:${e.target?.name ?? ''}`;
    throw e;
  }
  return 'accepted';
};

describe('route rules', () => {
  it("fills IBM's defaults: deliver, priority 2; the destination is canonical", () => {
    expect(checkRouteFields({ destination: '192.168.1.0/24', nextHop: { address: '10.0.0.1' } })).toEqual({
      destination: '192.168.1.0/24',
      action: 'deliver',
      nextHop: { address: '10.0.0.1' },
      priority: 2,
    });
  });

  it('takes an IPv4 CIDR without host bits as destination', () => {
    for (const d of ['10.0.0.1/8', '10.0.0.0/33', 'fd00::/8', '10.0.0.0', '']) {
      expect(
        refused(() => checkRouteFields({ destination: d, action: 'drop' })),
        d,
      ).toBe('invalid_value:destination');
    }
    expect(checkRouteFields({ destination: '0.0.0.0/0', action: 'drop' }).destination).toBe('0.0.0.0/0');
  });

  it('gives deliver a next hop and the other actions none (0.0.0.0 counts as none)', () => {
    expect(refused(() => checkRouteNextHop('deliver', undefined))).toBe('invalid_value:nextHop');
    expect(refused(() => checkRouteNextHop('deliver', { address: '0.0.0.0' }))).toBe('invalid_value:nextHop');
    expect(refused(() => checkRouteNextHop('drop', { connectionId: 'c' }))).toBe('invalid_value:nextHop');
    expect(checkRouteNextHop('delegate', { address: '0.0.0.0' })).toBeNull();
    expect(checkRouteNextHop('delegate_vpc', undefined)).toBeNull();
    for (const a of ['224.0.0.1', '127.0.0.1', '::1', 'x', '10.0.0']) {
      expect(
        refused(() => checkRouteNextHop('deliver', { address: a })),
        a,
      ).toBe('invalid_value:nextHop.address');
    }
    expect(nextHopConnection({ nextHop: checkRouteNextHop('deliver', { connectionId: 'c1' }) })).toBe('c1');
  });

  it('takes priorities 0 to 4 and the four actions only', () => {
    expect(checkRouteFields({ destination: '10.0.0.0/8', action: 'drop', priority: 0 }).priority).toBe(0);
    expect(checkRouteFields({ destination: '10.0.0.0/8', action: 'drop', priority: 4 }).priority).toBe(4);
    for (const p of [-1, 5, 1.5])
      expect(refused(() => checkRouteFields({ destination: '10.0.0.0/8', action: 'drop', priority: p }))).toBe('invalid_value:priority');
    expect(refused(() => checkRouteFields({ destination: '10.0.0.0/8', action: 'forward' as never }))).toBe('invalid_value:action');
  });
});
