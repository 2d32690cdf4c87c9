import { type Static, Type } from 'typebox';
import { invalid, invalidInput, NBool, NChoice, NStr, NUuid, OWNER_ATTRS } from './neutron-attribute-schema.js';
import { envelope, listOf, one } from './neutron-common-schema.js';
import { CONNECTION_FIELDS, CONNECTION_READ_ONLY, CONNECTION_UPDATABLE, NAME_MAX } from './vpn-connection-mapper.js';

const NullableId = Type.Union([Type.String(), Type.Null()]);

/** An ipsec_site_connection as Neutron shows it (OTC's seed 003: created_at / updated_at too). */
export const ConnectionSchema = Type.Object({
  id: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  peer_address: Type.String(),
  peer_id: Type.String(),
  local_id: Type.String(),
  route_mode: Type.String(),
  mtu: Type.Integer(),
  initiator: Type.String(),
  auth_mode: Type.String(),
  psk: Type.String(),
  dpd: Type.Object({ action: Type.String(), interval: Type.Integer(), timeout: Type.Integer() }),
  status: Type.String({ description: 'PENDING_CREATE, ACTIVE, DOWN, PENDING_UPDATE, PENDING_DELETE or ERROR.' }),
  admin_state_up: Type.Boolean(),
  vpnservice_id: Type.String(),
  ikepolicy_id: Type.Union([Type.String(), Type.Null()], { description: 'null for a connection made through the native API with the default policy.' }),
  ipsecpolicy_id: NullableId,
  peer_cidrs: Type.Array(Type.String(), { description: 'Legacy mode; [] with endpoint groups.' }),
  local_ep_group_id: NullableId,
  peer_ep_group_id: NullableId,
  created_at: Type.String({ description: 'UTC, 2020-08-05 12:39:35.921257' }),
  updated_at: Type.String(),
});
export type ConnectionWire = Static<typeof ConnectionSchema>;

const dpdSeconds = Type.Union(
  [Type.Integer(), Type.String()],
  invalidInput('dpd', "'{value}' is not a positive integer", 'Seconds (a number or numeric text).'),
);

/** Every attribute a request may give, in the order of Neutron's attribute map (which answers the first missing one). */
const attrs = {
  name: NStr('name', 'The name (1 to 64 characters).', NAME_MAX),
  description: NStr('description', 'The description.'),
  local_id: NStr('local_id', 'Our IKE id: an IP address or a name; empty = our address.'),
  peer_address: NStr('peer_address', "The peer's address or FQDN (required)."),
  peer_id: NStr('peer_id', "The peer's IKE id: an IP address or a name, @ optional (required)."),
  peer_cidrs: Type.Union(
    [
      Type.String(),
      Type.Array(Type.String(invalid({ type: 'IPsecSiteConnectionPeerCidrError', message: 'ipsec_site_connection peer cidr {value} is invalid CIDR' }))),
      Type.Null(),
    ],
    invalidInput(
      'peer_cidrs',
      "'{value}' is not a list",
      'Legacy mode (a service with a subnet): the remote CIDRs, one IP version; a bare string is a one-item list.',
    ),
  ),
  local_ep_group_id: NUuid('local_ep_group_id', "Endpoint-group mode: a group of type subnet (subnets on the service's router)."),
  peer_ep_group_id: NUuid('peer_ep_group_id', 'Endpoint-group mode: a group of type cidr.'),
  mtu: Type.Union(
    [Type.Integer(), Type.String()],
    invalidInput('mtu', "'{value}' is not an integer", 'At least 68 (IPv4) or 1280 (IPv6); default 1500. A number or numeric text.'),
  ),
  initiator: NChoice('initiator', ['bi-directional', 'response-only'], 'Default bi-directional.'),
  psk: NStr('psk', 'The pre-shared key (required): 6 to 128 letters, digits and ~`!@#$%^()-_+=[]{}|\\,./:;', 128),
  dpd: Type.Union(
    [
      Type.Object({
        action: Type.Optional(Type.String(invalidInput('dpd', '{value} is not in valid_values', 'hold, clear, restart, disabled or restart-by-peer.'))),
        interval: Type.Optional(dpdSeconds),
        timeout: Type.Optional(dpdSeconds),
      }),
      Type.Null(),
    ],
    invalidInput(
      'dpd',
      "'{value}' is not a dictionary",
      'Dead peer detection (default hold, 30 s, 120 s); timeout must exceed interval. A PUT may give some keys.',
    ),
  ),
  admin_state_up: NBool('admin_state_up', 'Default true.'),
  vpnservice_id: NUuid('vpnservice_id', 'The VPN service (required).'),
  ikepolicy_id: NUuid('ikepolicy_id', 'The IKE policy (required).'),
  ipsecpolicy_id: NUuid('ipsecpolicy_id', 'The IPsec policy (required).'),
};
const opt = Type.Optional;
const a = attrs;

export const ConnectionCreate = envelope(
  'ipsec_site_connection',
  {
    ...OWNER_ATTRS,
    name: opt(a.name),
    description: opt(a.description),
    local_id: opt(a.local_id),
    peer_address: a.peer_address,
    peer_id: a.peer_id,
    peer_cidrs: opt(a.peer_cidrs),
    local_ep_group_id: opt(a.local_ep_group_id),
    peer_ep_group_id: opt(a.peer_ep_group_id),
    mtu: opt(a.mtu),
    initiator: opt(a.initiator),
    psk: a.psk,
    dpd: opt(a.dpd),
    admin_state_up: opt(a.admin_state_up),
    vpnservice_id: a.vpnservice_id,
    ikepolicy_id: a.ikepolicy_id,
    ipsecpolicy_id: a.ipsecpolicy_id,
  },
  { readOnly: CONNECTION_READ_ONLY },
);

/** A PUT: not the service, the policies, the CIDRs or the endpoint groups. */
export const ConnectionUpdate = envelope(
  'ipsec_site_connection',
  {
    name: opt(a.name),
    description: opt(a.description),
    local_id: opt(a.local_id),
    peer_address: opt(a.peer_address),
    peer_id: opt(a.peer_id),
    mtu: opt(a.mtu),
    initiator: opt(a.initiator),
    psk: opt(a.psk),
    dpd: opt(a.dpd),
    admin_state_up: opt(a.admin_state_up),
  },
  { readOnly: [...CONNECTION_READ_ONLY, ...CONNECTION_FIELDS.filter((k) => !CONNECTION_UPDATABLE.includes(k))] },
);

export const ConnectionOne = one('ipsec_site_connection', ConnectionSchema);
export const ConnectionShown = one('ipsec_site_connection', Type.Partial(ConnectionSchema));
export const ConnectionList = listOf('ipsec_site_connections', ConnectionSchema);
