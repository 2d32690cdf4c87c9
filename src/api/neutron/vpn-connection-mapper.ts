import { parseAddress, parseCidr } from '../../domain/cidr.js';
import { type Connection, type Dpd, type DpdAction, type IkeIdentity, isFqdn } from '../../domain/connection.js';
import { badRequest, invalidInput } from './neutron-errors.js';
import { type Body, bool, checkKeys, ownerFields, str } from './neutron-request.js';

/** ipsec_site_connection (A8) ↔ the domain connection. */

export const CONNECTION_FIELDS = [
  'name', 'description', 'peer_address', 'peer_id', 'local_id', 'peer_cidrs', 'local_ep_group_id', 'peer_ep_group_id', 'mtu',
  'initiator', 'psk', 'dpd', 'admin_state_up', 'vpnservice_id', 'ikepolicy_id', 'ipsecpolicy_id', 'tenant_id', 'project_id',
] as const;
export const CONNECTION_READ_ONLY = ['id', 'status', 'route_mode', 'auth_mode'];
/** What PUT may change (Neutron: not the service, the policies or the endpoint groups' types). */
export const CONNECTION_UPDATABLE = ['name', 'description', 'peer_address', 'peer_id', 'local_id', 'mtu', 'initiator', 'psk', 'dpd', 'admin_state_up'];

const DPD_IN: Record<string, DpdAction> = { hold: 'hold', clear: 'clear', restart: 'restart', disabled: 'none', 'restart-by-peer': 'restart_by_peer' };
const DPD_OUT: Record<DpdAction, string> = { hold: 'hold', clear: 'clear', restart: 'restart', none: 'disabled', restart_by_peer: 'restart-by-peer' };
export const NEUTRON_DPD: Dpd = { action: 'hold', intervalSeconds: 30, timeoutSeconds: 120 };

const positiveInt = (key: string, v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw invalidInput(key, `'${String(v)}' is not a positive integer`);
  return n;
};

/** `dpd` merged into `cur`; checks it is a dictionary of known keys with timeout > interval. */
export function dpdOf(b: Body, cur: Dpd): Dpd | undefined {
  const v = b['dpd'];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidInput('dpd', `'${String(v)}' is not a dictionary`);
  const d = v as Record<string, unknown>;
  const extra = Object.keys(d).filter((k) => !['action', 'interval', 'timeout'].includes(k));
  if (extra.length > 0) throw invalidInput('dpd', `Unexpected keys supplied: ${extra.join(', ')}`);
  const action = d['action'] === undefined ? cur.action : DPD_IN[String(d['action'])];
  if (!action) throw invalidInput('dpd', `${String(d['action'])} is not in valid_values`);
  const next = {
    action,
    intervalSeconds: d['interval'] === undefined ? cur.intervalSeconds : positiveInt('dpd', d['interval']),
    timeoutSeconds: d['timeout'] === undefined ? cur.timeoutSeconds : positiveInt('dpd', d['timeout']),
  };
  if (next.timeoutSeconds <= next.intervalSeconds) throw badRequest('ipsec_site_connection dpd_timeout is equal to or less than dpd_interval', 'IPsecSiteConnectionDpdIntervalValueError');
  return next;
}

export function mtuOf(b: Body): number | undefined {
  const v = b['mtu'];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw invalidInput('mtu', `'${String(v)}' is not an integer`);
  if (n < 0) throw invalidInput('mtu', `'${String(v)}' should be non-negative`);
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
  if (!Array.isArray(list)) throw invalidInput('peer_cidrs', `'${String(v)}' is not a list`);
  return list.map((c) => {
    const p = typeof c === 'string' && c.includes('/') ? parseCidr(c) : undefined;
    if (!p || !p.ok) throw badRequest(`ipsec_site_connection peer cidr ${String(c)} is invalid CIDR`, 'IPsecSiteConnectionPeerCidrError');
    return p.cidr.text;
  });
}

export function initiatorOf(b: Body): Connection['establishMode'] | undefined {
  const v = b['initiator'];
  if (v === undefined) return undefined;
  if (v === 'bi-directional') return 'bidirectional';
  if (v === 'response-only') return 'peer_only';
  throw invalidInput('initiator', `${String(v)} is not in valid_values`);
}

/** A Neutron IKE id (peer_id / local_id): an IP address, or a name (`@` prefix optional). */
export function identityOf(key: string, v: string): IkeIdentity {
  const a = parseAddress(v);
  if (a) return { type: a.family === 4 ? 'ipv4' : 'ipv6', value: v };
  const name = v.startsWith('@') ? v.slice(1) : v;
  if (isFqdn(name)) return { type: 'fqdn', value: name };
  throw invalidInput(key, `'${v}' is not an IP address or a domain name`);
}

export function peerOf(v: string): Connection['peer'] {
  if (parseAddress(v)) return { address: v };
  if (isFqdn(v)) return { fqdn: v };
  throw badRequest(`Peer address ${v} cannot be resolved`, 'VPNPeerAddressNotResolved');
}

const identityText = (id: IkeIdentity | null | undefined): string => (id ? id.value : '');

export function connectionStatus(c: Connection): string {
  if (c.lifecycleState === 'pending') return 'PENDING_CREATE';
  if (c.lifecycleState === 'failed') return 'ERROR';
  return c.adminStateUp && c.status === 'up' ? 'ACTIVE' : 'DOWN';
}

export function connectionView(c: Connection): Record<string, unknown> {
  const legacy = c.localGroupId === null && c.peerGroupId === null;
  return {
    id: c.id, ...ownerFields(c.accountId), name: c.name, description: c.description,
    peer_address: c.peer.address ?? c.peer.fqdn ?? '', peer_id: identityText(c.peerIdentity) || (c.peer.address ?? c.peer.fqdn ?? ''),
    local_id: identityText(c.localIdentities[0]), route_mode: 'static', mtu: c.mtu,
    initiator: c.establishMode === 'peer_only' ? 'response-only' : 'bi-directional', auth_mode: 'psk', psk: c.psk,
    dpd: { action: DPD_OUT[c.dpd.action], interval: c.dpd.intervalSeconds, timeout: c.dpd.timeoutSeconds },
    status: connectionStatus(c), admin_state_up: c.adminStateUp, vpnservice_id: c.gatewayId,
    ikepolicy_id: c.ikePolicyId, ipsecpolicy_id: c.ipsecPolicyId,
    peer_cidrs: legacy ? [...c.peerCidrs] : [], local_ep_group_id: c.localGroupId, peer_ep_group_id: c.peerGroupId,
  };
}

/** The simple scalar fields of a POST or PUT body, checked at the attribute layer. */
export function scalarFields(b: Body, method: 'POST' | 'PUT') {
  checkKeys(b, method === 'POST' ? CONNECTION_FIELDS : CONNECTION_UPDATABLE, method, method === 'POST' ? CONNECTION_READ_ONLY : [...CONNECTION_READ_ONLY, ...CONNECTION_FIELDS.filter((k) => !CONNECTION_UPDATABLE.includes(k))]);
  const psk = str(b, 'psk', 255);
  if (psk !== undefined && psk.length === 0) throw invalidInput('psk', "'' is too short");
  return {
    name: str(b, 'name'), description: str(b, 'description'), peerAddress: str(b, 'peer_address'), peerId: str(b, 'peer_id'),
    localId: str(b, 'local_id'), psk, mtu: mtuOf(b), initiator: initiatorOf(b), adminStateUp: bool(b, 'admin_state_up'),
  };
}
