import { pickAddresses, POOL_RESERVED_LOW } from '../domain/address-pool.js';
import { cidrContainsAddress, lastAddress, parseAddress } from '../domain/cidr.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID, type Router } from '../domain/neutron-core.js';
import type { Actor } from '../domain/tenancy.js';
import { deletePublicIpsOf, getVpc, insertPublicIp, usedPublicIps } from '../store/network-store.js';
import {
  deleteRouterRow, getRouter, insertRouter, interfacesOfRouter, listInterfaces, listRouters, routerSubnetIds, saveRouter, vpnservicesOfRouter,
} from '../store/router-store.js';
import type { Executor } from '../store/schema.js';
import { listScope } from './access.js';
import type { ControlDeps } from './control-deps.js';
import { coreBadRequest, coreInUse, coreNotFound, seenBy } from './neutron-faults.js';

export { PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID } from '../domain/neutron-core.js';
export type { Router } from '../domain/neutron-core.js';

/** A router as the actor may see it: the record (gateway state included) and the subnets joined to it. */
export interface RouterView {
  readonly router: Router;
  readonly subnetIds: readonly string[];
}

/** The external gateway asked for: the network (only `public`), and optionally the address (admin only; the API checks). */
export interface GatewayInput {
  readonly networkId: string;
  readonly enableSnat?: boolean;
  readonly fixedIps?: readonly { readonly subnetId?: string; readonly ipAddress?: string }[];
}

export interface RouterInput {
  readonly accountId: string;
  readonly name: string;
  readonly description: string;
  readonly adminStateUp: boolean;
  readonly gateway: GatewayInput | null;
}

export interface RouterPatch {
  readonly name?: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  /** undefined: unchanged; null: cleared. */
  readonly gateway?: GatewayInput | null;
}

/** A router the actor may see, or 404 RouterNotFound. */
export async function getRouterView(deps: ControlDeps, actor: Actor, routerId: string): Promise<RouterView> {
  const router = seenBy(actor, await getRouter(deps.db, routerId));
  if (!router) throw coreNotFound('router', routerId);
  return { router, subnetIds: await routerSubnetIds(deps.db, routerId) };
}

export async function listRouterViews(deps: ControlDeps, actor: Actor): Promise<RouterView[]> {
  const scope = listScope(actor);
  const ifaces = await listInterfaces(deps.db, scope);
  return (await listRouters(deps.db, scope)).map((router) => ({ router, subnetIds: ifaces.filter((i) => i.routerId === router.id).map((i) => i.subnetId) }));
}

export async function createRouter(deps: ControlDeps, actor: Actor, input: RouterInput): Promise<RouterView> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const base: Router = {
      id: newId(), accountId: input.accountId, name: input.name, description: input.description, adminStateUp: input.adminStateUp,
      externalNetworkId: null, externalIp: null, createdAt: now, updatedAt: now,
    };
    const router = { ...base, ...(await applyGateway(trx, deps, actor, base, input.gateway)) };
    await insertRouter(trx, router);
    return { router, subnetIds: [] };
  });
}

export async function updateRouter(deps: ControlDeps, actor: Actor, routerId: string, patch: RouterPatch): Promise<RouterView> {
  return deps.db.transaction().execute(async (trx) => {
    const current = seenBy(actor, await getRouter(trx, routerId));
    if (!current) throw coreNotFound('router', routerId);
    let router: Router = {
      ...current, ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.adminStateUp !== undefined ? { adminStateUp: patch.adminStateUp } : {}),
    };
    if (patch.gateway !== undefined) router = { ...router, ...(await applyGateway(trx, deps, actor, current, patch.gateway)) };
    if (JSON.stringify(router) !== JSON.stringify(current)) {
      router = { ...router, updatedAt: deps.clock.now() };
      await saveRouter(trx, router);
    }
    return { router, subnetIds: await routerSubnetIds(trx, routerId) };
  });
}

/** Refused while the router has interfaces or vpnservices; releases the gateway address. */
export async function removeRouter(deps: ControlDeps, actor: Actor, routerId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const router = seenBy(actor, await getRouter(trx, routerId));
    if (!router) throw coreNotFound('router', routerId);
    if ((await interfacesOfRouter(trx, routerId)).length > 0) throw coreInUse('router', `Router ${routerId} still has ports`);
    const services = await vpnservicesOfRouter(trx, routerId);
    if (services.length > 0) throw coreInUse('router', `Router ${routerId} is currently used by VPN service(s) ${services.map((s) => s.gatewayId).join(', ')}`);
    await deletePublicIpsOf(trx, routerId);
    await deleteRouterRow(trx, routerId);
  });
}

/** The gateway fields after setting (or clearing) the gateway; allocates or releases the public address. */
async function applyGateway(trx: Executor, deps: ControlDeps, actor: Actor, router: Router, gw: GatewayInput | null): Promise<Pick<Router, 'externalNetworkId' | 'externalIp'>> {
  if (gw === null) {
    if (router.externalIp === null) return { externalNetworkId: null, externalIp: null };
    const services = await vpnservicesOfRouter(trx, router.id);
    if (services.length > 0) throw coreInUse('router', `Router ${router.id} is currently used by VPN service(s) ${services.map((s) => s.gatewayId).join(', ')}`);
    await deletePublicIpsOf(trx, router.id);
    return { externalNetworkId: null, externalIp: null };
  }
  if (gw.networkId !== PUBLIC_NETWORK_ID) {
    if (seenBy(actor, await getVpc(trx, gw.networkId))) throw coreBadRequest('external_gateway_info', `Bad router request: Network ${gw.networkId} is not an external network.`);
    throw coreNotFound('network', gw.networkId);
  }
  if (gw.enableSnat === false) throw coreBadRequest('external_gateway_info', 'Invalid input for external_gateway_info. Reason: enable_snat false is not supported; the gateway always translates.');
  const fixed = gw.fixedIps ?? [];
  if (fixed.length > 1) throw coreBadRequest('external_gateway_info', 'Invalid input for external_gateway_info. Reason: a router gateway has one external fixed IP.');
  const ask = fixed[0];
  if (ask?.subnetId !== undefined && ask.subnetId !== PUBLIC_SUBNET_ID) {
    throw coreBadRequest('external_gateway_info', `Bad router request: Subnet ${ask.subnetId} is not on the external network ${PUBLIC_NETWORK_ID}.`);
  }
  const wanted = ask?.ipAddress;
  if (router.externalIp !== null && (wanted === undefined || wanted === router.externalIp)) return { externalNetworkId: PUBLIC_NETWORK_ID, externalIp: router.externalIp };
  const pool = deps.settings.publicPool;
  const used = await usedPublicIps(trx);
  if (router.externalIp !== null) used.delete(router.externalIp);
  let address: string;
  if (wanted !== undefined) {
    const a = parseAddress(wanted);
    if (!a || !cidrContainsAddress(pool, a.family, a.value) || a.value < pool.network + BigInt(POOL_RESERVED_LOW) || a.value === lastAddress(pool)) {
      throw coreBadRequest('external_gateway_info', `Invalid input for external_gateway_info. Reason: ${wanted} is not a usable address of subnet ${PUBLIC_SUBNET_ID} (${pool.text}).`);
    }
    if (used.has(wanted)) throw new DomainError('public_ip_exhausted', `IP address ${wanted} already allocated in subnet ${PUBLIC_SUBNET_ID}`, { type: 'field', name: 'ip_address', value: wanted });
    address = wanted;
  } else {
    const [picked] = pickAddresses(pool, used, 1, POOL_RESERVED_LOW);
    if (picked === undefined) throw new DomainError('public_ip_exhausted', `No more IP addresses available on network ${PUBLIC_NETWORK_ID}.`, { type: 'field', name: 'network' });
    address = picked;
  }
  await deletePublicIpsOf(trx, router.id);
  await insertPublicIp(trx, address, router.id, 0);
  return { externalNetworkId: PUBLIC_NETWORK_ID, externalIp: address };
}
