import type { GatewayView } from '../../control/index.js';
import type { HealthState, LifecycleState } from '../../domain/tenancy.js';
import { connectionRefs } from './policy-mapper.js';
import { reasonsToWire } from './connection-mapper.js';
import type { IbmRefs } from './ibm-refs.js';
import { VERSION_LIFECYCLE_ONLY } from './ibm-version.js';

/** IBM's mapping of lifecycle and health to the `status` that versions before 2023-10-10 show. */
export function legacyStatus(lifecycle: LifecycleState, health: HealthState): string {
  if (lifecycle === 'deleting') return 'deleting';
  if (lifecycle === 'pending' || lifecycle === 'updating' || lifecycle === 'waiting') return 'pending';
  if (lifecycle === 'failed' || lifecycle === 'suspended' || health === 'faulted') return 'failed';
  return 'available';
}

export function gatewayToWire(refs: IbmRefs, version: string, v: GatewayView) {
  const g = v.gateway;
  const old = version < VERSION_LIFECYCLE_ONLY;
  return {
    connections: connectionRefs(refs, v.connections),
    created_at: refs.time(g.createdAt),
    crn: refs.crn(g.accountId, 'vpn', g.id),
    health_reasons: reasonsToWire(refs, g.healthReasons),
    health_state: g.healthState,
    href: refs.gateway(g.id),
    id: g.id,
    lifecycle_reasons: [],
    lifecycle_state: g.lifecycleState,
    members: g.members.map((m) => ({
      health_reasons: reasonsToWire(refs, m.healthReasons),
      health_state: m.healthState,
      lifecycle_reasons: [],
      lifecycle_state: m.lifecycleState,
      private_ip: {
        address: m.privateIp.address,
        href: refs.reservedIp(g.subnetId, m.privateIp.id),
        id: m.privateIp.id,
        name: `${g.name}-member-${m.index}`,
        resource_type: 'subnet_reserved_ip' as const,
      },
      public_ip: { address: m.publicIp ?? '0.0.0.0' },
      role: m.role,
      // Every version: the member's status (available, deleting, failed, pending) follows a failover.
      status: legacyStatus(m.lifecycleState, m.healthState),
    })),
    mode: g.mode,
    name: g.name,
    resource_group: refs.group(v.resourceGroup),
    resource_type: 'vpn_gateway' as const,
    ...(old ? { status: legacyStatus(g.lifecycleState, g.healthState) } : {}),
    subnet: {
      crn: refs.crn(g.accountId, 'subnet', g.subnetId),
      href: refs.subnet(g.subnetId),
      id: g.subnetId,
      name: v.subnet.name,
      resource_type: 'subnet' as const,
    },
    vpc: { crn: refs.crn(g.accountId, 'vpc', g.vpcId), href: refs.vpc(g.vpcId), id: g.vpcId, name: v.vpc.name, resource_type: 'vpc' as const },
    ...(g.mode === 'route' ? { local_asn: g.localAsn, advertised_cidrs: [...g.advertisedCidrs] } : {}),
  };
}
