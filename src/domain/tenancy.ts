/** Accounts, resource groups and the VPC network a gateway is placed in. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly isAdmin: boolean;
  readonly createdAt: number;
}

export interface ResourceGroup {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly createdAt: number;
}

export interface Vpc {
  readonly id: string;
  readonly accountId: string;
  readonly resourceGroupId: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface Subnet {
  readonly id: string;
  readonly accountId: string;
  readonly resourceGroupId: string;
  readonly vpcId: string;
  readonly zone: string;
  readonly name: string;
  /** Immutable, canonical. */
  readonly cidr: string;
  readonly ipVersion: 4 | 6;
  readonly createdAt: number;
}

/** Who is asking. The admin may act on every account. */
export interface Actor {
  readonly accountId: string;
  readonly isAdmin: boolean;
  /** Who, in words (the user's or the account's name), for the event timeline's causes; never for tenancy. */
  readonly name?: string;
  /** The dialect the request spoke (ibm, neutron, huawei, cloudca), for the same causes. */
  readonly via?: string;
}

export const LIFECYCLE_STATES = ['pending', 'stable', 'updating', 'waiting', 'deleting', 'failed', 'suspended'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export const HEALTH_STATES = ['ok', 'degraded', 'faulted', 'inapplicable'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** A status or health reason: a code from the reason registry (status-reasons.ts) and a message. */
export interface Reason {
  readonly code: string;
  readonly message: string;
}
