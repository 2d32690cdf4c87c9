import { createHash } from 'node:crypto';
import { formatAddress, parseCidr } from './cidr.js';

/**
 * Routers join subnets (interfaces) and hold an external gateway address from the public pool
 * (domain-mapping §1: only Neutron shows them). One built-in external network, `public` (shared,
 * admin-owned), has one subnet: the gateway public pool. Its ids are fixed (UUIDv5 in Causeway's namespace).
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
  /** Bumped by every update; an update is written only over the revision it read. */
  readonly revision: number;
}

/** A subnet joined to a router; the port id is the interface's id on the wire. */
export interface RouterInterface {
  readonly portId: string;
  readonly routerId: string;
  readonly subnetId: string;
  readonly createdAt: number;
}

/** A subnet's gateway address: its first host (IBM and Neutron agree). */
export function gatewayIpOf(cidr: string): string {
  const p = parseCidr(cidr);
  if (!p.ok) throw new Error(`not a CIDR: ${cidr}`);
  return formatAddress(p.cidr.network + 1n, p.cidr.family);
}
