/** Quotas are configurable; IBM's published numbers are the defaults. Owned satellites do not count. */
export interface Quotas {
  readonly gatewaysPerAccount: number;
  readonly gatewaysPerZone: number;
  readonly routeGatewaysPerZonePerVpc: number;
  readonly connectionsPerGateway: number;
  readonly ikePolicies: number;
  readonly ipsecPolicies: number;
  readonly cidrsPerConnectionSide: number;
  readonly cidrsPerGateway: number;
  readonly advertisedCidrs: number;
  readonly vpcs: number;
  readonly subnetsPerVpc: number;
  /** Routing tables of a VPC, its default table included. */
  readonly routingTablesPerVpc: number;
  readonly routesPerRoutingTable: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  gatewaysPerAccount: 9,
  gatewaysPerZone: 3,
  routeGatewaysPerZonePerVpc: 1,
  connectionsPerGateway: 10,
  ikePolicies: 20,
  ipsecPolicies: 20,
  cidrsPerConnectionSide: 15,
  cidrsPerGateway: 50,
  advertisedCidrs: 10,
  vpcs: 10,
  subnetsPerVpc: 100,
  routingTablesPerVpc: 15,
  routesPerRoutingTable: 200,
};
