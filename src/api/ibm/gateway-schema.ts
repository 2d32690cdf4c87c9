import { Type } from 'typebox';
import { GATEWAY_MODES } from '../../domain/gateway.js';
import { ByIdCrnOrHref, ConnectionRefSchema, Name, ReasonSchema, ResourceGroupIdentity, ResourceGroupRef } from './ibm-common-schema.js';

export const GatewayPrototype = Type.Object(
  {
    name: Type.Optional(Name),
    mode: Type.Optional(Type.Enum([...GATEWAY_MODES], { description: 'Default route.' })),
    subnet: ByIdCrnOrHref,
    resource_group: Type.Optional(ResourceGroupIdentity),
    local_asn: Type.Optional(Type.Integer({ minimum: 0, description: 'Route mode only; default 64520.' })),
    advertised_cidrs: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const GatewayPatch = Type.Object({ name: Type.Optional(Name), local_asn: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });

const Ref = (type: string) =>
  Type.Object({ crn: Type.String(), href: Type.String(), id: Type.String(), name: Type.String(), resource_type: Type.Literal(type) });

const Member = Type.Object({
  health_reasons: Type.Array(ReasonSchema),
  health_state: Type.String(),
  lifecycle_reasons: Type.Array(ReasonSchema),
  lifecycle_state: Type.String(),
  private_ip: Type.Object({
    address: Type.String(),
    href: Type.String(),
    id: Type.String(),
    name: Type.String(),
    resource_type: Type.Literal('subnet_reserved_ip'),
  }),
  public_ip: Type.Object({ address: Type.String() }),
  role: Type.String(),
  status: Type.Optional(Type.String()),
});

export const GatewaySchema = Type.Object({
  connections: Type.Array(ConnectionRefSchema),
  created_at: Type.String(),
  crn: Type.String(),
  health_reasons: Type.Array(ReasonSchema),
  health_state: Type.String(),
  href: Type.String(),
  id: Type.String(),
  lifecycle_reasons: Type.Array(ReasonSchema),
  lifecycle_state: Type.String(),
  members: Type.Array(Member),
  mode: Type.String(),
  name: Type.String(),
  resource_group: ResourceGroupRef,
  resource_type: Type.Literal('vpn_gateway'),
  status: Type.Optional(Type.String()),
  subnet: Ref('subnet'),
  vpc: Ref('vpc'),
  local_asn: Type.Optional(Type.Integer()),
  advertised_cidrs: Type.Optional(Type.Array(Type.String())),
});
