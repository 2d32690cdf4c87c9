import { columns, joined, keyValues } from './output-format.js';

/** Tables of the API's JSON, in ibmcloud's layout. The JSON is the API's; these only read it. */
type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === 'object' ? (v as J) : {});
const a = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]) : []);
const s = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
const reasons = (v: unknown): string => joined(a(v).map((r) => s(r['code'])));

export function gatewayDetail(g: J): string {
  const members = a(g['members']);
  return keyValues([
    ['ID', s(g['id'])],
    ['Name', s(g['name'])],
    ['CRN', s(g['crn'])],
    ['Mode', s(g['mode'])],
    ['Lifecycle state', s(g['lifecycle_state'] ?? g['status'])],
    ['Health state', s(g['health_state'])],
    ['Health reasons', reasons(g['health_reasons'])],
    ['Public IPs', joined(members.map((m) => `${s(o(m['public_ip'])['address'])} (${s(m['role'])}${m['status'] ? `, ${s(m['status'])}` : ''})`))],
    ['Private IPs', joined(members.map((m) => s(o(m['private_ip'])['address'])))],
    ['Local ASN', s(g['local_asn'])],
    ['Advertised CIDRs', joined(a(g['advertised_cidrs']))],
    ['VPC', `${s(o(g['vpc'])['name'])} (${s(o(g['vpc'])['id'])})`],
    ['Subnet', `${s(o(g['subnet'])['name'])} (${s(o(g['subnet'])['id'])})`],
    ['Connections', joined(a(g['connections']).map((c) => s(c['name'])))],
    ['Resource group', s(o(g['resource_group'])['name'])],
    ['Created', s(g['created_at'])],
  ]);
}

export function gatewayList(gs: J[]): string {
  return columns(
    ['ID', 'Name', 'Mode', 'Lifecycle state', 'Public IP', 'VPC', 'Subnet'],
    gs.map((g) => [
      s(g['id']),
      s(g['name']),
      s(g['mode']),
      s(g['lifecycle_state'] ?? g['status']),
      joined(a(g['members']).map((m) => s(o(m['public_ip'])['address']))),
      s(o(g['vpc'])['name']),
      s(o(g['subnet'])['name']),
    ]),
  );
}

const peerOf = (c: J): string | undefined => s(o(c['peer'])['address'] ?? o(c['peer'])['fqdn'] ?? c['peer_address']);
const identity = (v: unknown): string | undefined => (v ? `${s(o(v)['type'])}:${s(o(v)['value'])}` : undefined);

export function connectionDetail(c: J): string {
  const dpd = o(c['dead_peer_detection']);
  return keyValues([
    ['ID', s(c['id'])],
    ['Name', s(c['name'])],
    ['Mode', s(c['mode'])],
    ['Status', s(c['status'])],
    ['Status reasons', joined(a(c['status_reasons']).map((r) => `${s(r['code'])}: ${s(r['message'])}`))],
    ['Lifecycle state', s(c['lifecycle_state'])],
    ['Admin state up', s(c['admin_state_up'])],
    ['Establish mode', s(c['establish_mode'])],
    ['Peer', peerOf(c)],
    ['Local CIDRs', joined((o(c['local'])['cidrs'] ?? c['local_cidrs']) as unknown[])],
    ['Peer CIDRs', joined((o(c['peer'])['cidrs'] ?? c['peer_cidrs']) as unknown[])],
    ['Local IKE identities', joined(a(o(c['local'])['ike_identities']).map(identity))],
    ['Peer IKE identity', identity(o(c['peer'])['ike_identity'])],
    ['Dead peer detection', `${s(dpd['action'])} (interval ${s(dpd['interval'])}s, timeout ${s(dpd['timeout'])}s)`],
    ['IKE policy', s(o(c['ike_policy'])['name']) ?? 'auto'],
    ['IPsec policy', s(o(c['ipsec_policy'])['name']) ?? 'auto'],
    ['Distribute traffic', s(c['distribute_traffic'])],
    ['Tunnels', joined(a(c['tunnels']).map((t) => `${s(o(t['public_ip'])['address'])} ${s(t['status'])}`))],
    ['Authentication mode', s(c['authentication_mode'])],
    ['Created', s(c['created_at'])],
  ]);
}

export function connectionList(cs: J[]): string {
  return columns(
    ['ID', 'Name', 'Status', 'Mode', 'Peer', 'Local CIDRs', 'Peer CIDRs', 'Reasons'],
    cs.map((c) => [
      s(c['id']),
      s(c['name']),
      s(c['status']),
      s(c['mode']),
      peerOf(c),
      joined((o(c['local'])['cidrs'] ?? c['local_cidrs']) as unknown[]),
      joined((o(c['peer'])['cidrs'] ?? c['peer_cidrs']) as unknown[]),
      reasons(c['status_reasons']),
    ]),
  );
}

/** The connections a policy is used by (`ike-policy-connections`). */
export function connectionRefs(cs: J[]): string {
  return columns(
    ['ID', 'Name'],
    cs.map((c) => [s(c['id']), s(c['name'])]),
  );
}

export function policyDetail(p: J): string {
  const ike = p['resource_type'] === 'ike_policy';
  return keyValues([
    ['ID', s(p['id'])],
    ['Name', s(p['name'])],
    ['Authentication algorithms', joined(a(p['authentication_algorithms']))],
    ['Encryption algorithms', joined(a(p['encryption_algorithms']))],
    ike ? ['DH groups', joined(a(p['dh_groups']))] : ['PFS groups', joined(a(p['pfs_groups']))],
    ...(ike ? ([['IKE version', s(p['ike_version'])]] as const) : ([['Encapsulation mode', s(p['encapsulation_mode'])]] as const)),
    ['Key lifetime', s(p['key_lifetime'])],
    ['Connections', joined(a(p['connections']).map((c) => s(c['name'])))],
    ['Resource group', s(o(p['resource_group'])['name'])],
    ['Created', s(p['created_at'])],
  ]);
}

export function policyList(ps: J[]): string {
  const ike = ps[0]?.['resource_type'] === 'ike_policy';
  return columns(
    ['ID', 'Name', 'Authentication', 'Encryption', ike ? 'DH groups' : 'PFS groups', ...(ike ? ['IKE version'] : []), 'Key lifetime'],
    ps.map((p) => [
      s(p['id']),
      s(p['name']),
      joined(a(p['authentication_algorithms'])),
      joined(a(p['encryption_algorithms'])),
      joined(a(ike ? p['dh_groups'] : p['pfs_groups'])),
      ...(ike ? [s(p['ike_version'])] : []),
      s(p['key_lifetime']),
    ]),
  );
}

export function vpcDetail(v: J): string {
  return keyValues([
    ['ID', s(v['id'])],
    ['Name', s(v['name'])],
    ['CRN', s(v['crn'])],
    ['Status', s(v['status'])],
    ['Resource group', s(o(v['resource_group'])['name'])],
    ['Created', s(v['created_at'])],
  ]);
}

export const vpcList = (vs: J[]): string =>
  columns(
    ['ID', 'Name', 'Status', 'Resource group'],
    vs.map((v) => [s(v['id']), s(v['name']), s(v['status']), s(o(v['resource_group'])['name'])]),
  );

export function subnetDetail(n: J): string {
  return keyValues([
    ['ID', s(n['id'])],
    ['Name', s(n['name'])],
    ['CRN', s(n['crn'])],
    ['Status', s(n['status'])],
    ['IPv4 CIDR', s(n['ipv4_cidr_block'])],
    ['Address available', s(n['total_ipv4_address_count'])],
    ['Zone', s(o(n['zone'])['name'])],
    ['VPC', `${s(o(n['vpc'])['name'])} (${s(o(n['vpc'])['id'])})`],
    ['Resource group', s(o(n['resource_group'])['name'])],
    ['Created', s(n['created_at'])],
  ]);
}

export const subnetList = (ns: J[]): string =>
  columns(
    ['ID', 'Name', 'Status', 'Subnet CIDR', 'VPC', 'Zone'],
    ns.map((n) => [s(n['id']), s(n['name']), s(n['status']), s(n['ipv4_cidr_block']), s(o(n['vpc'])['name']), s(o(n['zone'])['name'])]),
  );
