import { Type } from 'typebox';
import { ByIdOrHref, ConnectionRefSchema, Name, ResourceGroupIdentity, ResourceGroupRef } from './ibm-common-schema.js';
import { IKE_AUTH, IKE_DH, IKE_ENC, IPSEC_AUTH, IPSEC_ENC, IPSEC_PFS } from './ibm-algorithms.js';
import { IKE_LIFETIME, IPSEC_LIFETIME } from './ibm-rules.js';

// Enums are `enum` schemas (not unions of literals), so a bad value's error lists every allowed value.
const str = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.Enum([...values]));
const int = <const T extends readonly number[]>(values: T) => Type.Unsafe<T[number]>(Type.Enum([...values]));
const list = <T extends ReturnType<typeof str> | ReturnType<typeof int>>(item: T, max: number) =>
  Type.Array(item, { minItems: 1, maxItems: max, uniqueItems: true });

export const IkePolicyFields = {
  name: Type.Optional(Name),
  authentication_algorithm: Type.Optional(str(IKE_AUTH)),
  authentication_algorithms: Type.Optional(list(str(IKE_AUTH), 3)),
  encryption_algorithm: Type.Optional(str(IKE_ENC)),
  encryption_algorithms: Type.Optional(list(str(IKE_ENC), 3)),
  dh_group: Type.Optional(int(IKE_DH)),
  dh_groups: Type.Optional(list(int(IKE_DH), 14)),
  ike_version: Type.Optional(int([1, 2])),
  key_lifetime: Type.Optional(
    Type.Integer({ minimum: IKE_LIFETIME.min, maximum: IKE_LIFETIME.max, description: `Seconds (default ${IKE_LIFETIME.default}).` }),
  ),
};

export const IkePolicyPrototype = Type.Object(
  { ...IkePolicyFields, ike_version: int([1, 2]), resource_group: Type.Optional(ResourceGroupIdentity) },
  { additionalProperties: false },
);
export const IkePolicyPatch = Type.Object(IkePolicyFields, { additionalProperties: false });

export const IpsecPolicyFields = {
  name: Type.Optional(Name),
  authentication_algorithm: Type.Optional(str(IPSEC_AUTH)),
  authentication_algorithms: Type.Optional(list(str(IPSEC_AUTH), 6)),
  encryption_algorithm: Type.Optional(str(IPSEC_ENC)),
  encryption_algorithms: Type.Optional(list(str(IPSEC_ENC), 8)),
  pfs: Type.Optional(str(IPSEC_PFS)),
  pfs_groups: Type.Optional(list(str(IPSEC_PFS), 15)),
  key_lifetime: Type.Optional(
    Type.Integer({ minimum: IPSEC_LIFETIME.min, maximum: IPSEC_LIFETIME.max, description: `Seconds (default ${IPSEC_LIFETIME.default}).` }),
  ),
};
export const IpsecPolicyPrototype = Type.Object(
  { ...IpsecPolicyFields, resource_group: Type.Optional(ResourceGroupIdentity) },
  { additionalProperties: false },
);
export const IpsecPolicyPatch = Type.Object(IpsecPolicyFields, { additionalProperties: false });

export const IkePolicySchema = Type.Object({
  authentication_algorithm: Type.String(),
  authentication_algorithms: Type.Array(Type.String()),
  connections: Type.Array(ConnectionRefSchema),
  created_at: Type.String(),
  dh_group: Type.Integer(),
  dh_groups: Type.Array(Type.Integer()),
  encryption_algorithm: Type.String(),
  encryption_algorithms: Type.Array(Type.String()),
  href: Type.String(),
  id: Type.String(),
  ike_version: Type.Integer(),
  key_lifetime: Type.Integer(),
  name: Type.String(),
  negotiation_mode: Type.String(),
  resource_group: ResourceGroupRef,
  resource_type: Type.Literal('ike_policy'),
});

export const IpsecPolicySchema = Type.Object({
  authentication_algorithm: Type.String(),
  authentication_algorithms: Type.Array(Type.String()),
  connections: Type.Array(ConnectionRefSchema),
  created_at: Type.String(),
  encapsulation_mode: Type.String(),
  encryption_algorithm: Type.String(),
  encryption_algorithms: Type.Array(Type.String()),
  href: Type.String(),
  id: Type.String(),
  key_lifetime: Type.Integer(),
  name: Type.String(),
  pfs: Type.String(),
  pfs_groups: Type.Array(Type.String()),
  resource_group: ResourceGroupRef,
  resource_type: Type.Literal('ipsec_policy'),
  transform_protocol: Type.String(),
});

export const PolicyIdentity = ByIdOrHref;
