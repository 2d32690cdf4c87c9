import type { HealthState, LifecycleState, Reason } from './tenancy.js';

/** policy → one active/standby pair behind one public IP; route → two active members, two IPs. */
export const GATEWAY_MODES = ['policy', 'route'] as const;
export type GatewayMode = (typeof GATEWAY_MODES)[number];

/** Who turns gateways into tunnels: nobody (API only), the in-process lab agent, or standalone agents over the agent API. */
export const DATAPLANE_KINDS = ['none', 'lab', 'remote'] as const;
export type DataplaneKind = (typeof DATAPLANE_KINDS)[number];

export interface ReservedIp {
  readonly id: string;
  readonly address: string;
}

export interface GatewayMember {
  readonly index: 1 | 2;
  readonly role: 'active' | 'standby';
  /** null when the member holds no public IP (the policy-mode standby). */
  readonly publicIp: string | null;
  readonly privateIp: ReservedIp;
  readonly lifecycleState: LifecycleState;
  readonly healthState: HealthState;
  readonly healthReasons: readonly Reason[];
}

export interface VpnGateway {
  readonly id: string;
  readonly accountId: string;
  readonly resourceGroupId: string;
  readonly name: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly zone: string;
  readonly mode: GatewayMode;
  readonly members: readonly GatewayMember[];
  readonly advertisedCidrs: readonly string[];
  readonly localAsn: number;
  readonly lifecycleState: LifecycleState;
  readonly healthState: HealthState;
  readonly healthReasons: readonly Reason[];
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** How many public IPs a gateway of this mode holds. */
export function publicIpCount(mode: GatewayMode): 1 | 2 {
  return mode === 'policy' ? 1 : 2;
}

/** Private addresses a gateway reserves in its subnet (one per member). */
export const GATEWAY_PRIVATE_IPS = 2;

export const DEFAULT_LOCAL_ASN = 64520;
/** ASNs a VPN gateway or peer may not use (IBM vpn-planning). */
export function isRestrictedAsn(asn: number): boolean {
  return (
    [0, 13884, 36351, 64512, 64513, 65100, 65500].includes(asn) ||
    (asn >= 65200 && asn <= 65234) ||
    (asn >= 65402 && asn <= 65433) ||
    (asn >= 4201065000 && asn <= 4201065999)
  );
}
export const MAX_ASN = 4294967295;
