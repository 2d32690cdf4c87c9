import { type Static, Type } from 'typebox';
import { invalidInput, NChoice, NStr, OWNER_ATTRS } from './neutron-attribute-schema.js';
import { envelope, listOf, one } from './neutron-common-schema.js';

export const EndpointGroupSchema = Type.Object({
  id: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  type: Type.String({ description: 'subnet or cidr.' }),
  endpoints: Type.Array(Type.String(), { description: 'Subnet ids or CIDRs, in the order given.' }),
});
export type EndpointGroupWire = Static<typeof EndpointGroupSchema>;

const names = { name: Type.Optional(NStr('name', 'The name.')), description: Type.Optional(NStr('description', 'The description.')) };

/** In the order the handler checks them. */
export const EndpointGroupCreate = envelope(
  'endpoint_group',
  {
    type: NChoice('type', ['subnet', 'cidr'], 'What the endpoints are (required).'),
    endpoints: Type.Optional(
      Type.Union(
        [Type.String(), Type.Array(Type.String()), Type.Null()],
        invalidInput(
          'endpoints',
          "'{value}' is not a list of strings",
          'Subnet ids (type subnet) or CIDRs of one IP version (type cidr); a bare string is a one-item list.',
        ),
      ),
    ),
    ...OWNER_ATTRS,
    ...names,
  },
  { readOnly: ['id'] },
);

export const EndpointGroupUpdate = envelope('endpoint_group', names, { readOnly: ['id', 'type', 'endpoints', 'tenant_id', 'project_id'] });

export const EndpointGroupOne = one('endpoint_group', EndpointGroupSchema);
export const EndpointGroupShown = one('endpoint_group', Type.Partial(EndpointGroupSchema));
export const EndpointGroupList = listOf('endpoint_groups', EndpointGroupSchema);
