/** Kinds of endpoint a group holds; a connection can use subnet groups (local side) and cidr groups (peer side). */
export const ENDPOINT_GROUP_TYPES = ['subnet', 'cidr', 'network', 'router', 'vlan'] as const;
export type EndpointGroupType = (typeof ENDPOINT_GROUP_TYPES)[number];

/** A named set of endpoints (domain-mapping §4): subnet ids or CIDRs, in the order sent. */
export interface EndpointGroup {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly description: string;
  readonly type: EndpointGroupType;
  readonly endpoints: readonly string[];
  readonly createdAt: number;
}
