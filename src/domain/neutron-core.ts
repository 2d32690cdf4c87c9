import { createHash } from 'node:crypto';
import { type Cidr, addressCount, formatAddress, parseCidr } from './cidr.js';

/**
 * Neutron's core objects over Causeway's network model: a network is a VPC (same id), a subnet is a
 * subnet, a router is a Neutron-only record joining subnets (interfaces = ports) and holding an
 * external gateway address from the public pool. One built-in external network `public` (shared,
 * admin-owned) has one IPv4 subnet: the gateway public pool.
 */

/** The UUIDv5 namespace of Causeway's fixed ids (a v4 UUID chosen once). */
export const CAUSEWAY_ID_NAMESPACE = '6d1f6a52-3c1e-4f0b-9a55-2f7f3b1c8e40';

/** A name-based UUID (RFC 4122 version 5, SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The built-in external network `public` and its one subnet (the gateway public pool). */
export const PUBLIC_NETWORK_ID = uuidV5(CAUSEWAY_ID_NAMESPACE, 'neutron:network:public');
export const PUBLIC_SUBNET_ID = uuidV5(CAUSEWAY_ID_NAMESPACE, 'neutron:subnet:public');
export const PUBLIC_NETWORK_NAME = 'public';
export const PUBLIC_SUBNET_NAME = 'public-subnet';

export const ROUTER_INTERFACE_OWNER = 'network:router_interface';

export interface Router {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly description: string;
  readonly adminStateUp: boolean;
  /** The external network of the gateway (only `public`), null when no gateway is set. */
  readonly externalNetworkId: string | null;
  /** The gateway's address in the public pool, null when no gateway is set. */
  readonly externalIp: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A subnet joined to a router; the port id is the interface's id on the wire. */
export interface RouterInterface {
  readonly portId: string;
  readonly routerId: string;
  readonly subnetId: string;
  readonly createdAt: number;
}

const cidrOf = (text: string): Cidr => {
  const p = parseCidr(text);
  if (!p.ok) throw new Error(`not a CIDR: ${text}`);
  return p.cidr;
};

/** A subnet's gateway_ip: its first host (IBM and Neutron agree). */
export function gatewayIpOf(cidr: string): string {
  const c = cidrOf(cidr);
  return formatAddress(c.network + 1n, c.family);
}

/** Neutron's default allocation pool: after the gateway up to the last address before broadcast. */
export function allocationPoolOf(cidr: string): { start: string; end: string } {
  const c = cidrOf(cidr);
  const size = addressCount(c);
  return { start: formatAddress(c.network + 2n, c.family), end: formatAddress(c.network + size - 2n, c.family) };
}

/** A deterministic OpenStack-style MAC (fa:16:3e prefix) for a port id. */
export function macOf(id: string): string {
  const h = createHash('sha256').update(id).digest();
  return ['fa', '16', '3e', ...[0, 1, 2].map((i) => h[i]!.toString(16).padStart(2, '0'))].join(':');
}
