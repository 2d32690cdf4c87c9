import { type Static, Type } from 'typebox';
import { LIST_DESCRIPTION, listOf, ListQuery, one } from './neutron-common-schema.js';

const FixedIp = Type.Object({ subnet_id: Type.String(), ip_address: Type.String() });

/** A port as Neutron shows it: each router interface is one (read-only). */
export const PortSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  network_id: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  mac_address: Type.String(),
  admin_state_up: Type.Boolean(),
  status: Type.String(),
  device_id: Type.String({ description: 'The router.' }),
  device_owner: Type.String({ description: 'network:router_interface' }),
  fixed_ips: Type.Array(FixedIp),
  allowed_address_pairs: Type.Array(Type.Object({ ip_address: Type.String(), mac_address: Type.Optional(Type.String()) })),
  extra_dhcp_opts: Type.Array(Type.Object({ opt_name: Type.String(), opt_value: Type.String(), ip_version: Type.Optional(Type.Integer()) })),
  security_groups: Type.Array(Type.String()),
  description: Type.String(),
  port_security_enabled: Type.Boolean(),
  'binding:vnic_type': Type.String(),
  tags: Type.Array(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type PortWire = Static<typeof PortSchema>;

/** Ports cannot be created or changed here: any `{"port": {...}}` is refused (they are router interfaces). */
export const PortBody = Type.Object(
  {
    port: Type.Optional(Type.Object({}, { description: 'Any port attributes: refused.' })),
  },
  { description: 'Refused: ports are router interfaces (PUT /v2.0/routers/{id}/add_router_interface).' },
);

export const PortShown = one('port', Type.Partial(PortSchema));
export const PortList = listOf('ports', PortSchema);

/** `fixed_ips=subnet_id=X` / `ip_address=Y` / `ip_address_substr=Z` filters on top of the usual list keys. */
export const PortListQuery = Type.Object(
  {
    ...ListQuery.properties,
    fixed_ips: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], { description: 'subnet_id=X, ip_address=Y or ip_address_substr=Z (repeatable; all must hold).' }),
    ),
  },
  { additionalProperties: true, description: LIST_DESCRIPTION },
);
