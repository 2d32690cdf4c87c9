import { Type } from 'typebox';
import { ROUTE_ACTIONS, ROUTE_PRIORITY } from '../../domain/vpc-route.js';
import { ByIdCrnOrHref, Name } from './ibm-common-schema.js';

/** IBM's route-ingress switches: this server routes no ingress traffic, so each is false (true is refused). */
const Ingress = {
  route_direct_link_ingress: Type.Optional(Type.Boolean({ description: 'Only false is supported.' })),
  route_internet_ingress: Type.Optional(Type.Boolean({ description: 'Only false is supported.' })),
  route_transit_gateway_ingress: Type.Optional(Type.Boolean({ description: 'Only false is supported.' })),
  route_vpc_zone_ingress: Type.Optional(Type.Boolean({ description: 'Only false is supported.' })),
};
export const INGRESS_KEYS = Object.keys(Ingress) as (keyof typeof Ingress)[];

export const ZoneIdentity = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), href: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })) },
  { additionalProperties: false, description: 'A zone by name or href.' },
);

/** A next hop: an IPv4 address, or a VPN gateway connection by id or href. */
export const NextHopPrototype = Type.Object(
  {
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    href: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
  },
  { additionalProperties: false, description: 'An IP address, or a VPN gateway connection (id or href) of a route-mode gateway in this VPC.' },
);

export const RoutePrototype = Type.Object(
  {
    action: Type.Optional(Type.Enum([...ROUTE_ACTIONS], { description: 'Default deliver.' })),
    advertise: Type.Optional(Type.Boolean({ description: 'Only false is supported.' })),
    destination: Type.String({ minLength: 1, maxLength: 64, description: 'An IPv4 CIDR.' }),
    name: Type.Optional(Name),
    next_hop: Type.Optional(NextHopPrototype),
    priority: Type.Optional(
      Type.Integer({ minimum: ROUTE_PRIORITY.min, maximum: ROUTE_PRIORITY.max, description: `Default ${ROUTE_PRIORITY.default}; 0 is the highest.` }),
    ),
    zone: ZoneIdentity,
  },
  { additionalProperties: false },
);

export const RoutePatch = Type.Object(
  {
    advertise: Type.Optional(Type.Boolean({ description: 'Only false is supported.' })),
    name: Type.Optional(Name),
    next_hop: Type.Optional(NextHopPrototype),
    priority: Type.Optional(Type.Integer({ minimum: ROUTE_PRIORITY.min, maximum: ROUTE_PRIORITY.max })),
  },
  { additionalProperties: false },
);

export const RoutingTablePrototype = Type.Object(
  {
    name: Type.Optional(Name),
    routes: Type.Optional(Type.Array(RoutePrototype, { maxItems: 200 })),
    accept_routes_from: Type.Optional(Type.Array(Type.Object({ resource_type: Type.String({ maxLength: 64 }) }), { maxItems: 0 })),
    ...Ingress,
  },
  { additionalProperties: false },
);

export const RoutingTablePatch = Type.Object({ name: Type.Optional(Name), ...Ingress }, { additionalProperties: false });

export const RoutingTableIdentity = ByIdCrnOrHref;

const RouteRef = Type.Object({ href: Type.String(), id: Type.String(), name: Type.String() });
const SubnetRef = Type.Object({ crn: Type.String(), href: Type.String(), id: Type.String(), name: Type.String(), resource_type: Type.Literal('subnet') });

export const RoutingTableSchema = Type.Object({
  accept_routes_from: Type.Array(Type.Object({ resource_type: Type.String() })),
  advertise_routes_to: Type.Array(Type.String()),
  created_at: Type.String(),
  href: Type.String(),
  id: Type.String(),
  is_default: Type.Boolean(),
  lifecycle_state: Type.String(),
  name: Type.String(),
  resource_type: Type.Literal('routing_table'),
  route_direct_link_ingress: Type.Boolean(),
  route_internet_ingress: Type.Boolean(),
  route_transit_gateway_ingress: Type.Boolean(),
  route_vpc_zone_ingress: Type.Boolean(),
  routes: Type.Array(RouteRef),
  subnets: Type.Array(SubnetRef),
});

const NextHop = Type.Union([
  Type.Object({ address: Type.String() }),
  Type.Object({ href: Type.String(), id: Type.String(), name: Type.String(), resource_type: Type.Literal('vpn_gateway_connection') }),
]);

export const RouteSchema = Type.Object({
  action: Type.String(),
  advertise: Type.Boolean(),
  created_at: Type.String(),
  destination: Type.String(),
  href: Type.String(),
  id: Type.String(),
  lifecycle_state: Type.String(),
  name: Type.String(),
  next_hop: NextHop,
  origin: Type.String(),
  priority: Type.Integer(),
  zone: Type.Object({ href: Type.String(), name: Type.String() }),
});
