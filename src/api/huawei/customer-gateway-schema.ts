import { type Static, Type } from 'typebox';
import { Name, PageInfo, Tags } from './huawei-common-schema.js';
import { CGW_PAGE } from './huawei-rules.js';

export const CgwCreate = Type.Object({
  customer_gateway: Type.Object({
    name: Type.Optional(Name),
    id_type: Type.Optional(Type.Union([Type.Literal('ip'), Type.Literal('fqdn')])),
    id_value: Type.String({ minLength: 1, maxLength: 128 }),
    bgp_asn: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 4294967295, description: '1–4294967295 for id_type ip; 0 (none) for fqdn, as Terraform sends' }),
    ),
    tags: Type.Optional(Tags),
  }),
});
export const CgwUpdate = Type.Object({ customer_gateway: Type.Object({ name: Type.Optional(Name) }) });

export const CgwWire = Type.Object({
  id: Type.String(),
  name: Type.String(),
  id_type: Type.String(),
  id_value: Type.String(),
  bgp_asn: Type.Optional(Type.Integer()),
  created_at: Type.String(),
  updated_at: Type.String(),
  tags: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
});
export type CgwWire = Static<typeof CgwWire>;

export const CgwOne = Type.Object({ customer_gateway: CgwWire, request_id: Type.String() });
export const CgwList = Type.Object({ customer_gateways: Type.Array(CgwWire), page_info: PageInfo, total_count: Type.Integer(), request_id: Type.String() });
export const CgwListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: CGW_PAGE.maximum })),
  marker: Type.Optional(Type.String({ maxLength: 64 })),
});
