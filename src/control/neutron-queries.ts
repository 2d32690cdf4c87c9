import { gatewayIpOf } from '../domain/neutron-core.js';
import type { Actor, Subnet, Vpc } from '../domain/tenancy.js';
import { getSubnet, getSubnets, getVpc, listSubnets, listVpcs, subnetsOfVpc } from '../store/network-store.js';
import type { PageRequest } from '../store/page-query.js';
import { adminAccount, getInterface, getRouter, listInterfaces } from '../store/router-store.js';
import { listScope } from './access.js';
import type { ControlDeps } from './control-deps.js';
import { coreNotFound, seenBy } from './neutron-faults.js';

/** The read side of Neutron's networks, subnets and ports (Neutron lists are emulated over every visible object). */

const ALL: PageRequest = { limit: 1_000_000, sort: 'created_at', desc: false };

export interface NetworkView {
  readonly vpc: Vpc;
  readonly subnetIds: readonly string[];
}

/** A router interface seen as a port. */
export interface PortView {
  readonly portId: string;
  readonly routerId: string;
  readonly subnetId: string;
  readonly networkId: string;
  readonly accountId: string;
  /** The subnet's gateway_ip. */
  readonly ipAddress: string;
  readonly createdAt: number;
}

export async function listNetworkViews(deps: ControlDeps, actor: Actor): Promise<NetworkView[]> {
  const scope = listScope(actor);
  const vpcs = (await listVpcs(deps.db, scope, ALL)).items;
  const subnets = (await listSubnets(deps.db, scope, ALL)).items;
  return vpcs.map((vpc) => ({ vpc, subnetIds: subnets.filter((s) => s.vpcId === vpc.id).map((s) => s.id) }));
}

export async function getNetworkView(deps: ControlDeps, actor: Actor, id: string): Promise<NetworkView> {
  const vpc = seenBy(actor, await getVpc(deps.db, id));
  if (!vpc) throw coreNotFound('network', id);
  return { vpc, subnetIds: (await subnetsOfVpc(deps.db, id)).map((s) => s.id) };
}

export async function listSubnetViews(deps: ControlDeps, actor: Actor): Promise<Subnet[]> {
  return (await listSubnets(deps.db, listScope(actor), ALL)).items;
}

export async function getSubnetView(deps: ControlDeps, actor: Actor, id: string): Promise<Subnet> {
  const s = seenBy(actor, await getSubnet(deps.db, id));
  if (!s) throw coreNotFound('subnet', id);
  return s;
}

export async function listPortViews(deps: ControlDeps, actor: Actor): Promise<PortView[]> {
  const ifaces = await listInterfaces(deps.db, listScope(actor));
  const subnets = new Map((await getSubnets(deps.db, ifaces.map((i) => i.subnetId))).map((s) => [s.id, s]));
  return ifaces.flatMap((i) => {
    const s = subnets.get(i.subnetId);
    return s ? [{ portId: i.portId, routerId: i.routerId, subnetId: s.id, networkId: s.vpcId, accountId: i.accountId, ipAddress: gatewayIpOf(s.cidr), createdAt: i.createdAt }] : [];
  });
}

export async function getPortView(deps: ControlDeps, actor: Actor, portId: string): Promise<PortView> {
  const i = await getInterface(deps.db, portId);
  const router = i ? seenBy(actor, await getRouter(deps.db, i.routerId)) : undefined;
  const s = i && router ? await getSubnet(deps.db, i.subnetId) : undefined;
  if (!i || !router || !s) throw coreNotFound('port', portId);
  return { portId, routerId: router.id, subnetId: s.id, networkId: s.vpcId, accountId: router.accountId, ipAddress: gatewayIpOf(s.cidr), createdAt: i.createdAt };
}

/** The owner of the built-in external network (the admin account) and a stable creation time for it. */
export async function publicNetworkOwner(deps: ControlDeps): Promise<{ accountId: string; createdAt: number }> {
  const a = await adminAccount(deps.db);
  return a ? { accountId: a.id, createdAt: a.createdAt } : { accountId: '00000000-0000-0000-0000-000000000000', createdAt: 0 };
}
