import { createHash } from 'node:crypto';
import { type Cidr, addressCount, formatAddress, parseCidr } from '../../domain/cidr.js';

/** Neutron's wire facts about the core objects: the external network's names, port owners, pools, MACs. */

export { PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID, gatewayIpOf } from '../../domain/router.js';
export const PUBLIC_NETWORK_NAME = 'public';
export const PUBLIC_SUBNET_NAME = 'public-subnet';

export const ROUTER_INTERFACE_OWNER = 'network:router_interface';

const cidrOf = (text: string): Cidr => {
  const p = parseCidr(text);
  if (!p.ok) throw new Error(`not a CIDR: ${text}`);
  return p.cidr;
};

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
