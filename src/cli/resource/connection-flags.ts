import { Option, type Command } from 'commander';
import { UsageError, type ApiClient } from './api-client.js';
import { boolFlag, intFlag, jsonFlag } from './command-action.js';
import { findIkePolicy, findIpsecPolicy } from './resource-lookup.js';

/** The flags of vpn-gateway-connection-create and -update, with seed 001's descriptions. */
export interface ConnectionFlags {
  vpc?: string;
  adminStateUp?: string;
  deadPeerDetectionAction?: string;
  deadPeerDetectionInterval?: string;
  deadPeerDetectionTimeout?: string;
  distributeTraffic?: string;
  ikePolicy?: string;
  ipsecPolicy?: string;
  peerCidr?: string[];
  localCidr?: string[];
  localIkeIdentityType?: string;
  localIkeIdentityValue?: string;
  localIkeIdentities?: string;
  peerIkeIdentityType?: string;
  peerIkeIdentityValue?: string;
  establishMode?: string;
  // update only
  peerAddress?: string;
  peerFqdn?: string;
  psk?: string;
  name?: string;
  resetIkePolicy?: boolean;
  resetIpsecPolicy?: boolean;
}

const IDENTITY_TYPES = ['fqdn', 'hostname', 'ipv4_address', 'key_id'];
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Seed 001's text, verbatim (the `-peer-cidr` style names in its list are its typos for `--`). */
export const SEED_HELP = {
  vpc: 'The ID or name of the VPC. This field is only required to specify the unique resource by its name inside this VPC.',
  adminStateUp: 'If set to `false`, the VPN gateway connection is shut down. This field value can be either `true` or `false`.',
  dpdAction: 'The dead peer detection action. This field value can be either `restart`, `clear`, `hold`, or `none`. (Default: `restart`).',
  dpdInterval: 'The dead peer detection interval in seconds (default: `2`).',
  dpdTimeout: 'The dead peer detection timeout in seconds (default: `10`).',
  distributeTraffic:
    "Set to `true` to distribute traffic between the `Up` tunnels of the VPN gateway connection when a VPC route's next hop is the VPN connection. This value can be either `true` or `false`.",
  ikePolicy: 'The ID of the IKE policy.',
  ipsecPolicy: 'The ID of the IPsec policy.',
  localIdType: 'The type of local IKE identity. This field value can be either `fqdn`, `hostname`, `ipv4_address`, or `key_id`.',
  localIdValue: 'The value of the local IKE identity.',
  localIds: 'The ID of the local IKE identity. `LOCAL_IKE_IDENTITIES_JSON  | @LOCAL_IKE_IDENTITIES_JSON_FILE` in JSON or a JSON file.',
  peerCidr: 'The peer CIDRs for the resource.',
  localCidr: 'The local CIDR for the resource.',
  peerIdType: 'The type of peer IKE identity. This field value can either be `ipv4_address`, `fqdn`, `hostname`, or `key_id`.',
  peerIdValue: 'The value of the peer IKE identity.',
  establishMode:
    "This field can be either `bidirectional` or `peer_only`. Bidirectional mode initiates IKE protocol negotiations (or rekeying processes) from either side of the VPN gateway. Peer only mode allows the peer to initiate IKE protocol negotiations for this VPN gateway connection. The peer is also responsible for initiating the rekeying process after the connection is established. If rekeying doesn't occur, the VPN gateway connection is removed after its lifetime expires.",
  output: 'Specifies that the output format is JSON.',
  quiet: 'Suppresses verbose output.',
} as const;

/** Adds the flags both create and update take. */
export function connectionFlagOptions(cmd: Command): Command {
  return cmd
    .option('--vpc <VPC>', SEED_HELP.vpc)
    .option('--admin-state-up <true|false>', SEED_HELP.adminStateUp)
    .addOption(new Option('--dead-peer-detection-action <action>', SEED_HELP.dpdAction).choices(['restart', 'clear', 'hold', 'none']))
    .option('--dead-peer-detection-interval <INTERVAL>', SEED_HELP.dpdInterval)
    .option('--dead-peer-detection-timeout <TIMEOUT>', SEED_HELP.dpdTimeout)
    .option('--distribute-traffic <true|false>', SEED_HELP.distributeTraffic)
    .option('--ike-policy <IKE_POLICY_ID>', SEED_HELP.ikePolicy)
    .option('--ipsec-policy <IPSEC_POLICY_ID>', SEED_HELP.ipsecPolicy)
    .addOption(new Option('--local-ike-identity-type <type>', SEED_HELP.localIdType).choices(IDENTITY_TYPES))
    .option('--local-ike-identity-value <VALUE>', SEED_HELP.localIdValue)
    .addOption(new Option('--local-ike-identities <JSON>', SEED_HELP.localIds).conflicts(['localIkeIdentityType', 'localIkeIdentityValue']))
    .addOption(new Option('--peer-ike-identity-type <type>', SEED_HELP.peerIdType).choices(IDENTITY_TYPES))
    .option('--peer-ike-identity-value <VALUE>', SEED_HELP.peerIdValue)
    .addOption(new Option('--establish-mode <mode>', SEED_HELP.establishMode).choices(['bidirectional', 'peer_only']));
}

export function cidrFlagOptions(cmd: Command): Command {
  return cmd.option('--peer-cidr <CIDR>', SEED_HELP.peerCidr, collect).option('--local-cidr <CIDR>', SEED_HELP.localCidr, collect);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** PEER: an IPv4 address or an FQDN. */
export const peerEndpoint = (peer: string): { address: string } | { fqdn: string } => (IPV4.test(peer) ? { address: peer } : { fqdn: peer });

function pair(kind: string, type: string | undefined, value: string | undefined): { type: string; value: string } | undefined {
  if (type === undefined && value === undefined) return undefined;
  if (type === undefined || value === undefined) throw new UsageError(`--${kind}-ike-identity-type and --${kind}-ike-identity-value go together`);
  return { type, value };
}

/** The parts of a connection body the shared flags set (create and update alike). */
export async function connectionFields(api: ApiClient, f: ConnectionFlags): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  const admin = boolFlag('--admin-state-up', f.adminStateUp);
  if (admin !== undefined) body['admin_state_up'] = admin;
  const dt = boolFlag('--distribute-traffic', f.distributeTraffic);
  if (dt !== undefined) body['distribute_traffic'] = dt;
  const dpd = {
    ...(f.deadPeerDetectionAction ? { action: f.deadPeerDetectionAction } : {}),
    ...(f.deadPeerDetectionInterval ? { interval: intFlag('--dead-peer-detection-interval', f.deadPeerDetectionInterval) } : {}),
    ...(f.deadPeerDetectionTimeout ? { timeout: intFlag('--dead-peer-detection-timeout', f.deadPeerDetectionTimeout) } : {}),
  };
  if (Object.keys(dpd).length) body['dead_peer_detection'] = dpd;
  if (f.ikePolicy) body['ike_policy'] = { id: (await findIkePolicy(api, f.ikePolicy)).id };
  if (f.ipsecPolicy) body['ipsec_policy'] = { id: (await findIpsecPolicy(api, f.ipsecPolicy)).id };
  if (f.resetIkePolicy) body['ike_policy'] = null;
  if (f.resetIpsecPolicy) body['ipsec_policy'] = null;
  if (f.establishMode) body['establish_mode'] = f.establishMode;
  const local: Record<string, unknown> = {};
  if (f.localCidr) local['cidrs'] = f.localCidr;
  const one = pair('local', f.localIkeIdentityType, f.localIkeIdentityValue);
  if (one) local['ike_identities'] = [one];
  if (f.localIkeIdentities !== undefined) {
    const ids = jsonFlag('--local-ike-identities', f.localIkeIdentities);
    local['ike_identities'] = Array.isArray(ids) ? ids : [ids];
  }
  if (Object.keys(local).length) body['local'] = local;
  const peer: Record<string, unknown> = {};
  if (f.peerCidr) peer['cidrs'] = f.peerCidr;
  const pid = pair('peer', f.peerIkeIdentityType, f.peerIkeIdentityValue);
  if (pid) peer['ike_identity'] = pid;
  if (f.peerAddress) peer['address'] = f.peerAddress;
  if (f.peerFqdn) peer['fqdn'] = f.peerFqdn;
  if (Object.keys(peer).length) body['peer'] = peer;
  if (f.psk !== undefined) body['psk'] = f.psk;
  if (f.name !== undefined) body['name'] = f.name;
  return body;
}
