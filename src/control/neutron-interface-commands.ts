import { cidrsOverlap, parseCidr } from '../domain/cidr.js';
import { newId } from '../domain/ids.js';
import { PUBLIC_SUBNET_ID } from '../domain/neutron-core.js';
import type { Actor, Subnet } from '../domain/tenancy.js';
import { getSubnet, getSubnets } from '../store/network-store.js';
import {
  connectionsWithLocalSubnet, deleteInterface, getInterface, getRouter, insertInterface, interfaceOfSubnet, interfacesOfRouter, vpnservicesOfRouter,
} from '../store/router-store.js';
import type { ControlDeps } from './control-deps.js';
import { coreBadRequest, coreInUse, coreNotFound, seenBy } from './neutron-faults.js';

/** What add/remove_router_interface answer: the router, the subnet, the interface's port and network, the router's owner. */
export interface InterfaceInfo {
  readonly routerId: string;
  readonly subnetId: string;
  readonly portId: string;
  readonly networkId: string;
  readonly accountId: string;
}

/**
 * Joins a subnet to a router. A subnet sits on one router only (409 on a second router, as IBM keeps one
 * VPC per subnet); subnets on one router must not overlap (400, as Neutron).
 */
export async function addRouterInterface(deps: ControlDeps, actor: Actor, routerId: string, subnetId: string): Promise<InterfaceInfo> {
  return deps.db.transaction().execute(async (trx) => {
    const router = seenBy(actor, await getRouter(trx, routerId));
    if (!router) throw coreNotFound('router', routerId);
    if (subnetId === PUBLIC_SUBNET_ID) throw coreBadRequest('subnet_id', `Bad router request: Subnet ${subnetId} is on the external network; set it as the router's external gateway instead.`);
    const subnet = seenBy(actor, await getSubnet(trx, subnetId));
    if (!subnet) throw coreNotFound('subnet', subnetId);
    const existing = await interfaceOfSubnet(trx, subnetId);
    if (existing?.routerId === routerId) throw coreBadRequest('subnet_id', `Bad router request: Router already has a port on subnet ${subnetId}.`);
    if (existing) throw coreInUse('subnet', `Subnet ${subnetId} is already attached to router ${existing.routerId}; a subnet can be on one router only.`);
    const joined = await getSubnets(trx, (await interfacesOfRouter(trx, routerId)).map((i) => i.subnetId));
    const mine = parseCidr(subnet.cidr);
    for (const other of joined) {
      const o = parseCidr(other.cidr);
      if (mine.ok && o.ok && cidrsOverlap(mine.cidr, o.cidr)) {
        throw coreBadRequest('subnet_id', `Bad router request: Cidr ${subnet.cidr} of subnet ${subnetId} overlaps with cidr ${other.cidr} of subnet ${other.id}.`);
      }
    }
    const portId = newId();
    await insertInterface(trx, { portId, routerId, subnetId, createdAt: deps.clock.now() });
    return { routerId, subnetId, portId, networkId: subnet.vpcId, accountId: router.accountId };
  });
}

/**
 * Detaches by subnet or by port (both: they must agree). Refused (409) while a vpnservice of this router
 * has that subnet as its legacy subnet, or a connection of one has it in its local endpoint group.
 */
export async function removeRouterInterface(deps: ControlDeps, actor: Actor, routerId: string, by: { subnetId?: string; portId?: string }): Promise<InterfaceInfo> {
  return deps.db.transaction().execute(async (trx) => {
    const router = seenBy(actor, await getRouter(trx, routerId));
    if (!router) throw coreNotFound('router', routerId);
    let subnet: Subnet | undefined;
    if (by.subnetId !== undefined) {
      subnet = seenBy(actor, await getSubnet(trx, by.subnetId));
      if (!subnet) throw coreNotFound('subnet', by.subnetId);
    }
    let iface;
    if (by.portId !== undefined) {
      iface = await getInterface(trx, by.portId);
      if (!iface || iface.routerId !== routerId) throw coreNotFound('router_interface', by.portId, `Router ${routerId} does not have an interface with id ${by.portId}`);
      if (by.subnetId !== undefined && iface.subnetId !== by.subnetId) {
        throw coreBadRequest('subnet_id', `Subnet on port ${by.portId} does not match the requested subnet ${by.subnetId}.`);
      }
    } else if (by.subnetId !== undefined) {
      iface = await interfaceOfSubnet(trx, by.subnetId);
      if (!iface || iface.routerId !== routerId) throw coreNotFound('router_interface', by.subnetId, `Router ${routerId} has no interface on subnet ${by.subnetId}`);
    } else {
      throw coreBadRequest('subnet_id', 'Bad router request: Either subnet_id or port_id must be specified.');
    }
    const sid = iface.subnetId;
    const service = (await vpnservicesOfRouter(trx, routerId)).find((s) => s.subnetId === sid);
    if (service) throw coreInUse('subnet', `Subnet ${sid} is used by VPNService ${service.gatewayId}`);
    const [conn] = await connectionsWithLocalSubnet(trx, routerId, sid);
    if (conn) throw coreInUse('subnet', `Subnet ${sid} is used by ipsec site connection ${conn}`);
    subnet ??= await getSubnet(trx, sid);
    await deleteInterface(trx, iface.portId);
    return { routerId, subnetId: sid, portId: iface.portId, networkId: subnet?.vpcId ?? '', accountId: router.accountId };
  });
}
