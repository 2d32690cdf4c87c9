import { pickAddresses, POOL_RESERVED_LOW } from '../domain/address-pool.js';
import { cidrContainsAddress, cidrsOverlap, lastAddress, parseAddress, parseCidr } from '../domain/cidr.js';
import { DomainError, inUse, notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID, type Router } from '../domain/router.js';
import type { Subnet } from '../domain/tenancy.js';
import { deletePublicIpsOf, getSubnet, getSubnets, insertPublicIp, usedPublicIps } from '../store/network-store.js';
import {
  connectionsWithGroupSubnet,
  deleteInterface,
  deleteRouterRow,
  getInterface,
  getRouter,
  insertInterface,
  interfaceOfSubnet,
  interfacesOfRouter,
  insertRouter,
  saveRouter,
} from '../store/router-store.js';
import { ownerFor, visibleTo } from './access.js';
import { assertUnreferenced } from './extras.js';
import { routerView, type RouterView } from './router-queries.js';
import type { Tx } from './tx.js';

/** The external gateway asked for: on the public network, optionally at a given address (the dialect decides who may ask for one). */
export interface ExternalGatewayInput {
  readonly address?: string;
}

export interface RouterInput {
  readonly accountId?: string;
  readonly name: string;
  readonly description: string;
  readonly adminStateUp: boolean;
  readonly externalGateway: ExternalGatewayInput | null;
}

export interface RouterPatch {
  readonly name?: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  /** undefined: unchanged; null: cleared. */
  readonly externalGateway?: ExternalGatewayInput | null;
}

/** What add/remove interface answer: the router, the subnet, the interface's port and network, the router's owner. */
export interface InterfaceInfo {
  readonly routerId: string;
  readonly subnetId: string;
  readonly portId: string;
  readonly networkId: string;
  readonly accountId: string;
}

const usedBy = (routerId: string) => (by: { resource: string; id: string }) =>
  `Router ${routerId} is currently used by ${by.resource === 'vpn_gateway' ? 'VPN gateway' : by.resource} ${by.id}.`;

/** The gateway fields after setting (or clearing) the external gateway; allocates or releases its public address. */
async function applyGateway(tx: Tx, router: Router, gw: ExternalGatewayInput | null): Promise<Pick<Router, 'externalNetworkId' | 'externalIp'>> {
  if (gw === null) {
    if (router.externalIp === null) return { externalNetworkId: null, externalIp: null };
    await assertUnreferenced(tx, 'router', router.id, usedBy(router.id));
    await deletePublicIpsOf(tx.ex, router.id);
    return { externalNetworkId: null, externalIp: null };
  }
  const wanted = gw.address;
  if (router.externalIp !== null && (wanted === undefined || wanted === router.externalIp))
    return { externalNetworkId: PUBLIC_NETWORK_ID, externalIp: router.externalIp };
  const pool = tx.settings.publicPool;
  const used = await usedPublicIps(tx.ex);
  if (router.externalIp !== null) used.delete(router.externalIp);
  let address: string;
  if (wanted !== undefined) {
    const a = parseAddress(wanted);
    if (!a || !cidrContainsAddress(pool, a.family, a.value) || a.value < pool.network + BigInt(POOL_RESERVED_LOW) || a.value === lastAddress(pool)) {
      throw new DomainError('invalid_value', `${wanted} is not a usable address of the public pool ${PUBLIC_SUBNET_ID} (${pool.text}).`, {
        type: 'field',
        name: 'externalGateway.address',
        value: wanted,
      });
    }
    if (used.has(wanted))
      throw new DomainError('public_ip_exhausted', `IP address ${wanted} already allocated in subnet ${PUBLIC_SUBNET_ID}`, {
        type: 'field',
        name: 'externalGateway.address',
        value: wanted,
      });
    address = wanted;
  } else {
    const [picked] = pickAddresses(pool, used, 1, POOL_RESERVED_LOW);
    if (picked === undefined)
      throw new DomainError('public_ip_exhausted', `No more IP addresses available on network ${PUBLIC_NETWORK_ID}.`, {
        type: 'field',
        name: 'externalGateway',
      });
    address = picked;
  }
  await deletePublicIpsOf(tx.ex, router.id);
  await insertPublicIp(tx.ex, address, router.id, 0);
  return { externalNetworkId: PUBLIC_NETWORK_ID, externalIp: address };
}

export async function createRouter(tx: Tx, input: RouterInput): Promise<RouterView> {
  const now = tx.now();
  const base: Router = {
    id: newId(),
    accountId: ownerFor(tx.actor, input.accountId),
    name: input.name,
    description: input.description,
    adminStateUp: input.adminStateUp,
    externalNetworkId: null,
    externalIp: null,
    createdAt: now,
    updatedAt: now,
    revision: 0,
  };
  const router = { ...base, ...(await applyGateway(tx, base, input.externalGateway)) };
  await insertRouter(tx.ex, router);
  tx.record({ resource: 'router', id: router.id, action: 'created', gatewayIds: [] });
  return { router, subnetIds: [], routes: [] };
}

export async function updateRouter(tx: Tx, routerId: string, patch: RouterPatch): Promise<RouterView> {
  const current = visibleTo(tx.actor, await getRouter(tx.ex, routerId), 'router', routerId);
  let router: Router = {
    ...current,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.adminStateUp !== undefined ? { adminStateUp: patch.adminStateUp } : {}),
  };
  if (patch.externalGateway !== undefined) router = { ...router, ...(await applyGateway(tx, current, patch.externalGateway)) };
  if (JSON.stringify(router) !== JSON.stringify(current)) {
    router = { ...router, updatedAt: tx.now() };
    await saveRouter(tx.ex, router, current.revision);
    tx.record({ resource: 'router', id: routerId, action: 'updated', gatewayIds: [] });
  }
  return routerView(tx, router);
}

/** Refused while the router has interfaces or something placed on it; releases the gateway address. */
export async function removeRouter(tx: Tx, routerId: string): Promise<void> {
  visibleTo(tx.actor, await getRouter(tx.ex, routerId), 'router', routerId);
  if ((await interfacesOfRouter(tx.ex, routerId)).length > 0) throw inUse('router', routerId, `Router ${routerId} still has ports`);
  await assertUnreferenced(tx, 'router', routerId, usedBy(routerId));
  await deletePublicIpsOf(tx.ex, routerId);
  await deleteRouterRow(tx.ex, routerId);
  tx.record({ resource: 'router', id: routerId, action: 'deleted', gatewayIds: [] });
}

/**
 * Joins a subnet to a router. A subnet sits on one router only (409 on a second router, as IBM keeps one
 * VPC per subnet); subnets on one router must not overlap.
 */
export async function addRouterInterface(tx: Tx, routerId: string, subnetId: string): Promise<InterfaceInfo> {
  const router = visibleTo(tx.actor, await getRouter(tx.ex, routerId), 'router', routerId);
  if (subnetId === PUBLIC_SUBNET_ID)
    throw new DomainError('invalid_value', `Subnet ${subnetId} is on the external network; set it as the router's external gateway instead.`, {
      type: 'field',
      name: 'subnetId',
    });
  const subnet = visibleTo(tx.actor, await getSubnet(tx.ex, subnetId), 'subnet', subnetId);
  const existing = await interfaceOfSubnet(tx.ex, subnetId);
  if (existing?.routerId === routerId)
    throw new DomainError('invalid_value', `Router already has a port on subnet ${subnetId}.`, { type: 'field', name: 'subnetId' });
  if (existing) throw inUse('subnet', subnetId, `Subnet ${subnetId} is already attached to router ${existing.routerId}; a subnet can be on one router only.`);
  const joined = await getSubnets(
    tx.ex,
    (await interfacesOfRouter(tx.ex, routerId)).map((i) => i.subnetId),
  );
  const mine = parseCidr(subnet.cidr);
  for (const other of joined) {
    const o = parseCidr(other.cidr);
    if (mine.ok && o.ok && cidrsOverlap(mine.cidr, o.cidr)) {
      throw new DomainError('cidr_overlap', `Cidr ${subnet.cidr} of subnet ${subnetId} overlaps with cidr ${other.cidr} of subnet ${other.id}.`, {
        type: 'field',
        name: 'subnetId',
      });
    }
  }
  const portId = newId();
  await insertInterface(tx.ex, { portId, routerId, subnetId, createdAt: tx.now() });
  tx.record({ resource: 'router', id: routerId, action: 'updated', gatewayIds: [] });
  return { routerId, subnetId, portId, networkId: subnet.vpcId, accountId: router.accountId };
}

/**
 * Detaches by subnet or by port (both: they must agree). Refused while a gateway placed on this router
 * has the subnet as its own subnet, or one of their connections has it in a subnet group.
 */
export async function removeRouterInterface(tx: Tx, routerId: string, by: { subnetId?: string; portId?: string }): Promise<InterfaceInfo> {
  const router = visibleTo(tx.actor, await getRouter(tx.ex, routerId), 'router', routerId);
  let subnet: Subnet | undefined;
  if (by.subnetId !== undefined) subnet = visibleTo(tx.actor, await getSubnet(tx.ex, by.subnetId), 'subnet', by.subnetId);
  let iface;
  if (by.portId !== undefined) {
    iface = await getInterface(tx.ex, by.portId);
    if (!iface || iface.routerId !== routerId)
      throw notFound('router_interface', by.portId, `Router ${routerId} does not have an interface with id ${by.portId}`);
    if (by.subnetId !== undefined && iface.subnetId !== by.subnetId) {
      throw new DomainError('invalid_value', `Subnet on port ${by.portId} does not match the requested subnet ${by.subnetId}.`, {
        type: 'field',
        name: 'subnetId',
      });
    }
  } else if (by.subnetId !== undefined) {
    iface = await interfaceOfSubnet(tx.ex, by.subnetId);
    if (!iface || iface.routerId !== routerId) throw notFound('router_interface', by.subnetId, `Router ${routerId} has no interface on subnet ${by.subnetId}`);
  } else {
    throw new DomainError('invalid_value', 'Either subnet_id or port_id must be specified.', { type: 'field', name: 'subnetId' });
  }
  const sid = iface.subnetId;
  await assertUnreferenced(tx, 'subnet', sid, (r) => `Subnet ${sid} is used by ${r.resource === 'vpn_gateway' ? 'VPN gateway' : r.resource} ${r.id}`);
  const [conn] = await connectionsWithGroupSubnet(tx.ex, routerId, sid);
  if (conn) throw inUse('subnet', sid, `Subnet ${sid} is used by connection ${conn}`);
  subnet ??= await getSubnet(tx.ex, sid);
  await deleteInterface(tx.ex, iface.portId);
  tx.record({ resource: 'router', id: routerId, action: 'updated', gatewayIds: [] });
  return { routerId, subnetId: sid, portId: iface.portId, networkId: subnet?.vpcId ?? '', accountId: router.accountId };
}
