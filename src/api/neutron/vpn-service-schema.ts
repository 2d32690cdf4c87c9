import { type Static, Type } from 'typebox';
import { invalid, NBool, NStr, NUuid, OWNER_ATTRS } from './neutron-attribute-schema.js';
import { envelope, listOf, one } from './neutron-common-schema.js';

const NullableId = Type.Union([Type.String(), Type.Null()]);

/** A vpnservice as Neutron shows it: a policy-mode gateway on a router. */
export const VpnServiceSchema = Type.Object({
  id: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  admin_state_up: Type.Boolean(),
  status: Type.String({ description: 'PENDING_CREATE, ACTIVE, DOWN (admin down), PENDING_UPDATE, PENDING_DELETE or ERROR.' }),
  router_id: NullableId,
  subnet_id: Type.Union([Type.String(), Type.Null()], { description: 'The legacy local subnet; null with endpoint groups.' }),
  flavor_id: NullableId,
  external_v4_ip: Type.Union([Type.String(), Type.Null()], { description: "The gateway's public address once it has one." }),
  external_v6_ip: NullableId,
});
export type VpnServiceWire = Static<typeof VpnServiceSchema>;

const names = { name: Type.Optional(NStr('name', 'The name.')) };
const editable = {
  description: Type.Optional(NStr('description', 'The description.')),
  admin_state_up: Type.Optional(NBool('admin_state_up', 'Default true.')),
};
const shown = ['id', 'status', 'external_v4_ip', 'external_v6_ip'];

/** In the order the handler checks them. */
export const VpnServiceCreate = envelope(
  'vpnservice',
  {
    ...names,
    router_id: NUuid('router_id', 'The router (required); it needs an external gateway.'),
    subnet_id: Type.Optional(NUuid('subnet_id', 'Legacy mode: the local subnet (on the router); omit to use endpoint groups.')),
    flavor_id: Type.Optional(
      Type.Union(
        [Type.String(), Type.Null()],
        invalid({ status: 404, type: 'FlavorsPluginNotLoaded', message: 'Flavors plugin not found' }, 'Flavors are not supported: null only.'),
      ),
    ),
    ...editable,
    ...OWNER_ATTRS,
  },
  { readOnly: shown },
);

export const VpnServiceUpdate = envelope(
  'vpnservice',
  { ...names, ...editable },
  {
    readOnly: [...shown, 'router_id', 'subnet_id', 'flavor_id', 'tenant_id', 'project_id'],
  },
);

export const VpnServiceOne = one('vpnservice', VpnServiceSchema);
export const VpnServiceShown = one('vpnservice', Type.Partial(VpnServiceSchema));
export const VpnServiceList = listOf('vpnservices', VpnServiceSchema);
