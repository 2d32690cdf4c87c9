import { countGatewaysOnSubnet } from '../store/gateway-store.js';
import { referrers } from '../store/extras-store.js';
import { interfaceOfSubnet, subnetEndpointGroups } from '../store/router-store.js';
import type { Executor } from '../store/schema.js';

/** Why a subnet cannot go (a gateway, a router interface, a dialect's reference, an endpoint group), if it cannot. */
export async function subnetUse(ex: Executor, subnetId: string): Promise<string | undefined> {
  if ((await countGatewaysOnSubnet(ex, subnetId)) > 0) return `Subnet ${subnetId} hosts a VPN gateway.`;
  const iface = await interfaceOfSubnet(ex, subnetId);
  if (iface) return `Unable to complete operation on subnet ${subnetId}: One or more ports have an IP allocation from this subnet (router ${iface.routerId}).`;
  const [by] = await referrers(ex, { resource: 'subnet', id: subnetId });
  if (by) return `Subnet ${subnetId} is used by ${by.resource === 'vpn_gateway' ? 'VPN gateway' : by.resource} ${by.id}`;
  const groups = await subnetEndpointGroups(ex, subnetId);
  if (groups.length > 0) return `Subnet ${subnetId} is used by endpoint group ${groups[0]}`;
  return undefined;
}
