import ipaddr from 'ipaddr.js';

/** An IP prefix held as a big integer range, so that IPv4 and IPv6 share one piece of set logic. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
  /** Canonical text: network address and prefix length, host bits cleared. */
  readonly text: string;
}

export type CidrParse = { readonly ok: true; readonly cidr: Cidr; readonly hostBitsSet: boolean } | { readonly ok: false; readonly reason: string };

const bits = (family: 4 | 6): number => (family === 4 ? 32 : 128);

function toBig(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function fromBig(v: bigint, family: 4 | 6): string {
  const n = family === 4 ? 4 : 16;
  const bytes: number[] = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

function mask(family: 4 | 6, prefix: number): bigint {
  const total = bits(family);
  return ((1n << BigInt(total)) - 1n) ^ ((1n << BigInt(total - prefix)) - 1n);
}

/** Parses strict dotted-quad IPv4 or RFC 5952-acceptable IPv6 addresses; no shorthand like `10.1`. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (typeof text !== 'string' || text.length > 45) return undefined;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { family: 4, value: toBig(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text) && !text.includes('%')) {
    return { family: 6, value: toBig(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  return undefined;
}

export function formatAddress(value: bigint, family: 4 | 6): string {
  return fromBig(value, family);
}

export function parseCidr(text: string): CidrParse {
  if (typeof text !== 'string') return { ok: false, reason: 'is not a string' };
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'has no prefix length (expected address/length)' };
  const addr = parseAddress(text.slice(0, slash));
  if (!addr) return { ok: false, reason: 'has an invalid address part' };
  const lenText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return { ok: false, reason: 'has an invalid prefix length' };
  const prefix = Number(lenText);
  if (prefix > bits(addr.family)) return { ok: false, reason: `has a prefix length over ${bits(addr.family)}` };
  const network = addr.value & mask(addr.family, prefix);
  return {
    ok: true,
    hostBitsSet: network !== addr.value,
    cidr: { family: addr.family, network, prefix, text: `${fromBig(network, addr.family)}/${prefix}` },
  };
}

/** Parses and requires the canonical form (no host bits). Returns undefined for anything else. */
export function parseStrictCidr(text: string): Cidr | undefined {
  const r = parseCidr(text);
  return r.ok && !r.hostBitsSet ? r.cidr : undefined;
}

export function lastAddress(c: Cidr): bigint {
  return c.network | ((1n << BigInt(bits(c.family) - c.prefix)) - 1n);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && (inner.network & mask(outer.family, outer.prefix)) === outer.network;
}

export function cidrContainsAddress(c: Cidr, family: 4 | 6, value: bigint): boolean {
  return c.family === family && (value & mask(c.family, c.prefix)) === c.network;
}

/** The first pair (a from `left`, b from `right`) that overlaps, if any. */
export function firstOverlap(left: readonly Cidr[], right: readonly Cidr[]): [Cidr, Cidr] | undefined {
  for (const a of left) for (const b of right) if (cidrsOverlap(a, b)) return [a, b];
  return undefined;
}

/** The first pair of distinct members of one list that overlap, if any. */
export function firstSelfOverlap(list: readonly Cidr[]): [Cidr, Cidr] | undefined {
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) if (cidrsOverlap(list[i]!, list[j]!)) return [list[i]!, list[j]!];
  }
  return undefined;
}

export function addressCount(c: Cidr): bigint {
  return 1n << BigInt(bits(c.family) - c.prefix);
}

/** A unicast address usable as a tunnel endpoint: not unspecified (0/8), loopback, multicast or class E. */
export function isUnicastEndpoint(text: string): boolean {
  const a = parseAddress(text);
  if (!a) return false;
  const v4ok = (v: bigint): boolean => {
    const first = Number(v >> 24n);
    return first !== 0 && first !== 127 && first < 224;
  };
  if (a.family === 4) return v4ok(a.value);
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) follows the IPv4 rules.
  if (a.value >> 32n === 0xffffn) return v4ok(a.value & 0xffffffffn);
  return a.value !== 0n && a.value !== 1n && a.value >> 120n !== 0xffn;
}
