import { type Static, Type } from 'typebox';
import { Cidr, Name, PageInfo, Tags, Uuid } from './huawei-common-schema.js';
import { FLAVORS, HA_MODES, MAX_SUBNETS } from './huawei-rules.js';

const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));

/** `eip1`/`eip2` on create: an existing EIP by id, or a new one's bandwidth (the address comes from the pool either way). */
const EipIn = Type.Object({
  id: Type.Optional(Uuid),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  charge_mode: Type.Optional(lit(['bandwidth', 'traffic'] as const)),
  bandwidth_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  bandwidth_name: Type.Optional(Type.String({ maxLength: 64 })),
  bandwidth_id: Type.Optional(Uuid),
});

export const GatewayCreate = Type.Object({
  vpn_gateway: Type.Object({
    name: Type.Optional(Name),
    network_type: Type.Optional(lit(['public', 'private'] as const)),
    attachment_type: Type.Optional(lit(['vpc', 'er'] as const)),
    ip_version: Type.Optional(lit(['ipv4', 'ipv6'] as const)),
    vpc_id: Type.Optional(Uuid),
    er_id: Type.Optional(Uuid),
    local_subnets: Type.Optional(Type.Array(Cidr, { maxItems: MAX_SUBNETS })),
    connect_subnet: Type.Optional(Uuid),
    bgp_asn: Type.Optional(Type.Integer({ minimum: 1, maximum: 4294967295 })),
    flavor: Type.Optional(lit(FLAVORS)),
    availability_zone_ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 2 })),
    enterprise_project_id: Type.Optional(Type.String({ maxLength: 64 })),
    eip1: Type.Optional(EipIn),
    eip2: Type.Optional(EipIn),
    ha_mode: Type.Optional(lit(HA_MODES)),
    tags: Type.Optional(Tags),
    access_vpc_id: Type.Optional(Uuid),
    access_subnet_id: Type.Optional(Uuid),
    access_private_ip_1: Type.Optional(Type.String({ maxLength: 64 })),
    access_private_ip_2: Type.Optional(Type.String({ maxLength: 64 })),
  }),
});

export const GatewayUpdate = Type.Object({
  vpn_gateway: Type.Object({
    name: Type.Optional(Name),
    local_subnets: Type.Optional(Type.Array(Cidr, { minItems: 1, maxItems: MAX_SUBNETS })),
    eip_id_1: Type.Optional(Uuid),
    eip_id_2: Type.Optional(Uuid),
  }),
});

const EipOut = Type.Object({
  id: Type.String(),
  ip_version: Type.Integer(),
  type: Type.String(),
  ip_address: Type.String(),
  charge_mode: Type.String(),
  bandwidth_size: Type.Integer(),
  bandwidth_name: Type.String(),
  share_type: Type.String(),
});

export const GatewayWire = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Optional(Type.String()),
  network_type: Type.String(),
  attachment_type: Type.String(),
  ip_version: Type.String(),
  vpc_id: Type.String(),
  local_subnets: Type.Array(Type.String()),
  connect_subnet: Type.String(),
  bgp_asn: Type.Integer(),
  flavor: Type.String(),
  availability_zone_ids: Type.Array(Type.String()),
  connection_number: Type.Optional(Type.Integer()),
  used_connection_number: Type.Optional(Type.Integer()),
  used_connection_group: Type.Optional(Type.Integer()),
  enterprise_project_id: Type.String(),
  eip1: Type.Optional(EipOut),
  eip2: Type.Optional(EipOut),
  access_vpc_id: Type.String(),
  access_subnet_id: Type.String(),
  ha_mode: Type.String(),
  created_at: Type.Optional(Type.String()),
  updated_at: Type.Optional(Type.String()),
  tags: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
});
export type GatewayWire = Static<typeof GatewayWire>;

export const GatewayOne = Type.Object({ vpn_gateway: GatewayWire, request_id: Type.String() });
export const GatewayList = Type.Object({ vpn_gateways: Type.Array(GatewayWire), request_id: Type.String() });
export const GatewayListQuery = Type.Object({ enterprise_project_id: Type.Optional(Type.String({ maxLength: 64 })), vgw_id: Type.Optional(Uuid) });
export { PageInfo };
