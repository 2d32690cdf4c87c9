import type { Static } from 'typebox';
import type { ConnectionInput, DialectObject, GatewayRecord } from '../../control/index.js';
import { parseAddress } from '../../domain/cidr.js';
import type { IkeIdentity } from '../../domain/connection.js';
import { isFqdn } from '../../domain/connection.js';
import { cidrsOf } from './connection-cidrs.js';
import { type ConnectionExtras, STYLE_KIND, tunnelPair } from './connection-mapper.js';
import type { ConnectionCreate } from './connection-schema.js';
import { cgwDataOf } from './customer-gateway-routes.js';
import { gatewayExtrasOf, memberOfEip } from './gateway-mapper.js';
import { invalid } from './huawei-errors.js';
import { generatedName, IKE_DEFAULTS, type Style } from './huawei-rules.js';
import { dpdIn } from './policy-mapper.js';

type Body = Static<typeof ConnectionCreate>['vpn_connection'];

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
      peer: cidrsOf([...new Set(rules.flatMap((r) => r.destination))], 'policy_rules.destination'),
      follows: false,
    };
  }
  if (!peerSubnets || peerSubnets.length === 0) throw invalid('policy_rules or peer_subnets is required for style POLICY');
  return { local: [...gatewayLocal], peer: cidrsOf(peerSubnets, 'peer_subnets'), follows: true };
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
  const peerSubnets = style === 'POLICY' ? [] : cidrsOf(b.peer_subnets ?? [], 'peer_subnets');
  const [tl, tp] = style === 'STATIC' ? (b.tunnel_local_address ? [b.tunnel_local_address, b.tunnel_peer_address!] : tunnelPair()) : [null, null];
  const ike = b.ikepolicy;
  const localId = ike?.local_id !== undefined ? identityOf('ikepolicy.local_id', ike.local_id_type, ike.local_id) : undefined;
  const input: ConnectionInput = {
    name: b.name ?? generatedName('vpn'),
    kind: STYLE_KIND[style],
    pinnedMember: member,
    psk: b.psk,
    peer: cg.idType === 'ip' ? { address: cg.idValue, ...(style === 'BGP' ? { asn: cg.bgpAsn } : {}) } : { fqdn: cg.idValue },
    peerIdentity: ike?.peer_id !== undefined ? identityOf('ikepolicy.peer_id', ike.peer_id_type, ike.peer_id) : null,
    localIdentities: localId ? (style === 'POLICY' ? [localId] : [localId, localId]) : [],
    localCidrs: sel?.local ?? [],
    peerCidrs: sel?.peer ?? [],
    ikePolicyId: policies.ike,
    ipsecPolicyId: policies.ipsec,
    dpd: dpdIn(ike?.dpd),
    establishMode: 'bidirectional',
    adminStateUp: true,
    ...(style === 'BGP'
      ? { tunnels: [{ memberIndex: member, interfaceIp: b.tunnel_local_address!.split('/')[0]!, neighborIp: b.tunnel_peer_address!.split('/')[0]! }] }
      : {}),
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
    localIdType: ike?.local_id_type ?? 'ip',
    peerIdType: ike?.peer_id_type ?? 'ip',
  };
  return { input, extras };
}
