import { type Static, Type } from 'typebox';
import { Cidr, Name, PageInfo, Tags, Uuid } from './huawei-common-schema.js';
import {
  AUTH_ALGORITHMS,
  CONNECTION_PAGE,
  DH_GROUPS,
  DPD_INTERVAL,
  DPD_MSGS,
  DPD_TIMEOUT,
  ENCRYPTION_ALGORITHMS,
  IKE_LIFETIME,
  IPSEC_LIFETIME,
  MAX_POLICY_RULES,
  MAX_SUBNETS,
  PFS_GROUPS,
  PSK_PATTERN,
} from './huawei-rules.js';

const oneOf = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const keys = (t: Readonly<Record<string, unknown>>) => oneOf(Object.keys(t));
const IdType = oneOf(['ip', 'fqdn']);

export const Dpd = Type.Object({
  timeout: Type.Optional(Type.Integer(DPD_TIMEOUT)),
  interval: Type.Optional(Type.Integer(DPD_INTERVAL)),
  msg: Type.Optional(oneOf(DPD_MSGS)),
});
export const IkePolicyIn = Type.Object({
  ike_version: Type.Optional(oneOf(['v1', 'v2'])),
  phase1_negotiation_mode: Type.Optional(oneOf(['main', 'aggressive'])),
  authentication_algorithm: Type.Optional(keys(AUTH_ALGORITHMS)),
  encryption_algorithm: Type.Optional(keys(ENCRYPTION_ALGORITHMS)),
  dh_group: Type.Optional(keys(DH_GROUPS)),
  authentication_method: Type.Optional(Type.Literal('pre-share')),
  lifetime_seconds: Type.Optional(Type.Integer(IKE_LIFETIME)),
  local_id_type: Type.Optional(IdType),
  local_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  peer_id_type: Type.Optional(IdType),
  peer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  dpd: Type.Optional(Dpd),
});
export const IpsecPolicyIn = Type.Object({
  authentication_algorithm: Type.Optional(keys(AUTH_ALGORITHMS)),
  encryption_algorithm: Type.Optional(keys(ENCRYPTION_ALGORITHMS)),
  pfs: Type.Optional(keys(PFS_GROUPS)),
  transform_protocol: Type.Optional(Type.Literal('esp')),
  lifetime_seconds: Type.Optional(Type.Integer(IPSEC_LIFETIME)),
  encapsulation_mode: Type.Optional(Type.Literal('tunnel')),
});
export const PolicyRule = Type.Object({
  rule_index: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  source: Cidr,
  destination: Type.Array(Cidr, { minItems: 1, maxItems: MAX_SUBNETS }),
});
const PolicyRules = Type.Array(PolicyRule, { maxItems: MAX_POLICY_RULES });
const TunnelAddress = Type.String({ pattern: '^169\\.254\\.\\d{1,3}\\.\\d{1,3}/30$' });
const Psk = Type.String({ pattern: PSK_PATTERN });

export const ConnectionCreate = Type.Object({
  vpn_connection: Type.Object({
    name: Type.Optional(Name),
    vgw_id: Uuid,
    vgw_ip: Uuid,
    style: Type.Optional(oneOf(['policy', 'static', 'bgp', 'POLICY', 'STATIC', 'BGP'])),
    cgw_id: Uuid,
    peer_subnets: Type.Optional(Type.Array(Cidr, { maxItems: MAX_SUBNETS })),
    tunnel_local_address: Type.Optional(TunnelAddress),
    tunnel_peer_address: Type.Optional(TunnelAddress),
    enable_nqa: Type.Optional(Type.Boolean()),
    enable_hub: Type.Optional(Type.Boolean()),
    psk: Psk,
    policy_rules: Type.Optional(PolicyRules),
    ikepolicy: Type.Optional(IkePolicyIn),
    ipsecpolicy: Type.Optional(IpsecPolicyIn),
    ha_role: Type.Optional(oneOf(['master', 'slave'])),
    tags: Type.Optional(Tags),
    enterprise_project_id: Type.Optional(Type.String({ maxLength: 64 })),
  }),
});
export const ConnectionUpdate = Type.Object({
  vpn_connection: Type.Object({
    name: Type.Optional(Name),
    cgw_id: Type.Optional(Uuid),
    peer_subnets: Type.Optional(Type.Array(Cidr, { minItems: 1, maxItems: MAX_SUBNETS })),
    tunnel_local_address: Type.Optional(TunnelAddress),
    tunnel_peer_address: Type.Optional(TunnelAddress),
    enable_hub: Type.Optional(Type.Boolean()),
    psk: Type.Optional(Psk),
    policy_rules: Type.Optional(PolicyRules),
    ikepolicy: Type.Optional(Type.Omit(IkePolicyIn, ['authentication_method'])),
    ipsecpolicy: Type.Optional(IpsecPolicyIn),
  }),
});

const DpdOut = Type.Object({ timeout: Type.Integer(), interval: Type.Integer(), msg: Type.String() });
export const ConnectionWire = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Optional(Type.String()),
  vgw_id: Type.String(),
  vgw_ip: Type.String(),
  style: Type.String(),
  cgw_id: Type.String(),
  peer_subnets: Type.Array(Type.String()),
  tunnel_local_address: Type.Optional(Type.String()),
  tunnel_peer_address: Type.Optional(Type.String()),
  enable_nqa: Type.Boolean(),
  policy_rules: Type.Optional(Type.Array(Type.Object({ rule_index: Type.Integer(), source: Type.String(), destination: Type.Array(Type.String()) }))),
  ikepolicy: Type.Object({
    ike_version: Type.String(),
    phase1_negotiation_mode: Type.Optional(Type.String()),
    authentication_algorithm: Type.String(),
    encryption_algorithm: Type.String(),
    dh_group: Type.String(),
    authentication_method: Type.String(),
    lifetime_seconds: Type.Integer(),
    local_id_type: Type.String(),
    local_id: Type.String(),
    peer_id_type: Type.String(),
    peer_id: Type.String(),
    dpd: DpdOut,
  }),
  ipsecpolicy: Type.Object({
    authentication_algorithm: Type.String(),
    encryption_algorithm: Type.String(),
    pfs: Type.String(),
    transform_protocol: Type.String(),
    lifetime_seconds: Type.Integer(),
    encapsulation_mode: Type.String(),
  }),
  created_at: Type.String(),
  updated_at: Type.String(),
  enterprise_project_id: Type.String(),
  connection_monitor_id: Type.Optional(Type.String()),
  ha_role: Type.String(),
  tags: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
});
export type ConnectionWire = Static<typeof ConnectionWire>;

export const ConnectionOne = Type.Object({ vpn_connection: ConnectionWire, request_id: Type.String() });
export const ConnectionList = Type.Object({
  vpn_connections: Type.Array(ConnectionWire),
  page_info: PageInfo,
  total_count: Type.Integer(),
  request_id: Type.String(),
});
export const ConnectionListQuery = Type.Object({
  vgw_id: Type.Optional(Uuid),
  vgw_ip: Type.Optional(Uuid),
  enterprise_project_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: CONNECTION_PAGE.maximum })),
  marker: Type.Optional(Type.String({ maxLength: 64 })),
});
