/**
 * VPC routes as the data plane applies them. The routing tables API (`/v1/vpcs/{id}/routing_tables`)
 * and Neutron's router `routes` write them; an agent receives, in its gateway plan, the routes whose
 * next hop is one of that gateway's connections.
 */

/** IBM's route actions: deliver (to the next hop), delegate and delegate_vpc (to the system routes), drop. */
export const ROUTE_ACTIONS = ['deliver', 'delegate', 'delegate_vpc', 'drop'] as const;
export type RouteAction = (typeof ROUTE_ACTIONS)[number];

/**
 * Whether a gateway holds its VPC's drop and delegate routes: those have no next hop to pick a gateway
 * by, so every route-mode gateway of the VPC plans them all (a policy gateway routes nothing by tables).
 */
export function holdsTypedRoutes(gw: { readonly mode: 'policy' | 'route' }): boolean {
  return gw.mode === 'route';
}

/** IBM's route priority: 0 (highest) to 4; 2 when not given. */
export const ROUTE_PRIORITY = { min: 0, max: 4, default: 2 } as const;

/** One route of a VPC routing table: delivered through a VPN connection of the planned gateway, or dropped or delegated. */
export interface PlannedRoute {
  readonly routingTableId: string;
  readonly routeId: string;
  /** An IPv4 CIDR. */
  readonly destination: string;
  readonly action: RouteAction;
  /**
   * A `deliver` route's VPN connection (one of the planned gateway's connections). A drop or delegate
   * route has none: every route gateway of the VPC plans those, whatever their next hops.
   */
  readonly nextHopConnectionId?: string;
  readonly priority: number;
  /** The route's zone: it routes the traffic of the table's subnets in that zone only. */
  readonly zone: string;
  /** The CIDRs of the subnets whose traffic the table routes (the default table: every subnet without another table). */
  readonly subnetCidrs: readonly string[];
}
