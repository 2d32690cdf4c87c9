import { type Static, Type } from 'typebox';
import { fixed, NBool, NEmptyList, NStr, OWNER_ATTRS } from './neutron-attribute-schema.js';
import { envelope, listOf, one } from './neutron-common-schema.js';

/** A network as Neutron shows it (a Causeway VPC, or the built-in external network `public`). */
export const NetworkSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  admin_state_up: Type.Boolean(),
  mtu: Type.Integer(),
  status: Type.String(),
  subnets: Type.Array(Type.String()),
  shared: Type.Boolean(),
  availability_zone_hints: Type.Array(Type.String()),
  availability_zones: Type.Array(Type.String()),
  ipv4_address_scope: Type.Union([Type.String(), Type.Null()]),
  ipv6_address_scope: Type.Union([Type.String(), Type.Null()]),
  'router:external': Type.Boolean({ description: 'True for the built-in external network only.' }),
  description: Type.String(),
  port_security_enabled: Type.Boolean(),
  tags: Type.Array(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type NetworkWire = Static<typeof NetworkSchema>;

/** Attributes a POST or PUT may give (a PUT: all but the owner and availability_zone_hints). */
const common = {
  name: Type.Optional(NStr('name', 'The name; empty = a generated one.')),
  admin_state_up: Type.Optional(NBool('admin_state_up', 'Supported: true.')),
  shared: Type.Optional(NBool('shared', 'Supported: false.')),
  'router:external': Type.Optional(NBool('router:external', 'Supported: false (only the built-in network `public` is external).')),
  mtu: Type.Optional(Type.Union([Type.Integer(), Type.String()], fixed('mtu', [1500], 'An integer (or numeric text).'))),
  description: Type.Optional(Type.Union([Type.String(), Type.Null()], fixed('description', ['', null], 'Not stored.'))),
  port_security_enabled: Type.Optional(NBool('port_security_enabled', 'Supported: true.')),
};

const RO = ['id', 'status', 'subnets', 'tags', 'created_at', 'updated_at', 'revision_number', 'availability_zones', 'ipv4_address_scope', 'ipv6_address_scope'];

export const NetworkCreate = envelope(
  'network',
  {
    ...common,
    availability_zone_hints: Type.Optional(NEmptyList('availability_zone_hints', Type.String(), 'Availability zones are not supported.')),
    ...OWNER_ATTRS,
  },
  { readOnly: RO },
);

export const NetworkUpdate = envelope('network', common, { readOnly: [...RO, 'tenant_id', 'project_id', 'availability_zone_hints'] });

export const NetworkOne = one('network', NetworkSchema);
export const NetworkShown = one('network', Type.Partial(NetworkSchema));
export const NetworkList = listOf('networks', NetworkSchema);
