import { type Static, Type } from 'typebox';
import { Lifetime, NChoice, NStr, OWNER_ATTRS } from './neutron-attribute-schema.js';
import { envelope, listOf, one } from './neutron-common-schema.js';
import { AUTH_VALUES, ENCRYPTION_VALUES, PFS_VALUES } from './vpn-policy-mapper.js';

const LifetimeShown = Type.Object({
  units: Type.String({ description: 'seconds' }),
  value: Type.Union([Type.Integer(), Type.String()], { description: 'As last sent: a number, or the text a request gave.' }),
});

const owned = { id: Type.String(), tenant_id: Type.String(), project_id: Type.String(), name: Type.String(), description: Type.String() };

export const IkePolicySchema = Type.Object({
  ...owned,
  auth_algorithm: Type.String(),
  encryption_algorithm: Type.String(),
  phase1_negotiation_mode: Type.String(),
  ike_version: Type.String(),
  pfs: Type.String(),
  lifetime: LifetimeShown,
});
export type IkePolicyWire = Static<typeof IkePolicySchema>;

export const IpsecPolicySchema = Type.Object({
  ...owned,
  transform_protocol: Type.String(),
  encapsulation_mode: Type.String(),
  auth_algorithm: Type.String(),
  encryption_algorithm: Type.String(),
  pfs: Type.String(),
  lifetime: LifetimeShown,
});
export type IpsecPolicyWire = Static<typeof IpsecPolicySchema>;

const auth = Type.Optional(NChoice('auth_algorithm', AUTH_VALUES, 'Integrity; answers keep the spelling the request used (sha256 or sha2-256). Default sha1.'));
const encryption = Type.Optional(NChoice('encryption_algorithm', ENCRYPTION_VALUES, 'Default aes-128.'));
const pfs = Type.Optional(NChoice('pfs', PFS_VALUES, 'Diffie-Hellman group. Default group5.'));
const names = { name: Type.Optional(NStr('name', 'The name.')), description: Type.Optional(NStr('description', 'The description.')) };

/** In the order the mapper checks them (vpn-policy-mapper.ts ikeFields). */
const ike = {
  auth_algorithm: auth,
  encryption_algorithm: encryption,
  pfs,
  ike_version: Type.Optional(NChoice('ike_version', ['v1', 'v2'], 'Default v1.')),
  lifetime: Type.Optional(Lifetime),
  ...names,
  phase1_negotiation_mode: Type.Optional(NChoice('phase1_negotiation_mode', ['main', 'aggressive'], 'Default main.')),
};

/** In the order the mapper checks them (ipsecFields); esp and tunnel are the only ones supported. */
const ipsec = {
  transform_protocol: Type.Optional(NChoice('transform_protocol', ['esp', 'ah', 'ah-esp'], 'Supported: esp.')),
  encapsulation_mode: Type.Optional(NChoice('encapsulation_mode', ['tunnel', 'transport'], 'Supported: tunnel.')),
  auth_algorithm: auth,
  encryption_algorithm: encryption,
  pfs,
  lifetime: Type.Optional(Lifetime),
  ...names,
};

const readOnly = ['id'];
/** Any update of a policy a connection uses is refused (409 IKEPolicyInUse / IPsecPolicyInUse). */
export const IkePolicyCreate = envelope('ikepolicy', { ...OWNER_ATTRS, ...ike }, { readOnly });
export const IkePolicyUpdate = envelope('ikepolicy', ike, { readOnly });
export const IpsecPolicyCreate = envelope('ipsecpolicy', { ...OWNER_ATTRS, ...ipsec }, { readOnly });
export const IpsecPolicyUpdate = envelope('ipsecpolicy', ipsec, { readOnly });

export const IkePolicyOne = one('ikepolicy', IkePolicySchema);
export const IkePolicyShown = one('ikepolicy', Type.Partial(IkePolicySchema));
export const IkePolicyList = listOf('ikepolicies', IkePolicySchema);
export const IpsecPolicyOne = one('ipsecpolicy', IpsecPolicySchema);
export const IpsecPolicyShown = one('ipsecpolicy', Type.Partial(IpsecPolicySchema));
export const IpsecPolicyList = listOf('ipsecpolicies', IpsecPolicySchema);
