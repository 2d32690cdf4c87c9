import { parseAddress, parseCidr } from '../../domain/cidr.js';
import { type Connection, type Dpd, type DpdAction, type IkeIdentity, isFqdn } from '../../domain/connection.js';
import { MAX_DPD_SECONDS } from '../../domain/connection.js';
import type { ConnectionView } from '../../control/index.js';
import { badRequest, echo, invalidInput } from './neutron-errors.js';
import { type Body, bool, checkKeys, ownerFields, str } from './neutron-request.js';
import type { ConnectionWire } from './vpn-connection-schema.js';
import { textOf } from '../../domain/text.js';

/** ipsec_site_connection (A8) ↔ the domain connection. */

export const CONNECTION_FIELDS = [
  'name',
  'description',
  'peer_address',
  'peer_id',
  'local_id',
  'peer_cidrs',
  'local_ep_group_id',
  'peer_ep_group_id',
  'mtu',
  'initiator',
  'psk',
  'dpd',
  'admin_state_up',
  'vpnservice_id',
  'ikepolicy_id',
  'ipsecpolicy_id',
  'tenant_id',
  'project_id',
] as const;
export const CONNECTION_READ_ONLY = ['id', 'status', 'route_mode', 'auth_mode'];
/** What PUT may change (Neutron: not the service, the policies or the endpoint groups' types). */
export const CONNECTION_UPDATABLE = ['name', 'description', 'peer_address', 'peer_id', 'local_id', 'mtu', 'initiator', 'psk', 'dpd', 'admin_state_up'];

const DPD_IN: Record<string, DpdAction> = { hold: 'hold', clear: 'clear', restart: 'restart', disabled: 'none', 'restart-by-peer': 'restart_by_peer' };
const DPD_OUT: Record<DpdAction, string> = { hold: 'hold', clear: 'clear', restart: 'restart', none: 'disabled', restart_by_peer: 'restart-by-peer' };
export const NEUTRON_DPD: Dpd = { action: 'hold', intervalSeconds: 30, timeoutSeconds: 120 };

/** Neutron's extras on a connection: what Neutron shows that the domain does not hold. */
export interface ConnectionExtras {
  readonly description: string;
  readonly mtu: number;
  /** The endpoint groups the CIDRs came from; null = legacy mode (the service's subnet and peer_cidrs). */
  readonly localGroupId: string | null;
  readonly peerGroupId: string | null;
}
export const NO_CONNECTION_EXTRAS: ConnectionExtras = { description: '', mtu: 1500, localGroupId: null, peerGroupId: null };

export function connectionExtrasOf(x: Readonly<Record<string, unknown>> | undefined): ConnectionExtras {
  if (!x) return NO_CONNECTION_EXTRAS;
  const id = (k: string): string | null => (typeof x[k] === 'string' ? x[k] : null);
  return {
    description: typeof x['description'] === 'string' ? x['description'] : '',
    mtu: typeof x['mtu'] === 'number' ? x['mtu'] : 1500,
    localGroupId: id('localGroupId'),
    peerGroupId: id('peerGroupId'),
  };
}

/** The extras as written: the groups are references (a group cannot be deleted while a connection uses it). */
export function connectionExtras(x: ConnectionExtras) {
  return {
    dialect: 'neutron',
    data: { ...x },
    refs: [x.localGroupId, x.peerGroupId].flatMap((g) => (g ? [{ resource: 'endpoint_group', id: g }] : [])),
  };
}

/** Seed 003 (OTC): a pre-shared key of 6–128 characters: letters, digits and ~`!@#$%^()-_+=[]{}|\,./:; */
const PSK = /^[A-Za-z0-9~`!@#$%^()\-_+=[\]{}|\\,./:;]{6,128}$/;
/** Seed 003 (OTC): a connection name of 1–64 characters. */
export const NAME_MAX = 64;
/** An IP MTU fits 16 bits. */
export const MTU_MAX = 65_535;

const positiveInt = (key: string, v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw invalidInput(key, `'${echo(v)}' is not a positive integer`);
  if (n > MAX_DPD_SECONDS) throw invalidInput(key, `'${echo(v)}' is too large - must be no larger than '${MAX_DPD_SECONDS}'`);
  return n;
};

/** `dpd` merged into `cur`; checks it is a dictionary of known keys with timeout > interval. */
export function dpdOf(b: Body, cur: Dpd): Dpd | undefined {
  const v = b['dpd'];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidInput('dpd', `'${echo(v)}' is not a dictionary`);
  const d = v as Record<string, unknown>;
  const extra = Object.keys(d).filter((k) => !['action', 'interval', 'timeout'].includes(k));
  if (extra.length > 0) throw invalidInput('dpd', `Unexpected keys supplied: ${echo(extra.join(', '))}`);
  const action = d['action'] === undefined ? cur.action : DPD_IN[textOf(d['action'])];
  if (!action) throw invalidInput('dpd', `${echo(d['action'])} is not in valid_values`);
  const next = {
    action,
    intervalSeconds: d['interval'] === undefined ? cur.intervalSeconds : positiveInt('dpd', d['interval']),
    timeoutSeconds: d['timeout'] === undefined ? cur.timeoutSeconds : positiveInt('dpd', d['timeout']),
  };
  if (next.timeoutSeconds <= next.intervalSeconds)
    throw badRequest('ipsec_site_connection dpd_timeout is equal to or less than dpd_interval', 'IPsecSiteConnectionDpdIntervalValueError');
  return next;
}

export function mtuOf(b: Body): number | undefined {
  const v = b['mtu'];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw invalidInput('mtu', `'${echo(v)}' is not an integer`);
  if (n < 0) throw invalidInput('mtu', `'${echo(v)}' should be non-negative`);
  if (n > MTU_MAX) throw invalidInput('mtu', `'${echo(v)}' is too large - must be no larger than '${MTU_MAX}'`);
  return n;
}

/** MTU floor per address family (IPsecSiteConnectionMtuError). */
export function checkMtu(mtu: number, family: 4 | 6): void {
  if (mtu < (family === 6 ? 1280 : 68)) throw badRequest(`ipsec_site_connection MTU ${mtu} is too small for ipv${family}`, 'IPsecSiteConnectionMtuError');
}

/** `peer_cidrs`: a bare string is a one-item list (as the openstack CLI sends it); each must be a CIDR. */
export function peerCidrsOf(b: Body): string[] | undefined {
  const v = b['peer_cidrs'];
  if (v === undefined || v === null) return v === null ? [] : undefined;
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) throw invalidInput('peer_cidrs', `'${echo(v)}' is not a list`);
  return list.map((c) => {
    const p = typeof c === 'string' && c.includes('/') ? parseCidr(c) : undefined;
    if (!p || !p.ok) throw badRequest(`ipsec_site_connection peer cidr ${echo(c)} is invalid CIDR`, 'IPsecSiteConnectionPeerCidrError');
    return p.cidr.text;
  });
}

export function initiatorOf(b: Body): Connection['establishMode'] | undefined {
  const v = b['initiator'];
  if (v === undefined) return undefined;
  if (v === 'bi-directional') return 'bidirectional';
  if (v === 'response-only') return 'peer_only';
  throw invalidInput('initiator', `${echo(v)} is not in valid_values`);
}

/** A Neutron IKE id (peer_id / local_id): an IP address, or a name (`@` prefix optional). */
export function identityOf(key: string, v: string): IkeIdentity {
  const a = parseAddress(v);
  if (a) return { type: a.family === 4 ? 'ipv4' : 'ipv6', value: v };
  const name = v.startsWith('@') ? v.slice(1) : v;
  if (isFqdn(name)) return { type: 'fqdn', value: name };
  throw invalidInput(key, `'${echo(v)}' is not an IP address or a domain name`);
}

export function peerOf(v: string): Connection['peer'] {
  if (parseAddress(v)) return { address: v };
  if (isFqdn(v)) return { fqdn: v };
  throw badRequest(`Peer address ${echo(v)} cannot be resolved`, 'VPNPeerAddressNotResolved');
}

const identityText = (id: IkeIdentity | null | undefined): string => (id ? id.value : '');

/** Neutron's status (seed 003): PENDING_CREATE → ACTIVE/DOWN, PENDING_UPDATE while a change is applied, PENDING_DELETE, ERROR. */
export function connectionStatus(c: Connection): string {
  switch (c.lifecycleState) {
    case 'pending':
      return 'PENDING_CREATE';
    case 'updating':
      return 'PENDING_UPDATE';
    case 'deleting':
      return 'PENDING_DELETE';
    case 'failed':
      return 'ERROR';
    default:
      return c.adminStateUp && c.status === 'up' ? 'ACTIVE' : 'DOWN';
  }
}

/** OTC's time format (seed 003): `2020-08-05 12:39:35.921257`, UTC. */
export const otcTime = (ms: number): string => `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}000`;

export function connectionView(v: ConnectionView): ConnectionWire {
  const c = v.connection;
  const x = connectionExtrasOf(v.extras);
  const legacy = x.localGroupId === null && x.peerGroupId === null;
  return {
    id: c.id,
    ...ownerFields(c.accountId),
    name: c.name,
    description: x.description,
    peer_address: c.peer.address ?? c.peer.fqdn ?? '',
    peer_id: identityText(c.peerIdentity) || (c.peer.address ?? c.peer.fqdn ?? ''),
    local_id: identityText(c.localIdentities[0]),
    route_mode: 'static',
    mtu: x.mtu,
    initiator: c.establishMode === 'peer_only' ? 'response-only' : 'bi-directional',
    auth_mode: 'psk',
    psk: c.psk,
    dpd: { action: DPD_OUT[c.dpd.action], interval: c.dpd.intervalSeconds, timeout: c.dpd.timeoutSeconds },
    status: connectionStatus(c),
    admin_state_up: c.adminStateUp,
    vpnservice_id: c.gatewayId,
    ikepolicy_id: c.ikePolicyId,
    ipsecpolicy_id: c.ipsecPolicyId,
    peer_cidrs: legacy ? [...c.peerCidrs] : [],
    local_ep_group_id: x.localGroupId,
    peer_ep_group_id: x.peerGroupId,
    created_at: otcTime(c.createdAt),
    updated_at: otcTime(c.updatedAt),
  };
}

/** The simple scalar fields of a POST or PUT body, checked at the attribute layer. */
export function scalarFields(b: Body, method: 'POST' | 'PUT') {
  checkKeys(
    b,
    method === 'POST' ? CONNECTION_FIELDS : CONNECTION_UPDATABLE,
    method,
    method === 'POST' ? CONNECTION_READ_ONLY : [...CONNECTION_READ_ONLY, ...CONNECTION_FIELDS.filter((k) => !CONNECTION_UPDATABLE.includes(k))],
  );
  const psk = str(b, 'psk', 255);
  if (psk !== undefined && !PSK.test(psk)) {
    throw invalidInput('psk', 'the pre-shared key must be 6 to 128 characters: letters, digits and ~`!@#$%^()-_+=[]{}|\\,./:;');
  }
  const name = str(b, 'name', NAME_MAX);
  if (name !== undefined && b['name'] !== null && name.length === 0) throw invalidInput('name', `the name must be 1 to ${NAME_MAX} characters`);
  return {
    name,
    description: str(b, 'description'),
    peerAddress: str(b, 'peer_address'),
    peerId: str(b, 'peer_id'),
    localId: str(b, 'local_id'),
    psk,
    mtu: mtuOf(b),
    initiator: initiatorOf(b),
    adminStateUp: bool(b, 'admin_state_up'),
  };
}
