import { isUnicastEndpoint, parseAddress, parseCidr } from './cidr.js';
import { invalidField } from './errors.js';
import { ROUTE_ACTIONS, ROUTE_PRIORITY, type RouteAction } from './vpc-route.js';

/**
 * VPC routing tables and their routes (IBM's model, which Neutron's router `routes` map onto). Every
 * VPC has one default table, made with it and never deleted; a subnet is routed by the table it is
 * associated with, or by the default table when it has none. The rules are written here once; the
 * checks that need the store (the next hop's connection, the quota, the zone list) run in control.
 */

export interface RoutingTable {
  readonly id: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly createdAt: number;
}

/**
 * Where a `deliver` route sends packets: a VPN connection (of a route-mode gateway in the same VPC),
 * or an address (stored and shown; the lab data plane does not apply it). Other actions have none.
 */
export type RouteNextHop = { readonly connectionId: string } | { readonly address: string } | null;

/** Who made a route: IBM shows `origin`; only users make routes here. */
export const ROUTE_ORIGINS = ['user'] as const;
export type RouteOrigin = (typeof ROUTE_ORIGINS)[number];

export interface Route {
  readonly id: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly routingTableId: string;
  readonly name: string;
  /** Traffic from the table's subnets in this zone is subject to the route. */
  readonly zone: string;
  /** An IPv4 CIDR, canonical. */
  readonly destination: string;
  readonly action: RouteAction;
  readonly nextHop: RouteNextHop;
  readonly priority: number;
  readonly origin: RouteOrigin;
  readonly createdAt: number;
}

/** What a route is made of before the store has seen it (the next hop as asked). */
export interface RouteFields {
  readonly destination: string;
  readonly action?: RouteAction;
  readonly nextHop?: RouteNextHop;
  readonly priority?: number;
}

/** The destination as stored: a valid IPv4 CIDR, host bits clear. */
export function checkRouteDestination(text: string): string {
  const p = parseCidr(text);
  if (!p.ok || p.cidr.family !== 4) throw invalidField('destination', `'${text}' is not a valid IPv4 CIDR.`, text);
  if (p.hostBitsSet) throw invalidField('destination', `'${text}' has host bits set; did you mean '${p.cidr.text}'?`, text);
  return p.cidr.text;
}

export function checkRoutePriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < ROUTE_PRIORITY.min || priority > ROUTE_PRIORITY.max) {
    throw invalidField('priority', `A route priority is an integer from ${ROUTE_PRIORITY.min} (highest) to ${ROUTE_PRIORITY.max}.`, priority);
  }
  return priority;
}

export function checkRouteAction(action: string): RouteAction {
  if (!(ROUTE_ACTIONS as readonly string[]).includes(action)) {
    throw invalidField('action', `'${action}' is not a route action; use ${ROUTE_ACTIONS.join(', ')}.`, action);
  }
  return action as RouteAction;
}

/** `0.0.0.0`: how a route with no next hop shows (and may be sent). */
export const NO_NEXT_HOP_ADDRESS = '0.0.0.0';

/**
 * The next hop an action allows: `deliver` needs one (an IPv4 unicast address or a connection);
 * the other actions take none (absent, or 0.0.0.0 as IBM shows it).
 */
export function checkRouteNextHop(action: RouteAction, hop: RouteNextHop | undefined): RouteNextHop {
  const none = hop === undefined || hop === null || ('address' in hop && hop.address === NO_NEXT_HOP_ADDRESS);
  if (action !== 'deliver') {
    if (!none) throw invalidField('nextHop', `A route with action '${action}' has no next hop; leave next_hop out (or ${NO_NEXT_HOP_ADDRESS}).`);
    return null;
  }
  if (none) throw invalidField('nextHop', "A route with action 'deliver' needs a next hop: a VPN connection or an IPv4 address.");
  if ('address' in hop) {
    const a = parseAddress(hop.address);
    if (!a || a.family !== 4 || !isUnicastEndpoint(hop.address)) {
      throw invalidField('nextHop.address', `'${hop.address}' is not a usable IPv4 next hop address.`, hop.address);
    }
  }
  return hop;
}

/** A route's fields, checked and with IBM's defaults (action deliver, priority 2). */
export function checkRouteFields(f: RouteFields): Pick<Route, 'destination' | 'action' | 'nextHop' | 'priority'> {
  const action = checkRouteAction(f.action ?? 'deliver');
  return {
    destination: checkRouteDestination(f.destination),
    action,
    nextHop: checkRouteNextHop(action, f.nextHop),
    priority: checkRoutePriority(f.priority ?? ROUTE_PRIORITY.default),
  };
}

/** The connection a route delivers to, if any. */
export function nextHopConnection(r: Pick<Route, 'nextHop'>): string | undefined {
  return r.nextHop !== null && 'connectionId' in r.nextHop ? r.nextHop.connectionId : undefined;
}
