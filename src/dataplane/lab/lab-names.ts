/**
 * Names of everything the lab makes. Every namespace starts with `cw-`; interface names stay within
 * Linux's 15 characters. Ids are UUIDs; 12 hex digits keep names short and, within a lab, unique.
 */
export const LAB_PREFIX = 'cw-';
export const INTERNET_NS = 'cw-inet';
export const INTERNET_BRIDGE = 'br-inet';

const short = (id: string): string => id.replace(/-/g, '').slice(0, 12);

/** A gateway member's namespace (each member its own, with its own charon): `cw-gw-<12 hex>-<index>`. */
export const memberNs = (gatewayId: string, index: 1 | 2): string => `cw-gw-${short(gatewayId)}-${index}`;
/** The one namespace a gateway had before each member got its own (`cw-gw-<12 hex>`): retired on sight. */
export const singleGatewayNs = (gatewayId: string): string => `cw-gw-${short(gatewayId)}`;
/** Both members' namespaces of a gateway. */
export const gatewayNamespaces = (gatewayId: string): string[] => [memberNs(gatewayId, 1), memberNs(gatewayId, 2)];
export const vpcNs = (vpcId: string): string => `cw-vpc-${short(vpcId)}`;
export const siteNs = (name: string): string => `cw-site-${name}`;

/** The internet-side end of a gateway member's public leg (index 1, 2), or of a site's uplink (9). */
export const uplinkPeer = (ownerId: string, index: number): string => `u${short(ownerId).slice(0, 10)}${index}`;
/** The VPC-side end of a gateway member's private leg. */
export const privatePeer = (gatewayId: string, index: 1 | 2): string => `p${short(gatewayId)}${index}`;
/** A subnet's bridge inside a VPC namespace. */
export const subnetBridge = (subnetId: string): string => `b${short(subnetId)}`;

export const SITE_NAME = /^[a-z0-9][a-z0-9-]{0,19}$/;
