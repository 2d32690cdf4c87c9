import { DomainError } from '../domain/errors.js';
import { gatewayIpOf, type Router } from '../domain/router.js';
import { getSubnet, getSubnets } from '../store/network-store.js';
import { getInterface, getRouter, listInterfaces, listRouters, routerForPlacement, routerSubnetIds } from '../store/router-store.js';
import { listScope, visibleTo } from './access.js';
import type { WriteOptions } from './extras.js';
import { createGateway } from './gateway-commands.js';
import type { GatewayView } from './gateway-queries.js';
import { type RouterRoute, routerRoutes } from './router-routes.js';
import type { Tx } from './tx.js';

/** A router as the actor may see it: the record (gateway state included) and the subnets joined to it. */
export interface RouterView {
  readonly router: Router;
  readonly subnetIds: readonly string[];
  /** Neutron's extra routes: the deliver routes of its VPC's default routing table (router-routes.ts). */
  readonly routes: readonly RouterRoute[];
}

/** A router interface seen as a port. */
export interface PortView {
  readonly portId: string;
  readonly routerId: string;
  readonly subnetId: string;
  readonly networkId: string;
  readonly accountId: string;
  /** The subnet's gateway address. */
  readonly ipAddress: string;
  readonly createdAt: number;
}

export async function routerView(tx: Tx, router: Router): Promise<RouterView> {
  return { router, subnetIds: await routerSubnetIds(tx.ex, router.id), routes: await routerRoutes(tx, router.id) };
}

export async function getRouterView(tx: Tx, routerId: string): Promise<RouterView> {
  return routerView(tx, visibleTo(tx.actor, await getRouter(tx.ex, routerId), 'router', routerId));
}

/** Every router in scope with its subnets (two queries). */
export async function listRouterViews(tx: Tx): Promise<RouterView[]> {
  const scope = listScope(tx.actor);
  const ifaces = await listInterfaces(tx.ex, scope);
  const out: RouterView[] = [];
  for (const router of await listRouters(tx.ex, scope)) {
    out.push({ router, subnetIds: ifaces.filter((i) => i.routerId === router.id).map((i) => i.subnetId), routes: await routerRoutes(tx, router.id) });
  }
  return out;
}

export async function listPortViews(tx: Tx): Promise<PortView[]> {
  const ifaces = await listInterfaces(tx.ex, listScope(tx.actor));
  const subnets = new Map(
    (
      await getSubnets(
        tx.ex,
        ifaces.map((i) => i.subnetId),
      )
    ).map((s) => [s.id, s]),
  );
  return ifaces.flatMap((i) => {
    const s = subnets.get(i.subnetId);
    return s
      ? [
          {
            portId: i.portId,
            routerId: i.routerId,
            subnetId: s.id,
            networkId: s.vpcId,
            accountId: i.accountId,
            ipAddress: gatewayIpOf(s.cidr),
            createdAt: i.createdAt,
          },
        ]
      : [];
  });
}

export async function getPortView(tx: Tx, portId: string): Promise<PortView> {
  const i = await getInterface(tx.ex, portId);
  const router = i ? await getRouter(tx.ex, i.routerId) : undefined;
  visibleTo(tx.actor, router, 'port', portId);
  const s = await getSubnet(tx.ex, i!.subnetId);
  if (!s) visibleTo(tx.actor, undefined, 'port', portId);
  return {
    portId,
    routerId: router!.id,
    subnetId: s!.id,
    networkId: s!.vpcId,
    accountId: router!.accountId,
    ipAddress: gatewayIpOf(s!.cidr),
    createdAt: i!.createdAt,
  };
}

export interface PlacementInput {
  readonly routerId: string;
  /** The subnet to place the gateway in (it must be on the router); by default the router's first subnet. */
  readonly subnetId: string | null;
  readonly name?: string;
}

/**
 * A policy-mode gateway placed on a router (domain-mapping §2: Neutron's vpnservice): the router must
 * have an external gateway; the gateway goes into the named subnet, else the router's first one. The
 * caller's extras should refer to the router (and subnet), which then cannot go while the gateway is there.
 */
export async function createGatewayOnRouter(tx: Tx, input: PlacementInput, opts: WriteOptions = {}): Promise<GatewayView> {
  const router = await routerForPlacement(tx.ex, input.routerId);
  visibleTo(tx.actor, router, 'router', input.routerId);
  if (!router!.external)
    throw new DomainError('router_has_no_gateway', `Router ${input.routerId} has no external network gateway set`, { type: 'field', name: 'routerId' });
  if (input.subnetId !== null && !router!.subnetIds.includes(input.subnetId)) {
    throw new DomainError('subnet_not_on_router', `Subnet ${input.subnetId} is not connected to Router ${input.routerId}`, { type: 'field', name: 'subnetId' });
  }
  const placement = input.subnetId ?? router!.subnetIds[0];
  if (!placement)
    throw new DomainError('router_has_no_subnet', `Router ${input.routerId} has no subnet: a VPN gateway is placed in one of the router's subnets`, {
      type: 'field',
      name: 'routerId',
    });
  return createGateway(tx, { subnetId: placement, mode: 'policy', ...(input.name ? { name: input.name } : {}) }, opts);
}
