import { type Static, Type } from 'typebox';
import { fixed, invalidInput, NBool, NEmptyList, NNullOnly, NStr, NUuid, OWNER_ATTRS } from './neutron-attribute-schema.js';
import { envelope, listOf, one } from './neutron-common-schema.js';

const Pool = Type.Object({ start: Type.String(), end: Type.String() });
const HostRoute = Type.Object({ destination: Type.String(), nexthop: Type.String() });

/** A subnet as Neutron shows it (IPv4; the public pool is the external network's subnet). */
export const SubnetSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  network_id: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  cidr: Type.String(),
  ip_version: Type.Integer(),
  gateway_ip: Type.Union([Type.String(), Type.Null()]),
  allocation_pools: Type.Array(Pool),
  enable_dhcp: Type.Boolean(),
  dns_nameservers: Type.Array(Type.String()),
  host_routes: Type.Array(HostRoute),
  description: Type.String(),
  ipv6_ra_mode: Type.Union([Type.String(), Type.Null()]),
  ipv6_address_mode: Type.Union([Type.String(), Type.Null()]),
  subnetpool_id: Type.Union([Type.String(), Type.Null()]),
  service_types: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type SubnetWire = Static<typeof SubnetSchema>;

/** What a POST or PUT may give, in the order the handler checks them. */
const editable = {
  enable_dhcp: Type.Optional(NBool('enable_dhcp', 'Accepted and ignored.')),
  description: Type.Optional(Type.Union([Type.String(), Type.Null()], fixed('description', ['', null], 'Not stored.'))),
  dns_nameservers: Type.Optional(NEmptyList('dns_nameservers', Type.String(), 'DNS servers are not supported.')),
  host_routes: Type.Optional(NEmptyList('host_routes', HostRoute, 'Host routes are not supported.')),
  service_types: Type.Optional(NEmptyList('service_types', Type.String(), 'Service types are not supported.')),
  segment_id: Type.Optional(NNullOnly('segment_id', 'Segments are not supported.')),
  gateway_ip: Type.Optional(
    Type.Union(
      [Type.String(), Type.Null()],
      invalidInput('gateway_ip', "'{text}' is not a valid IP address", "The subnet's first host (the only gateway supported)."),
    ),
  ),
  allocation_pools: Type.Optional(
    Type.Union(
      [Type.Array(Pool), Type.Null()],
      invalidInput(
        'allocation_pools',
        "Invalid data format for IP pool: '{value}'",
        'From the second host to the last before broadcast (the only pool supported).',
      ),
    ),
  ),
  name: Type.Optional(NStr('name', 'The name.')),
};

const RO = ['id', 'tags', 'created_at', 'updated_at', 'revision_number'];

export const SubnetCreate = envelope(
  'subnet',
  {
    network_id: NUuid('network_id', 'The network (required).'),
    ip_version: Type.Optional(
      Type.Union(
        [Type.Integer(), Type.String(), Type.Null()],
        invalidInput('ip_version', "'{text}' is not in [4, 6]", '4 (IPv6 subnets are not supported); default 4.'),
      ),
    ),
    cidr: Type.Union([Type.String(), Type.Null()], invalidInput('cidr', "'{text}' is not a valid IP subnet", 'The IPv4 CIDR (required).')),
    ipv6_ra_mode: Type.Optional(NNullOnly('ipv6_ra_mode', 'IPv6 is not supported.')),
    ipv6_address_mode: Type.Optional(NNullOnly('ipv6_address_mode', 'IPv6 is not supported.')),
    subnetpool_id: Type.Optional(NNullOnly('subnetpool_id', 'Subnet pools are not supported.')),
    use_default_subnetpool: Type.Optional(Type.Boolean(fixed('use_default_subnetpool', [false], 'Subnet pools are not supported.'))),
    ...editable,
    ...OWNER_ATTRS,
  },
  { readOnly: [...RO, 'prefixlen'] },
);

export const SubnetUpdate = envelope('subnet', editable, {
  readOnly: [...RO, 'network_id', 'cidr', 'ip_version', 'ipv6_ra_mode', 'ipv6_address_mode', 'subnetpool_id', 'tenant_id', 'project_id'],
});

export const SubnetOne = one('subnet', SubnetSchema);
export const SubnetShown = one('subnet', Type.Partial(SubnetSchema));
export const SubnetList = listOf('subnets', SubnetSchema);
