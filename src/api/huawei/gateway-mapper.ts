import type { Static } from 'typebox';
import { createHash } from 'node:crypto';
import type { GatewayView } from '../../control/index.js';
import type { VpnGateway } from '../../domain/gateway.js';
import type { GatewayCreate, GatewayWire } from './gateway-schema.js';
import { huaweiTime } from './huawei-deps.js';
import { GATEWAY_DEFAULTS, lifecycleStatus } from './huawei-rules.js';

/** Huawei's extras on a gateway: what v5 shows that the domain does not hold. */
export interface GatewayExtras {
  readonly localSubnets: readonly string[];
  readonly haMode: string;
  readonly bgpAsn: number;
  readonly flavor: string;
  readonly zones: readonly string[];
  readonly enterpriseProjectId: string;
  readonly eips: readonly { chargeMode: string; bandwidthSize: number; bandwidthName: string; type: string }[];
  readonly tags: readonly { key: string; value: string }[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Extras parsed defensively (a gateway made by another dialect has none). */
export function gatewayExtrasOf(x: Readonly<Record<string, unknown>> | undefined, gw: VpnGateway): GatewayExtras {
  const eips = Array.isArray(x?.['eips']) ? (x['eips'] as GatewayExtras['eips']) : [];
  return {
    localSubnets: strings(x?.['localSubnets']),
    haMode: typeof x?.['haMode'] === 'string' ? x['haMode'] : GATEWAY_DEFAULTS.ha_mode,
    bgpAsn: typeof x?.['bgpAsn'] === 'number' ? x['bgpAsn'] : gw.localAsn,
    flavor: typeof x?.['flavor'] === 'string' ? x['flavor'] : GATEWAY_DEFAULTS.flavor,
    zones: x?.['zones'] ? strings(x['zones']) : [gw.zone],
    enterpriseProjectId: typeof x?.['enterpriseProjectId'] === 'string' ? x['enterpriseProjectId'] : '0',
    eips,
    tags: Array.isArray(x?.['tags']) ? (x['tags'] as GatewayExtras['tags']) : [],
  };
}

export function gatewayExtrasIn(b: Static<typeof GatewayCreate>['vpn_gateway'], zone: string): GatewayExtras {
  return {
    localSubnets: b.local_subnets ?? [],
    haMode: b.ha_mode ?? GATEWAY_DEFAULTS.ha_mode,
    bgpAsn: b.bgp_asn ?? GATEWAY_DEFAULTS.bgp_asn,
    flavor: b.flavor ?? GATEWAY_DEFAULTS.flavor,
    zones: b.availability_zone_ids ?? [zone],
    enterpriseProjectId: b.enterprise_project_id ?? '0',
    eips: [b.eip1, b.eip2].map((e) => ({
      chargeMode: e?.charge_mode ?? 'bandwidth',
      bandwidthSize: e?.bandwidth_size ?? 10,
      bandwidthName: e?.bandwidth_name ?? '',
      type: e?.type ?? '5_bgp',
    })),
    tags: b.tags ?? [],
  };
}

export const gatewayExtras = (x: GatewayExtras) => ({ dialect: 'huawei', data: { ...x } });

/** A stable, UUID-shaped id for the EIP of member `index` (`vgw_ip` names it). */
export function eipId(gatewayId: string, index: 1 | 2): string {
  const h = createHash('sha256').update(`${gatewayId}/eip${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The member whose EIP id is `vgw_ip` (with a public IP), if any. */
export function memberOfEip(gw: VpnGateway, vgwIp: string): 1 | 2 | undefined {
  return gw.members.find((m) => m.publicIp !== null && eipId(gw.id, m.index) === vgwIp.toLowerCase())?.index;
}

/** B3 status from the domain's lifecycle. */
export const gatewayStatus = (gw: VpnGateway): string => lifecycleStatus(gw.lifecycleState, 'FAULT', () => 'ACTIVE');

export function gatewayView(v: GatewayView, quota: number, full = true): GatewayWire {
  const gw = v.gateway;
  const x = gatewayExtrasOf(v.extras, gw);
  const status = gatewayStatus(gw);
  const eip = (i: 1 | 2) => {
    const m = gw.members.find((mm) => mm.index === i);
    const e = x.eips[i - 1];
    if (!m || m.publicIp === null) return {};
    return {
      [`eip${i}`]: {
        id: eipId(gw.id, i),
        ip_version: 4,
        type: e?.type ?? '5_bgp',
        ip_address: m.publicIp,
        charge_mode: e?.chargeMode ?? 'bandwidth',
        bandwidth_size: e?.bandwidthSize ?? 10,
        bandwidth_name: e?.bandwidthName ?? '',
        share_type: 'PER',
      },
    };
  };
  return {
    id: gw.id,
    name: gw.name,
    network_type: 'public',
    attachment_type: 'vpc',
    ip_version: 'ipv4',
    vpc_id: gw.vpcId,
    local_subnets: [...x.localSubnets],
    connect_subnet: gw.subnetId,
    bgp_asn: x.bgpAsn,
    flavor: x.flavor,
    availability_zone_ids: [...x.zones],
    enterprise_project_id: x.enterpriseProjectId,
    access_vpc_id: gw.vpcId,
    access_subnet_id: gw.subnetId,
    ha_mode: x.haMode,
    tags: [...x.tags],
    // The create answer is a subset (B3): no status, EIPs, counts or times.
    ...(full
      ? {
          status,
          connection_number: quota,
          used_connection_number: v.connections.length,
          used_connection_group: v.connections.length,
          // Clients read eip1.id once the gateway is ACTIVE (B11).
          ...(status === 'ACTIVE' ? { ...eip(1), ...eip(2) } : {}),
          created_at: huaweiTime(gw.createdAt),
          updated_at: huaweiTime(gw.updatedAt),
        }
      : {}),
  };
}
