import { Type } from 'typebox';
import { DPD_ACTIONS, ESTABLISH_MODES } from '../../domain/connection.js';
import { ByIdOrHref, Name, ReasonSchema } from './ibm-common-schema.js';
import { DPD_INTERVAL, DPD_TIMEOUT } from './ibm-rules.js';

export const IDENTITY_TYPES_IBM = ['fqdn', 'hostname', 'ipv4_address', 'key_id'] as const;
const lit = <const T extends readonly string[]>(vs: T) => Type.Unsafe<T[number]>(Type.Enum([...vs]));

const IdentityPrototype = Type.Object({ type: lit(IDENTITY_TYPES_IBM), value: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false });
const DpdPrototype = Type.Object(
  {
    action: Type.Optional(lit(DPD_ACTIONS.filter((a) => a !== 'restart_by_peer'))),
    interval: Type.Optional(Type.Integer({ minimum: DPD_INTERVAL.min, maximum: DPD_INTERVAL.max, description: `Seconds (default ${DPD_INTERVAL.default}).` })),
    timeout: Type.Optional(Type.Integer({ minimum: DPD_TIMEOUT.min, maximum: DPD_TIMEOUT.max, description: `Seconds (default ${DPD_TIMEOUT.default}).` })),
  },
  { additionalProperties: false },
);
const CidrList = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 512 });
const Address = Type.String({ maxLength: 64 });
const Fqdn = Type.String({ minLength: 1, maxLength: 255 });
const Asn = Type.Integer({ minimum: 0 });
/** The local side as a create and an update both send it. */
const LocalSide = Type.Object(
  { cidrs: Type.Optional(CidrList), ike_identities: Type.Optional(Type.Array(IdentityPrototype, { maxItems: 2 })) },
  { additionalProperties: false },
);
const TunnelPrototype = Type.Object(
  {
    neighbor_ip: Type.Object({ address: Address }, { additionalProperties: false }),
    tunnel_interface_ip: Type.Object({ address: Address }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
const TunnelPatch = Type.Object(
  {
    neighbor_ip: Type.Optional(Type.Object({ address: Address }, { additionalProperties: false })),
    tunnel_interface_ip: Type.Optional(Type.Object({ address: Address }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

/**
 * One body schema for both shapes; which keys are allowed depends on the `version` date and is
 * checked by the mapper: `local{…}`/`peer{…}` from 2024-04-30, `peer_address`, `local_cidrs`,
 * `peer_cidrs` before.
 */
export const ConnectionPrototype = Type.Object(
  {
    name: Type.Optional(Name),
    psk: Type.String({ maxLength: 1024, description: '6-128 characters of letters, digits and - + & ! @ # $ % ^ * ( ) . , : ; not starting with 0x or 0s.' }),
    admin_state_up: Type.Optional(Type.Boolean()),
    dead_peer_detection: Type.Optional(DpdPrototype),
    establish_mode: Type.Optional(lit(ESTABLISH_MODES)),
    ike_policy: Type.Optional(ByIdOrHref),
    ipsec_policy: Type.Optional(ByIdOrHref),
    local: Type.Optional(LocalSide),
    peer: Type.Optional(
      Type.Object(
        {
          address: Type.Optional(Address),
          fqdn: Type.Optional(Fqdn),
          cidrs: Type.Optional(CidrList),
          ike_identity: Type.Optional(IdentityPrototype),
          asn: Type.Optional(Asn),
        },
        { additionalProperties: false },
      ),
    ),
    peer_address: Type.Optional(Type.String({ maxLength: 255, description: 'Versions before 2024-04-30.' })),
    local_cidrs: Type.Optional(CidrList),
    peer_cidrs: Type.Optional(CidrList),
    distribute_traffic: Type.Optional(Type.Boolean()),
    routing_protocol: Type.Optional(lit(['none', 'bgp'])),
    tunnels: Type.Optional(Type.Array(TunnelPrototype, { maxItems: 4 })),
  },
  { additionalProperties: false },
);

export const ConnectionPatch = Type.Object(
  {
    name: Type.Optional(Name),
    psk: Type.Optional(Type.String({ maxLength: 1024 })),
    admin_state_up: Type.Optional(Type.Boolean()),
    dead_peer_detection: Type.Optional(DpdPrototype),
    establish_mode: Type.Optional(lit(ESTABLISH_MODES)),
    ike_policy: Type.Optional(Type.Union([ByIdOrHref, Type.Null()])),
    ipsec_policy: Type.Optional(Type.Union([ByIdOrHref, Type.Null()])),
    local: Type.Optional(LocalSide),
    peer: Type.Optional(
      Type.Object(
        {
          address: Type.Optional(Address),
          fqdn: Type.Optional(Fqdn),
          cidrs: Type.Optional(CidrList),
          ike_identity: Type.Optional(Type.Union([IdentityPrototype, Type.Null()])),
          asn: Type.Optional(Asn),
        },
        { additionalProperties: false },
      ),
    ),
    peer_address: Type.Optional(Type.String({ maxLength: 255 })),
    distribute_traffic: Type.Optional(Type.Boolean()),
    routing_protocol: Type.Optional(lit(['none', 'bgp'])),
    tunnels: Type.Optional(Type.Array(TunnelPatch, { maxItems: 4 })),
  },
  { additionalProperties: false },
);

const Identity = Type.Object({ type: Type.String(), value: Type.String() });
const Ip = Type.Object({ address: Type.String() });
const PolicyRef = Type.Object({ href: Type.String(), id: Type.String(), name: Type.String(), resource_type: Type.String() });

export const ConnectionSchema = Type.Object({
  admin_state_up: Type.Boolean(),
  authentication_mode: Type.String(),
  created_at: Type.String(),
  dead_peer_detection: Type.Object({ action: Type.String(), interval: Type.Integer(), timeout: Type.Integer() }),
  establish_mode: Type.String(),
  href: Type.String(),
  id: Type.String(),
  ike_policy: Type.Optional(PolicyRef),
  ipsec_policy: Type.Optional(PolicyRef),
  lifecycle_state: Type.String(),
  mode: Type.String(),
  name: Type.String(),
  psk: Type.String(),
  resource_type: Type.Literal('vpn_gateway_connection'),
  status: Type.String(),
  status_reasons: Type.Array(ReasonSchema),
  local: Type.Optional(Type.Object({ cidrs: Type.Optional(Type.Array(Type.String())), ike_identities: Type.Array(Identity) })),
  peer: Type.Optional(
    Type.Object({
      address: Type.Optional(Type.String()),
      fqdn: Type.Optional(Type.String()),
      cidrs: Type.Optional(Type.Array(Type.String())),
      ike_identity: Identity,
      type: Type.String(),
      asn: Type.Optional(Type.Integer()),
    }),
  ),
  peer_address: Type.Optional(Type.String()),
  local_cidrs: Type.Optional(Type.Array(Type.String())),
  peer_cidrs: Type.Optional(Type.Array(Type.String())),
  distribute_traffic: Type.Optional(Type.Boolean()),
  routing_protocol: Type.Optional(Type.String()),
  tunnels: Type.Optional(
    Type.Array(
      Type.Object({
        public_ip: Ip,
        status: Type.String(),
        status_reasons: Type.Array(ReasonSchema),
        neighbor_ip: Type.Optional(Ip),
        tunnel_interface_ip: Type.Optional(Ip),
        protocol_state: Type.Optional(Type.String()),
      }),
    ),
  ),
});
