import { Type } from 'typebox';
import { MAX_TAGS, NAME_PATTERN } from './huawei-rules.js';

export const HUAWEI_TAGS = ['Huawei Cloud VPN v5'];

/** Every error Huawei answers: {error_code, error_msg, request_id}. */
export const HuaweiErrorSchema = Type.Object({ error_code: Type.String(), error_msg: Type.String(), request_id: Type.String() });
export const ERRORS = { '4xx': HuaweiErrorSchema, '5xx': HuaweiErrorSchema } as const;

export const ProjectParams = Type.Object({ project_id: Type.String({ maxLength: 64 }) });
const Param = Type.String({ maxLength: 64 });
export const GatewayParams = Type.Object({ project_id: Param, vgw_id: Param });
export const CgwParams = Type.Object({ project_id: Param, customer_gateway_id: Param });
export const ConnectionParams = Type.Object({ project_id: Param, vpn_connection_id: Param });
export const MonitorParams = Type.Object({ project_id: Param, connection_monitor_id: Param });
export const NoContent = Type.Unsafe<undefined>({ description: 'No content.' });
export const RequestId = Type.Object({ request_id: Type.String() });

export const Name = Type.String({ pattern: NAME_PATTERN });
export const Tag = Type.Object({ key: Type.String({ minLength: 1, maxLength: 128 }), value: Type.String({ maxLength: 255 }) });
export const Tags = Type.Array(Tag, { maxItems: MAX_TAGS });
export const Uuid = Type.String({ minLength: 1, maxLength: 64 });
export const Cidr = Type.String({ minLength: 1, maxLength: 64 });
export const PageInfo = Type.Object({ next_marker: Type.Optional(Type.String()), current_count: Type.Integer() });
