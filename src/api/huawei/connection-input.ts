import type { Static } from 'typebox';
import type { ConnectionInput, ConnectionPatch, DialectObject, GatewayRecord } from '../../control/index.js';
import { parseAddress } from '../../domain/cidr.js';
import type { Connection, IkeIdentity, PeerEndpoint } from '../../domain/connection.js';
import { isFqdn } from '../../domain/connection.js';
import { cidrsOf, peerCidrsOf, tunnelAddressesOf } from './connection-cidrs.js';
import { type ConnectionExtras, idTypeOf, STYLE_KIND, tunnelPair } from './connection-mapper.js';
import type { ConnectionCreate, ConnectionUpdate } from './connection-schema.js';
import { cgwDataOf } from './customer-gateway-routes.js';
import { gatewayExtrasOf, memberOfEip } from './gateway-mapper.js';
import { invalid } from './huawei-errors.js';
import { CGW_DEFAULT_ASN, generatedName, IKE_DEFAULTS, type Style } from './huawei-rules.js';
import { dpdIn } from './policy-mapper.js';

type Body = Static<typeof ConnectionCreate>['vpn_connection'];
type UpdateBody = Static<typeof ConnectionUpdate>['vpn_connection'];
type IdsIn = Pick<NonNullable<Body['ikepolicy']>, 'local_id_type' | 'local_id' | 'peer_id_type' | 'peer_id'> | undefined;

export const styleOf = (s: string | undefined): Style => (s ?? 'static').toUpperCase() as Style;

export function identityOf(field: string, type: string | undefined, value: string): IkeIdentity {
  if ((type ?? 'ip') === 'ip') {
    if (parseAddress(value)?.family !== 4) throw invalid(`${field} '${value.slice(0, 64)}' is not an IPv4 address`);
    return { type: 'ipv4', value };
  }
  if (!isFqdn(value)) throw invalid(`${field} '${value.slice(0, 64)}' is not a domain name`);
  return { type: 'fqdn', value };
}

/** The selectors of a POLICY connection: the rules' union, or the gateway's local subnets and peer_subnets. */
export function policySelectors(
  rules: Body['policy_rules'],
  peerSubnets: readonly string[] | undefined,
  gatewayLocal: readonly string[],
): { local: string[]; peer: string[]; follows: boolean } {
  if (rules && rules.length > 0) {
    const sources = rules.map((r) => r.source);
    if (new Set(sources).size !== sources.length) throw invalid('policy_rules: each rule needs its own source');
    return {
      local: cidrsOf(sources, 'policy_rules.source'),
      peer: peerCidrsOf([...new Set(rules.flatMap((r) => r.destination))], 'policy_rules.destination'),
      follows: false,
    };
  }
  if (!peerSubnets || peerSubnets.length === 0) throw invalid('policy_rules or peer_subnets is required for style POLICY');
  return { local: [...gatewayLocal], peer: peerCidrsOf(peerSubnets, 'peer_subnets'), follows: true };
}

/**
 * The local identities from ikepolicy `local_id`/`local_id_type`; undefined = unchanged. `cur` is the
 * stored identity (none: the gateway's own address, type ip). An id needs its type's syntax; a type
 * alone can only go back to ip (the gateway's address): fqdn needs its local_id.
 */
export function localIdsOf(ike: IdsIn, style: Style, cur: IkeIdentity | undefined, create: boolean): IkeIdentity[] | undefined {
  const now = idTypeOf(cur, 'ip');
  if (ike?.local_id !== undefined) {
    const id = identityOf('ikepolicy.local_id', ike.local_id_type ?? (create || now !== 'fqdn' ? 'ip' : 'fqdn'), ike.local_id);
    return style === 'POLICY' ? [id] : [id, id];
  }
  if (ike?.local_id_type === undefined || ike.local_id_type === now) return undefined;
  if (ike.local_id_type === 'ip') return [];
  throw invalid('ikepolicy.local_id is required with local_id_type fqdn');
}

/**
 * The peer identity from ikepolicy `peer_id`/`peer_id_type`; undefined = unchanged, null = derived from
 * the customer gateway. A type alone must be the customer gateway's own id type.
 */
export function peerIdOf(ike: IdsIn, peer: PeerEndpoint, cur: IkeIdentity | null, create: boolean): IkeIdentity | null | undefined {
  const derived = peer.address !== undefined ? 'ip' : 'fqdn';
  const now = idTypeOf(cur, derived);
  if (ike?.peer_id !== undefined)
    return identityOf('ikepolicy.peer_id', ike.peer_id_type ?? (create || now !== 'fqdn' ? IKE_DEFAULTS.peer_id_type : 'fqdn'), ike.peer_id);
  if (ike?.peer_id_type === undefined || ike.peer_id_type === now) return undefined;
  if (ike.peer_id_type === derived) return null;
  throw invalid(`ikepolicy.peer_id is required with peer_id_type ${derived === 'ip' ? 'fqdn' : 'ip'} (the customer gateway's id is ${derived})`);
}

/** An update's tunnel addresses: both or neither, checked (B5); STATIC keeps them in extras, BGP on its tunnel. */
export function tunnelUpdate(b: UpdateBody, c: Connection, style: Style): { extras: Partial<ConnectionExtras>; patch: Pick<ConnectionPatch, 'tunnels'> } {
  if ((b.tunnel_local_address === undefined) !== (b.tunnel_peer_address === undefined))
    throw invalid('tunnel_local_address and tunnel_peer_address go together');
  if (b.tunnel_local_address === undefined || b.tunnel_peer_address === undefined) return { extras: {}, patch: {} };
  if (style === 'POLICY') throw invalid('tunnel_local_address and tunnel_peer_address apply to styles STATIC and BGP only');
  const [tl, tp] = tunnelAddressesOf(b.tunnel_local_address, b.tunnel_peer_address);
  if (style === 'STATIC') return { extras: { tunnelLocal: tl, tunnelPeer: tp }, patch: {} };
  const ips = { interfaceIp: tl.split('/')[0]!, neighborIp: tp.split('/')[0]! };
  const tunnels = c.tunnels.length > 0 ? c.tunnels.map((t, i) => (i === 0 ? { ...t, ...ips } : t)) : [{ memberIndex: c.pinnedMember ?? 1, ...ips }];
  return { extras: {}, patch: { tunnels } };
}

/**
 * A Huawei vpn_connection as the domain's connection input and Huawei's extras. The IKE and IPsec
 * policies are created by the caller (owned by the connection); their ids are passed in.
 */
export function connectionInput(
  b: Body,
  gw: GatewayRecord,
  cgw: DialectObject,
  policies: { ike: string; ipsec: string },
): { input: ConnectionInput; extras: ConnectionExtras } {
  const member = memberOfEip(gw.gateway, b.vgw_ip);
  if (!member) throw invalid(`vgw_ip ${b.vgw_ip.slice(0, 64)} is not an EIP of VPN gateway ${gw.gateway.id}`);
  const style = styleOf(b.style);
  const cg = cgwDataOf(cgw);
  const local = gatewayExtrasOf(gw.extras, gw.gateway).localSubnets;
  if (b.enable_nqa && style !== 'STATIC') throw invalid('enable_nqa applies to style STATIC only');
  if ((b.tunnel_local_address === undefined) !== (b.tunnel_peer_address === undefined))
    throw invalid('tunnel_local_address and tunnel_peer_address go together');
  const sel = style === 'POLICY' ? policySelectors(b.policy_rules, b.peer_subnets, local) : undefined;
  if (style !== 'POLICY' && b.policy_rules) throw invalid('policy_rules applies to style POLICY only');
  if (style === 'STATIC' && (!b.peer_subnets || b.peer_subnets.length === 0)) throw invalid('peer_subnets is required for style STATIC');
  if (style === 'BGP' && !b.tunnel_local_address) throw invalid('tunnel_local_address and tunnel_peer_address are required for style BGP');
  if (style === 'POLICY' && b.tunnel_local_address) throw invalid('tunnel_local_address and tunnel_peer_address apply to styles STATIC and BGP only');
  const peerSubnets = style === 'POLICY' ? [] : peerCidrsOf(b.peer_subnets ?? [], 'peer_subnets');
  const sent = b.tunnel_local_address && b.tunnel_peer_address ? tunnelAddressesOf(b.tunnel_local_address, b.tunnel_peer_address) : undefined;
  const [tl, tp] = style === 'STATIC' ? (sent ?? tunnelPair()) : [null, null];
  const ike = b.ikepolicy;
  const peer: PeerEndpoint =
    cg.idType === 'ip' ? { address: cg.idValue, ...(style === 'BGP' ? { asn: cg.bgpAsn ?? CGW_DEFAULT_ASN } : {}) } : { fqdn: cg.idValue };
  const input: ConnectionInput = {
    name: b.name ?? generatedName('vpn'),
    kind: STYLE_KIND[style],
    pinnedMember: member,
    psk: b.psk,
    peer,
    peerIdentity: peerIdOf(ike, peer, null, true) ?? null,
    localIdentities: localIdsOf(ike, style, undefined, true) ?? [],
    localCidrs: sel?.local ?? [],
    peerCidrs: sel?.peer ?? [],
    ikePolicyId: policies.ike,
    ipsecPolicyId: policies.ipsec,
    dpd: dpdIn(ike?.dpd),
    establishMode: 'bidirectional',
    adminStateUp: true,
    ...(style === 'BGP' ? { tunnels: [{ memberIndex: member, interfaceIp: sent![0].split('/')[0]!, neighborIp: sent![1].split('/')[0]! }] } : {}),
  };
  const extras: ConnectionExtras = {
    vgwIp: b.vgw_ip.toLowerCase(),
    cgwId: cgw.id,
    peerSubnets,
    policyRules: style === 'POLICY' && b.policy_rules?.length ? b.policy_rules.map((r) => ({ source: r.source, destination: r.destination })) : null,
    followsGateway: sel?.follows ?? false,
    tunnelLocal: tl,
    tunnelPeer: tp,
    enableNqa: b.enable_nqa ?? false,
    haRole: b.ha_role ?? 'master',
    tags: b.tags ?? [],
    enterpriseProjectId: gatewayExtrasOf(gw.extras, gw.gateway).enterpriseProjectId,
    dpdMsg: ike?.dpd?.msg ?? IKE_DEFAULTS.dpd.msg,
  };
  return { input, extras };
}
