import { type Static, Type } from 'typebox';
import { invalid, invalidInput, NBool, NEmptyList, NFixedBool, NNullOnly, NStr, NUuid, OWNER_ATTRS } from './neutron-attribute-schema.js';
import { envelope, listOf, one } from './neutron-common-schema.js';

const FixedIp = Type.Object({ subnet_id: Type.String(), ip_address: Type.String() });
const Route = Type.Object({ destination: Type.String(), nexthop: Type.String() });

export const GatewayInfoSchema = Type.Object({
  network_id: Type.String(),
  enable_snat: Type.Boolean(),
  external_fixed_ips: Type.Array(FixedIp),
});

/** A router as Neutron shows it; `routes` are the extra routes (the default routing table of its VPC). */
export const RouterSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  admin_state_up: Type.Boolean(),
  status: Type.String(),
  external_gateway_info: Type.Union([GatewayInfoSchema, Type.Null()], { description: 'null: no gateway.' }),
  availability_zone_hints: Type.Array(Type.String()),
  availability_zones: Type.Array(Type.String()),
  routes: Type.Array(Route),
  tags: Type.Array(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type RouterWire = Static<typeof RouterSchema>;

/** The answer of add_router_interface / remove_router_interface. */
export const InterfaceSchema = Type.Object({
  id: Type.String({ description: 'The router.' }),
  tenant_id: Type.String(),
  project_id: Type.String(),
  subnet_id: Type.String(),
  subnet_ids: Type.Array(Type.String()),
  port_id: Type.String(),
  network_id: Type.String(),
});
export type InterfaceWire = Static<typeof InterfaceSchema>;

/** external_gateway_info as a request gives it: null or {} clears the gateway. */
const GatewayAsk = Type.Union(
  [
    Type.Object({
      network_id: Type.Optional(NUuid('network_id', 'The external network (required unless clearing): the built-in `public`.')),
      enable_snat: Type.Optional(NBool('enable_snat', 'Supported: true.')),
      external_fixed_ips: Type.Optional(
        Type.Union(
          [
            Type.Array(
              Type.Object(
                {
                  subnet_id: Type.Optional(NUuid('subnet_id', 'The public subnet.')),
                  ip_address: Type.Optional(NStr('ip_address', 'An address of the public pool (admin only).', 45)),
                },
                invalidInput('external_fixed_ips', "'{value}' is not a dictionary"),
              ),
            ),
            Type.Null(),
          ],
          invalidInput('external_fixed_ips', "'{value}' is not a list", 'At most one.'),
        ),
      ),
    }),
    Type.Null(),
  ],
  invalidInput('external_gateway_info', "'{value}' is not a dictionary", 'The gateway on the external network; null or {} = none.'),
);

/** Extra routes as a request gives them (null = none); the handler checks each entry. */
const RoutesAsk = Type.Union(
  [Type.Array(Type.Unknown()), Type.Null()],
  invalidInput('routes', "'{value}' is not a list", 'Extra routes, each {destination (IPv4 CIDR), nexthop (IPv4 address)}; null = none.'),
);

/** The body of add_extraroutes / remove_extraroutes: {"router": {"routes": [...]}}. */
export const ExtraRoutesBody = envelope('router', { routes: RoutesAsk });

/** In the order the handler checks them. */
const common = {
  admin_state_up: Type.Optional(NBool('admin_state_up', 'Default true.')),
  distributed: Type.Optional(NFixedBool('distributed', false, 'Converted as a boolean.')),
  ha: Type.Optional(NFixedBool('ha', false, 'Converted as a boolean.')),
};
const gatewayAndNames = {
  external_gateway_info: Type.Optional(GatewayAsk),
  name: Type.Optional(NStr('name', 'The name.')),
  description: Type.Optional(NStr('description', 'The description.')),
};

const RO = ['id', 'status', 'tags', 'created_at', 'updated_at', 'revision_number', 'availability_zones'];

export const RouterCreate = envelope(
  'router',
  {
    ...common,
    flavor_id: Type.Optional(NNullOnly('flavor_id', 'Flavors are not supported.')),
    availability_zone_hints: Type.Optional(NEmptyList('availability_zone_hints', Type.String(), 'Availability zones are not supported.')),
    ...gatewayAndNames,
    ...OWNER_ATTRS,
  },
  { readOnly: [...RO, 'routes'] },
);

export const RouterUpdate = envelope(
  'router',
  {
    ...common,
    routes: Type.Optional(RoutesAsk),
    ...gatewayAndNames,
  },
  { readOnly: [...RO, 'tenant_id', 'project_id', 'flavor_id', 'availability_zone_hints'] },
);

/** The bare body of add_router_interface / remove_router_interface (not wrapped). */
export const InterfaceBody = Type.Object(
  {
    subnet_id: Type.Optional(NUuid('subnet_id', 'The subnet to attach or detach.')),
    port_id: Type.Optional(NUuid('port_id', 'The interface port (remove only).')),
  },
  invalid('Bad router request: Either subnet_id or port_id must be specified.', 'Give subnet_id (add or remove) or port_id (remove).'),
);

export const RouterOne = one('router', RouterSchema);
export const RouterShown = one('router', Type.Partial(RouterSchema));
export const RouterList = listOf('routers', RouterSchema);
