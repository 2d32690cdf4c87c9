import { type Cidr, addressCount, formatAddress } from './cidr.js';

/**
 * Picks `count` free addresses from `cidr`, lowest first, skipping the first `reservedLow` addresses
 * (the network address counts as one) and the last address (broadcast). Returns fewer when full.
 * Scans at most `maxScan` addresses so huge pools stay cheap.
 */
export function pickAddresses(cidr: Cidr, used: ReadonlySet<string>, count: number, reservedLow: number, maxScan = 1 << 20): string[] {
  const out: string[] = [];
  const size = addressCount(cidr);
  const end = size - 1n; // the broadcast address is never handed out
  const limit = BigInt(reservedLow) + BigInt(maxScan);
  for (let i = BigInt(reservedLow); i < end && i < limit && out.length < count; i++) {
    const a = formatAddress(cidr.network + i, cidr.family);
    if (!used.has(a)) out.push(a);
  }
  return out;
}

/** IBM reserves the network address and the next three in every subnet. */
export const SUBNET_RESERVED_LOW = 4;
/** The public pool's network address and first host (the lab internet's own address) are never handed out. */
export const POOL_RESERVED_LOW = 2;
