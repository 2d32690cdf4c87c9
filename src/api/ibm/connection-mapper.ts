import type { Static } from 'typebox';
import type { ConnectionInput } from '../../control/index.js';
import type { ConnectionView } from '../../control/index.js';
import type { ConnectionPatch as DomainPatch } from '../../control/index.js';
import { parseAddress } from '../../domain/cidr.js';
import type { Connection, Dpd, IdentityType, IkeIdentity, PeerEndpoint, Tunnel } from '../../domain/connection.js';
import { isFqdn } from '../../domain/connection.js';
import type { Reason } from '../../domain/tenancy.js';
import type { Page } from '../../control/index.js';
import type { ConnectionPatch, ConnectionPrototype } from './connection-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ibmInvalid } from './ibm-errors.js';
import { identityId } from './ibm-identity.js';
import { pageEnvelope } from './ibm-pagination.js';
import type { IbmRefs } from './ibm-refs.js';
import { checkIbmDpd, checkIbmPsk, DPD_DEFAULT_ACTION, DPD_INTERVAL, DPD_TIMEOUT } from './ibm-rules.js';
import { VERSION_LOCAL_PEER } from './ibm-version.js';
import { tunnelStatus } from './tunnel-mapper.js';

type Proto = Static<typeof ConnectionPrototype>;
type Patch = Static<typeof ConnectionPatch>;
type WireIdentity = { type: string; value: string };

const TYPE_FROM_IBM: Record<string, IdentityType> = { ipv4_address: 'ipv4', fqdn: 'fqdn', hostname: 'hostname', key_id: 'key_id' };
const TYPE_TO_IBM: Record<IdentityType, string> = { ipv4: 'ipv4_address', ipv6: 'ipv6_address', fqdn: 'fqdn', hostname: 'hostname', key_id: 'key_id' };

const identityIn = (w: WireIdentity): IkeIdentity => ({ type: TYPE_FROM_IBM[w.type] ?? 'fqdn', value: w.value });
const identityOut = (i: IkeIdentity): WireIdentity => ({ type: TYPE_TO_IBM[i.type], value: i.value });

function newShape(version: string): boolean {
  return version >= VERSION_LOCAL_PEER;
}

function checkShapeKeys(version: string, body: Record<string, unknown>): void {
  if (newShape(version)) {
    for (const k of ['peer_address', 'local_cidrs', 'peer_cidrs']) {
      if (body[k] !== undefined) {
        const now = k === 'peer_address' ? 'peer.address (or peer.fqdn)' : k.replace('_', '.');
        throw ibmInvalid(k, `'${k}' was replaced by '${now}' in version ${VERSION_LOCAL_PEER}; use the new field, or an older version date.`, 'unknown_field');
      }
    }
  } else {
    for (const k of ['local', 'peer']) {
      if (body[k] !== undefined) {
        throw ibmInvalid(
          k,
          `'${k}' is available from version ${VERSION_LOCAL_PEER}; with version ${version} use peer_address, local_cidrs and peer_cidrs.`,
          'unknown_field',
        );
      }
    }
  }
}

/** A legacy peer_address: an IP, or (leniently) an FQDN. */
function legacyPeer(text: string): PeerEndpoint {
  return parseAddress(text) || !isFqdn(text) ? { address: text } : { fqdn: text };
}

function dpdIn(w: Proto['dead_peer_detection'], base: Dpd): Dpd {
  const d: Dpd = {
    action: w?.action ?? base.action,
    intervalSeconds: w?.interval ?? base.intervalSeconds,
    timeoutSeconds: w?.timeout ?? base.timeoutSeconds,
  };
  checkIbmDpd(d.intervalSeconds, d.timeoutSeconds);
  return d;
}

export const DEFAULT_DPD: Dpd = { action: DPD_DEFAULT_ACTION, intervalSeconds: DPD_INTERVAL.default, timeoutSeconds: DPD_TIMEOUT.default };

function tunnelsIn(list: NonNullable<Proto['tunnels']>): Tunnel[] {
  return list.map((t, i) => ({ memberIndex: (i + 1) as 1 | 2, interfaceIp: t.tunnel_interface_ip.address, neighborIp: t.neighbor_ip.address }));
}

/** IBM's API is IPv4-only: peer addresses and CIDRs. */
function checkIpv4(values: readonly string[] | undefined, field: string): void {
  for (const v of values ?? []) {
    const addr = v.includes('/') ? v.slice(0, v.indexOf('/')) : v;
    if (parseAddress(addr)?.family === 6) throw ibmInvalid(field, `'${v}' is IPv6; this API takes IPv4 addresses and CIDRs only.`);
  }
}

/** Where a request is mapped: its version date and this server's /v1 base (for hrefs). */
export interface WireContext {
  readonly version: string;
  readonly base: string;
}

export function connectionInput({ version, base }: WireContext, body: Proto): ConnectionInput {
  checkShapeKeys(version, body);
  checkIbmPsk(body.psk);
  checkIpv4(body.local?.cidrs ?? body.local_cidrs, body.local_cidrs ? 'local_cidrs' : 'local.cidrs');
  checkIpv4(body.peer?.cidrs ?? body.peer_cidrs, body.peer_cidrs ? 'peer_cidrs' : 'peer.cidrs');
  checkIpv4(
    body.peer?.address !== undefined ? [body.peer.address] : body.peer_address !== undefined ? [body.peer_address] : [],
    body.peer_address !== undefined ? 'peer_address' : 'peer.address',
  );
  let peer: PeerEndpoint;
  let localCidrs: string[];
  let peerCidrs: string[];
  if (newShape(version)) {
    if (!body.peer) throw ibmInvalid('peer', "'peer' is required, with address or fqdn.", 'missing_field');
    const { address, fqdn, asn } = body.peer;
    peer = { ...(address !== undefined ? { address } : {}), ...(fqdn !== undefined ? { fqdn } : {}), ...(asn !== undefined ? { asn } : {}) };
    localCidrs = body.local?.cidrs ?? [];
    peerCidrs = body.peer.cidrs ?? [];
  } else {
    if (body.peer_address === undefined) throw ibmInvalid('peer_address', "'peer_address' is required.", 'missing_field');
    peer = legacyPeer(body.peer_address);
    localCidrs = body.local_cidrs ?? [];
    peerCidrs = body.peer_cidrs ?? [];
  }
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    psk: body.psk,
    peer,
    peerIdentity: body.peer?.ike_identity ? identityIn(body.peer.ike_identity) : null,
    localIdentities: (body.local?.ike_identities ?? []).map(identityIn),
    localCidrs,
    peerCidrs,
    ikePolicyId: body.ike_policy ? identityId(body.ike_policy, 'ike_policy', 'ike_policies', 'ike_policy', base) : null,
    ipsecPolicyId: body.ipsec_policy ? identityId(body.ipsec_policy, 'ipsec_policy', 'ipsec_policies', 'ipsec_policy', base) : null,
    dpd: dpdIn(body.dead_peer_detection, DEFAULT_DPD),
    establishMode: body.establish_mode ?? 'bidirectional',
    adminStateUp: body.admin_state_up ?? true,
    ...(body.distribute_traffic !== undefined ? { distributeTraffic: body.distribute_traffic } : {}),
    ...(body.routing_protocol !== undefined ? { routingProtocol: body.routing_protocol } : {}),
    ...(body.tunnels !== undefined ? { tunnels: tunnelsIn(body.tunnels) } : {}),
  };
}

export function connectionPatch({ version, base }: WireContext, body: Patch, cur: Connection): DomainPatch {
  checkShapeKeys(version, body);
  if (body.psk !== undefined) checkIbmPsk(body.psk);
  checkIpv4(body.peer?.address !== undefined ? [body.peer.address] : body.peer_address !== undefined ? [body.peer_address] : [], 'peer.address');
  if (body.peer?.cidrs !== undefined || body.local?.cidrs !== undefined) {
    throw ibmInvalid(
      body.peer?.cidrs !== undefined ? 'peer.cidrs' : 'local.cidrs',
      'CIDRs are not changed by PATCH; use PUT or DELETE on .../connections/{id}/local/cidrs/{cidr} and .../peer/cidrs/{cidr}.',
    );
  }
  let peer: PeerEndpoint | undefined;
  if (body.peer && (body.peer.address !== undefined || body.peer.fqdn !== undefined || body.peer.asn !== undefined)) {
    const address = body.peer.address ?? (body.peer.fqdn === undefined ? cur.peer.address : undefined);
    const fqdn = body.peer.fqdn ?? (body.peer.address === undefined ? cur.peer.fqdn : undefined);
    const asn = body.peer.asn ?? cur.peer.asn;
    peer = { ...(address !== undefined ? { address } : {}), ...(fqdn !== undefined ? { fqdn } : {}), ...(asn !== undefined ? { asn } : {}) };
  }
  if (body.peer_address !== undefined) peer = legacyPeer(body.peer_address);
  const tunnels = body.tunnels?.map((t, i): Tunnel => {
    const old = cur.tunnels[i];
    return {
      memberIndex: (i + 1) as 1 | 2,
      interfaceIp: t.tunnel_interface_ip?.address ?? old?.interfaceIp ?? null,
      neighborIp: t.neighbor_ip?.address ?? old?.neighborIp ?? null,
    };
  });
  const peerIdentity = body.peer?.ike_identity;
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.psk !== undefined ? { psk: body.psk } : {}),
    ...(peer ? { peer } : {}),
    ...(peerIdentity !== undefined ? { peerIdentity: peerIdentity === null ? null : identityIn(peerIdentity) } : {}),
    ...(body.local?.ike_identities !== undefined ? { localIdentities: body.local.ike_identities.map(identityIn) } : {}),
    ...(body.admin_state_up !== undefined ? { adminStateUp: body.admin_state_up } : {}),
    ...(body.establish_mode !== undefined ? { establishMode: body.establish_mode } : {}),
    ...(body.dead_peer_detection !== undefined ? { dpd: dpdIn(body.dead_peer_detection, cur.dpd) } : {}),
    ...(body.ike_policy !== undefined
      ? { ikePolicyId: body.ike_policy === null ? null : identityId(body.ike_policy, 'ike_policy', 'ike_policies', 'ike_policy', base) }
      : {}),
    ...(body.ipsec_policy !== undefined
      ? { ipsecPolicyId: body.ipsec_policy === null ? null : identityId(body.ipsec_policy, 'ipsec_policy', 'ipsec_policies', 'ipsec_policy', base) }
      : {}),
    ...(body.distribute_traffic !== undefined ? { distributeTraffic: body.distribute_traffic } : {}),
    ...(body.routing_protocol !== undefined ? { routingProtocol: body.routing_protocol } : {}),
    ...(tunnels ? { tunnels } : {}),
  };
}

/** A PATCH body holding an array needs If-Match (IBM). */
export function patchHasArray(body: Patch): boolean {
  return body.tunnels !== undefined || body.local?.ike_identities !== undefined;
}

export function reasonsToWire(refs: IbmRefs, list: readonly Reason[]) {
  return list.map((r) => ({ code: r.code, message: r.message, more_info: `${refs.publicUrl}/docs/status-reasons#${r.code}` }));
}

export function etag(c: Connection): string {
  return `W/"r${c.revision}"`;
}

/** The If-Match header as a revision, `*`, or NaN for anything this server never issued (→ 412). */
export function parseIfMatch(header: string | undefined): number | '*' | undefined {
  if (header === undefined) return undefined;
  const v = header.trim();
  if (v === '*') return '*';
  const m = /^(?:W\/)?"r(\d{1,12})"$/.exec(v);
  return m ? Number(m[1]) : Number.NaN;
}

export function connectionToWire(refs: IbmRefs, version: string, v: ConnectionView) {
  const c = v.connection;
  const gw = v.gateway;
  const policyMode = c.kind === 'policy';
  const active = gw.members.find((m) => m.role === 'active' && m.publicIp)?.publicIp ?? '0.0.0.0';
  const localIds =
    c.localIdentities.length > 0
      ? c.localIdentities.map(identityOut)
      : policyMode
        ? [{ type: 'ipv4_address', value: active }]
        : gw.members.map((m) => ({ type: 'ipv4_address', value: m.publicIp ?? '0.0.0.0' }));
  const peerId = c.peerIdentity
    ? identityOut(c.peerIdentity)
    : c.peer.address !== undefined
      ? { type: 'ipv4_address', value: c.peer.address }
      : { type: 'fqdn', value: c.peer.fqdn ?? '' };
  const statusReasons = reasonsToWire(refs, v.statusReasons);
  const base = {
    admin_state_up: c.adminStateUp,
    authentication_mode: 'psk',
    created_at: refs.time(c.createdAt),
    dead_peer_detection: { action: c.dpd.action, interval: c.dpd.intervalSeconds, timeout: c.dpd.timeoutSeconds },
    establish_mode: c.establishMode,
    href: refs.connection(c.gatewayId, c.id),
    id: c.id,
    ...(v.ikePolicy ? { ike_policy: { href: refs.ikePolicy(v.ikePolicy.id), id: v.ikePolicy.id, name: v.ikePolicy.name, resource_type: 'ike_policy' } } : {}),
    ...(v.ipsecPolicy
      ? { ipsec_policy: { href: refs.ipsecPolicy(v.ipsecPolicy.id), id: v.ipsecPolicy.id, name: v.ipsecPolicy.name, resource_type: 'ipsec_policy' } }
      : {}),
    lifecycle_state: c.lifecycleState,
    mode: policyMode ? 'policy' : 'route',
    name: c.name,
    psk: c.psk,
    resource_type: 'vpn_gateway_connection' as const,
    status: c.status,
    status_reasons: statusReasons,
  };
  const route = policyMode
    ? {}
    : {
        distribute_traffic: c.distributeTraffic,
        routing_protocol: c.kind === 'route_bgp' ? 'bgp' : 'none',
        tunnels: gw.members.map((m) => {
          const t = c.tunnels.find((x) => x.memberIndex === m.index);
          const own = tunnelStatus(c, m.index, v.statusReasons); // each member's tunnel shows its own state
          return {
            public_ip: { address: m.publicIp ?? '0.0.0.0' },
            status: own.status,
            status_reasons: reasonsToWire(refs, own.reasons),
            ...(c.kind === 'route_bgp'
              ? {
                  neighbor_ip: { address: t?.neighborIp ?? '0.0.0.0' },
                  tunnel_interface_ip: { address: t?.interfaceIp ?? '0.0.0.0' },
                  protocol_state: 'idle',
                }
              : {}),
          };
        }),
      };
  if (!newShape(version)) {
    return {
      ...base,
      peer_address: c.peer.address ?? c.peer.fqdn ?? '',
      ...(policyMode ? { local_cidrs: [...c.localCidrs], peer_cidrs: [...c.peerCidrs] } : {}),
      ...route,
    };
  }
  return {
    ...base,
    local: { ...(policyMode ? { cidrs: [...c.localCidrs] } : {}), ike_identities: localIds },
    peer: {
      ...(c.peer.address !== undefined ? { address: c.peer.address } : { fqdn: c.peer.fqdn ?? '' }),
      ...(policyMode ? { cidrs: [...c.peerCidrs] } : {}),
      ike_identity: peerId,
      type: c.peer.address !== undefined ? 'address' : 'fqdn',
      ...(c.kind === 'route_bgp' && c.peer.asn !== undefined ? { asn: c.peer.asn } : {}),
    },
    ...route,
  };
}

export function connectionCollection(
  d: IbmDeps,
  version: string,
  page: Page<ConnectionView>,
  href: string,
  limit: number,
  extra: Record<string, string | undefined> = {},
) {
  return pageEnvelope('connections', page, (v) => connectionToWire(d.refs, version, v), href, limit, extra);
}
