import { Type, type Static } from 'typebox';
import { CIPHER_TEXT, GROUP_TEXT, HASH_TEXT, LIFETIME_MAX_SECONDS, NAME_MAX, PSK_PATTERN, STATES } from './cloudca-rules.js';

/** Seed 002's site-to-site VPN, field for field (camelCase), as reads return it. */
export const SiteToSiteVpn = Type.Object({
  id: Type.String({ description: 'The id of the site-to-site VPN (the connection id in every dialect).' }),
  name: Type.String(),
  state: Type.Enum([...STATES], {
    description: 'Pending until the tunnel first comes up; then Connected or Disconnected; Error when the peer refused the configuration.',
  }),
  vpcId: Type.String(),
  gateway: Type.String({ description: 'The peer gateway (the remote public IP).' }),
  cidr: Type.String({ description: 'The remote network.' }),
  ipSecPsk: Type.String({ description: 'Shown to its owner (the account of the MC-Api-Key).' }),
  ikeEncryptionAlgorithm: Type.String(),
  ikeHashAlgorithm: Type.String(),
  ikeDhGroup: Type.String(),
  ikeLifetime: Type.Integer(),
  espEncryptionAlgorithm: Type.String(),
  espHashAlgorithm: Type.String(),
  espPerfectForwardSecrecy: Type.String(),
  espLifetime: Type.Integer(),
  dpd: Type.Boolean(),
  forceEncap: Type.Boolean(),
});
export type SiteToSiteVpnWire = Static<typeof SiteToSiteVpn>;

const lifetime = (phase: string) =>
  Type.Integer({
    minimum: 1,
    maximum: LIFETIME_MAX_SECONDS,
    description: `The ${phase} lifetime of the security association in seconds (at most ${LIFETIME_MAX_SECONDS}).`,
  });

/** The create body: the bare object (no wrapper key). */
export const SiteToSiteVpnCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: NAME_MAX, description: 'Unique in the environment.' }),
  vpcId: Type.String({ minLength: 1, maxLength: 64 }),
  gateway: Type.String({ minLength: 1, maxLength: 64, description: 'The peer gateway; one site-to-site VPN per gateway in an environment.' }),
  cidr: Type.String({ minLength: 1, maxLength: 64, description: 'One CIDR; host bits are accepted and cleared (10.12.0.2/22 is 10.12.0.0/22).' }),
  ipSecPsk: Type.String({ pattern: PSK_PATTERN, description: 'At least 10 alphanumeric characters.' }),
  ikeEncryptionAlgorithm: Type.String({ maxLength: 32, description: CIPHER_TEXT }),
  ikeHashAlgorithm: Type.String({ maxLength: 32, description: HASH_TEXT }),
  ikeDhGroup: Type.Optional(Type.String({ maxLength: 32, description: `${GROUP_TEXT}; default Group-5 (IKE needs a group: None is refused).` })),
  ikeLifetime: lifetime('phase-1'),
  espEncryptionAlgorithm: Type.String({ maxLength: 32, description: CIPHER_TEXT }),
  espHashAlgorithm: Type.String({ maxLength: 32, description: HASH_TEXT }),
  espPerfectForwardSecrecy: Type.Optional(Type.String({ maxLength: 32, description: `${GROUP_TEXT}; default None.` })),
  espLifetime: lifetime('phase-2'),
  dpd: Type.Optional(Type.Boolean({ description: 'Dead peer detection (30 s delay, 120 s timeout, restart). Default false.' })),
  forceEncap: Type.Optional(Type.Boolean({ description: 'Force UDP encapsulation. Default false (the lab data plane always encapsulates).' })),
});
export type SiteToSiteVpnCreateWire = Static<typeof SiteToSiteVpnCreate>;

export const EnvParams = Type.Object({ service_code: Type.String(), environment_name: Type.String() });
export const VpnParams = Type.Object({ service_code: Type.String(), environment_name: Type.String(), id: Type.String() });
export const ListQuery = Type.Object({ vpc_id: Type.Optional(Type.String({ description: 'Only the site-to-site VPNs of this VPC.' })) });
export const OperationQuery = Type.Object({ operation: Type.Enum(['reset'], { description: 'The operation: reset re-initiates the tunnel.' }) });

export const ErrorEnvelope = Type.Object({
  errors: Type.Array(Type.Object({ code: Type.Integer(), message: Type.String(), context: Type.Record(Type.String(), Type.Unknown()) })),
});
export const ERRORS = { '4xx': ErrorEnvelope, '5xx': ErrorEnvelope } as const;

export const One = Type.Object({ data: SiteToSiteVpn });
export const List = Type.Object({ data: Type.Array(SiteToSiteVpn), metadata: Type.Object({ recordCount: Type.Integer() }) });
