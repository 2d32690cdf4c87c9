/**
 * The shape both runs build: two VPCs, VPC 1 with subnets 10.1.i.0/24 and VPC 2 with 10.2.i.0/24
 * (i = 0 … N-1), a gateway on subnet 0 of each, and tunnel i joining 10.1.i.0/24 ↔ 10.2.i.0/24. A VPC's
 * namespace holds the first host of each of its subnets, so tunnel i is probed by a ping from 10.1.i.1
 * to 10.2.i.1: every tunnel carries a ping of its own.
 */
export const MAX_TUNNELS = 250;

/** The pre-shared key of every tunnel: charon picks a key by identity pair, so connections toward the same peer identity must agree on it. */
export const PSK = 'bench-tunnels-secret-1';

/** A short DPD, so that peer death shows within seconds. IBM's minimum timeout is 2 s. */
export const DPD = { action: 'restart', interval: 1, timeout: 4 } as const;

/**
 * How the tunnels' IKE identities are set. `address` (the default): the API's defaults, the gateways'
 * public IPs, the same for all N connections of a gateway, so charon can tell them apart only by
 * their CHILDs: one IKE_SA between the gateways carries N CHILD_SAs. `fqdn`: each connection has an
 * identity pair of its own (t<i>.side<n>.bench.example), so each tunnel is an IKE_SA of its own.
 */
export type IdentityMode = 'fqdn' | 'address';

export function identityMode(): IdentityMode {
  const raw = process.env['BENCH_TUNNELS_IDENTITIES'] ?? 'address';
  if (raw !== 'fqdn' && raw !== 'address') throw new Error(`BENCH_TUNNELS_IDENTITIES must be fqdn or address; got '${raw}'`);
  return raw;
}

export interface TunnelSpec {
  readonly index: number;
  /** Each side's IKE identity (an FQDN) in `fqdn` mode; undefined in `address` mode. */
  readonly fqdn: readonly [string, string] | undefined;
  /** Side 1's CIDR (10.1.i.0/24) and the address its VPC holds there (10.1.i.1); side 2 likewise (10.2.i.x). */
  readonly cidr: readonly [string, string];
  readonly host: readonly [string, string];
}

export function tunnelPlan(n: number, ids: IdentityMode): TunnelSpec[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_TUNNELS) throw new Error(`N must be a whole number from 1 to ${MAX_TUNNELS}; got '${n}'`);
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    fqdn: ids === 'fqdn' ? ([`t${i}.side1.bench.example`, `t${i}.side2.bench.example`] as const) : undefined,
    cidr: [`10.1.${i}.0/24`, `10.2.${i}.0/24`] as const,
    host: [`10.1.${i}.1`, `10.2.${i}.1`] as const,
  }));
}

/** Milliseconds as seconds with two decimals. */
export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** First, median and last of per-tunnel times. */
export function spread(ms: readonly number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `first ${secs(sorted[0] ?? NaN)}, median ${secs(sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN)}, last ${secs(sorted[sorted.length - 1] ?? NaN)}`;
}

/** `the probe sent 41230 echo requests`: its size, which its CPU cost follows (ping-watch.ts). */
export function probeLine(echoes: number | undefined): string {
  return echoes === undefined ? 'the echo requests of the probe not read' : `the probe sent ${echoes} echo requests`;
}
