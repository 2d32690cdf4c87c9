import type { ConnectionInput, ConnectionView, ExtrasData, IkeContent, IpsecContent } from '../../control/index.js';
import { parseCidr } from '../../domain/cidr.js';
import { DH_GROUPS, type Cipher, type Integrity, type PfsGroup } from '../../domain/crypto-catalogue.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import { AUTO_PROPOSALS } from '../../domain/proposals.js';
import { invalidParameter } from './cloudca-errors.js';
import {
  CIPHER_SPELLINGS,
  CIPHER_TEXT,
  type CloudcaState,
  DEFAULT_IKE_GROUP,
  DPD_OFF,
  DPD_ON,
  GROUP_SPELLINGS,
  GROUP_TEXT,
  HASH_SPELLINGS,
  HASH_TEXT,
  IKE_VERSION,
  normalizeSpelling,
} from './cloudca-rules.js';
import type { SiteToSiteVpnCreateWire, SiteToSiteVpnWire } from './sitetositevpn-schema.js';

/** What cloud.ca keeps of its own on a connection: the CIDR as sent (host bits included) and forceEncap (older records also name their policies). */
export interface ConnectionExtras {
  readonly cidr?: string;
  readonly forceEncap?: boolean;
  readonly ikePolicyId?: string;
  readonly ipsecPolicyId?: string;
}
/** What it keeps on a VPC's auto-made gateway: the VPC it serves. */
export interface GatewayExtras {
  readonly vpcId: string;
}

export function readConnectionExtras(x: ExtrasData | undefined): ConnectionExtras {
  const o = (x ?? {}) as Record<string, unknown>;
  return {
    ...(typeof o['cidr'] === 'string' ? { cidr: o['cidr'] } : {}),
    ...(typeof o['forceEncap'] === 'boolean' ? { forceEncap: o['forceEncap'] } : {}),
    ...(typeof o['ikePolicyId'] === 'string' ? { ikePolicyId: o['ikePolicyId'] } : {}),
    ...(typeof o['ipsecPolicyId'] === 'string' ? { ipsecPolicyId: o['ipsecPolicyId'] } : {}),
  };
}
export function gatewayVpcOf(x: ExtrasData | undefined): string | undefined {
  const v = x?.['vpcId'];
  return typeof v === 'string' ? v : undefined;
}

function spelled<T>(table: Readonly<Record<string, T>>, field: string, value: string, text: string): T {
  const v = table[normalizeSpelling(value)];
  if (v === undefined) throw invalidParameter(field, `${field} '${value.slice(0, 40)}' is not supported: use ${text}.`, value);
  return v;
}

/** The request's CIDR as a network (CloudStack accepts host bits and uses the network). */
export function peerNetwork(cidr: string): string {
  const p = parseCidr(cidr);
  if (!p.ok || p.cidr.family !== 4) throw invalidParameter('cidr', `cidr '${cidr.slice(0, 64)}' is not a valid IPv4 CIDR.`, cidr);
  return p.cidr.text;
}

/** The parts a create is made of: two policies of its own, the connection (less its gateway and local side) and the extras. */
export interface CreatePlan {
  readonly ike: IkeContent;
  readonly ipsec: IpsecContent;
  readonly connection: Pick<
    ConnectionInput,
    'name' | 'psk' | 'peer' | 'peerCidrs' | 'dpd' | 'peerIdentity' | 'localIdentities' | 'establishMode' | 'adminStateUp'
  >;
  readonly extras: ConnectionExtras;
}

export function createPlan(b: SiteToSiteVpnCreateWire): CreatePlan {
  const ikeGroup = b.ikeDhGroup === undefined ? DEFAULT_IKE_GROUP : spelled(GROUP_SPELLINGS, 'ikeDhGroup', b.ikeDhGroup, GROUP_TEXT);
  if (ikeGroup === 'none')
    throw invalidParameter('ikeDhGroup', 'ikeDhGroup None is not supported: IKE (phase 1) always needs a DH group; use Group-2 or Group-5.', 'None');
  const pfs: PfsGroup =
    b.espPerfectForwardSecrecy === undefined ? 'none' : spelled(GROUP_SPELLINGS, 'espPerfectForwardSecrecy', b.espPerfectForwardSecrecy, GROUP_TEXT);
  const network = peerNetwork(b.cidr);
  return {
    ike: {
      ikeVersion: IKE_VERSION,
      encryption: [spelled<Cipher>(CIPHER_SPELLINGS, 'ikeEncryptionAlgorithm', b.ikeEncryptionAlgorithm, CIPHER_TEXT)],
      integrity: [spelled<Integrity>(HASH_SPELLINGS, 'ikeHashAlgorithm', b.ikeHashAlgorithm, HASH_TEXT)],
      dhGroups: [ikeGroup],
      lifetimeSeconds: b.ikeLifetime,
    },
    ipsec: {
      encryption: [spelled<Cipher>(CIPHER_SPELLINGS, 'espEncryptionAlgorithm', b.espEncryptionAlgorithm, CIPHER_TEXT)],
      integrity: [spelled<Integrity>(HASH_SPELLINGS, 'espHashAlgorithm', b.espHashAlgorithm, HASH_TEXT)],
      pfs: [pfs],
      lifetimeSeconds: b.espLifetime,
    },
    connection: {
      name: b.name,
      psk: b.ipSecPsk,
      peer: { address: b.gateway },
      peerCidrs: [network],
      dpd: b.dpd === true ? DPD_ON : DPD_OFF,
      peerIdentity: null,
      localIdentities: [],
      establishMode: 'bidirectional',
      adminStateUp: true,
    },
    extras: { cidr: b.cidr, forceEncap: b.forceEncap ?? false },
  };
}

/** Status reasons that mean the peer refused the configuration (IKE authentication, proposals, traffic selectors). */
export const REFUSED_REASONS: readonly string[] = [
  'cannot_authenticate_connection',
  'ike_policy_mismatch',
  'ipsec_policy_mismatch',
  'ike_v1_id_local_remote_cidr_mismatch',
  'ike_v2_local_remote_cidr_mismatch',
];

/** cloud.ca's state from the tunnel: Error (refused or failed), Connected (up), Pending (never up yet), Disconnected. */
export function stateOf(v: ConnectionView): CloudcaState {
  const c = v.connection;
  if (c.status === 'up') return 'Connected';
  if (c.lifecycleState === 'failed' || v.statusReasons.some((r) => REFUSED_REASONS.includes(r.code))) return 'Error';
  return c.firstUpAt === null ? 'Pending' : 'Disconnected';
}

const groupName = (g: PfsGroup | undefined): string => (g === undefined || g === 'none' ? 'none' : DH_GROUPS[g]);

/** A connection as cloud.ca shows it; the first of each algorithm list (a native policy may hold more). */
export function toWire(v: ConnectionView, vpcId: string, ike: IkePolicy | undefined, esp: IpsecPolicy | undefined): SiteToSiteVpnWire {
  const c = v.connection;
  const x = readConnectionExtras(v.extras);
  const auto = AUTO_PROPOSALS[c.autoSet];
  const ikeP = ike ?? { ...auto.ike };
  const espP = esp ?? { ...auto.esp, pfs: ['none'] as PfsGroup[] };
  const peerCidr = c.peerCidrs[0] ?? '';
  // The CIDR as sent, while it still names the connection's network (an edit elsewhere may have changed it).
  const cidr = x.cidr !== undefined && parseCidr(x.cidr).ok && (parseCidr(x.cidr) as { cidr: { text: string } }).cidr.text === peerCidr ? x.cidr : peerCidr;
  return {
    id: c.id,
    name: c.name,
    state: stateOf(v),
    vpcId,
    gateway: c.peer.address ?? c.peer.fqdn ?? '',
    cidr,
    ipSecPsk: c.psk,
    ikeEncryptionAlgorithm: ikeP.encryption[0] ?? '',
    ikeHashAlgorithm: ikeP.integrity[0] ?? '',
    ikeDhGroup: groupName(ikeP.dhGroups[0]),
    ikeLifetime: ikeP.lifetimeSeconds,
    espEncryptionAlgorithm: espP.encryption[0] ?? '',
    espHashAlgorithm: espP.integrity[0] ?? 'none',
    espPerfectForwardSecrecy: groupName(espP.pfs[0]),
    espLifetime: espP.lifetimeSeconds,
    dpd: c.dpd.action !== 'none',
    forceEncap: x.forceEncap ?? false,
  };
}
