import type { VpnGateway } from '../domain/gateway.js';
import { gatewaysOfVpc, getGateway, type GatewayFilter, listGateways } from '../store/gateway-store.js';
import { getSubnets, getVpcs } from '../store/network-store.js';
import type { Page, PageRequest } from '../store/page-query.js';
import { listScope, mayAccess, visibleTo } from './access.js';
import { type ExtrasData, extrasOf, type ReadOptions } from './extras.js';
import type { Tx } from './tx.js';
import { byId, type ConnectionRef, groupRefs, type Ref, refOf } from './view-refs.js';

/** A gateway with the references every dialect renders beside it. */
export interface GatewayView {
  readonly gateway: VpnGateway;
  readonly vpc: Ref;
  readonly subnet: Ref;
  readonly resourceGroup: Ref;
  /** Its connections, those being deleted included, oldest first. */
  readonly connections: readonly ConnectionRef[];
  readonly extras?: ExtrasData;
}

/** Views of many gateways with a fixed number of queries. */
export async function gatewayViews(tx: Tx, list: readonly VpnGateway[], dialect?: string): Promise<GatewayView[]> {
  const v = byId(
    await getVpcs(
      tx.ex,
      list.map((g) => g.vpcId),
    ),
  );
  const s = byId(
    await getSubnets(
      tx.ex,
      list.map((g) => g.subnetId),
    ),
  );
  const rg = await groupRefs(
    tx,
    list.map((g) => g.resourceGroupId),
  );
  const conns = await tx.deps.connections.refsOfGateways(
    tx.ex,
    list.map((g) => g.id),
  );
  const extras = await extrasOf(
    tx,
    dialect,
    'vpn_gateway',
    list.map((g) => g.id),
  );
  return list.map((gateway) => {
    const x = extras.get(gateway.id);
    return {
      gateway,
      vpc: refOf(v.get(gateway.vpcId), gateway.vpcId),
      subnet: refOf(s.get(gateway.subnetId), gateway.subnetId),
      resourceGroup: rg(gateway.resourceGroupId),
      connections: conns.get(gateway.id) ?? [],
      ...(x ? { extras: x } : {}),
    };
  });
}

export async function gatewayView(tx: Tx, g: VpnGateway, dialect?: string): Promise<GatewayView> {
  return (await gatewayViews(tx, [g], dialect))[0]!;
}

/** A gateway and its extras, without a view: no connection references, so the cost stays constant however many it has. */
export interface GatewayRecord {
  readonly gateway: VpnGateway;
  readonly extras?: ExtrasData;
}

/** A gateway the actor may see, as a record (see GatewayRecord); with `live`, one being deleted counts as gone. */
export async function getGatewayRecord(tx: Tx, id: string, opts: ReadOptions & { live?: boolean } = {}): Promise<GatewayRecord> {
  const g = visibleTo(tx.actor, await getGateway(tx.ex, id), 'vpn_gateway', id);
  if (opts.live && g.lifecycleState === 'deleting') visibleTo(tx.actor, undefined, 'vpn_gateway', id);
  const x = (await extrasOf(tx, opts.extras, 'vpn_gateway', [g.id])).get(g.id);
  return x ? { gateway: g, extras: x } : { gateway: g };
}

/** A gateway the actor may see; with `live`, one being deleted counts as gone (dialects whose deletes look synchronous). */
export async function getGatewayView(tx: Tx, id: string, opts: ReadOptions & { live?: boolean } = {}): Promise<GatewayView> {
  const g = visibleTo(tx.actor, await getGateway(tx.ex, id), 'vpn_gateway', id);
  if (opts.live && g.lifecycleState === 'deleting') visibleTo(tx.actor, undefined, 'vpn_gateway', id);
  return gatewayView(tx, g, opts.extras);
}

export async function listGatewayViews(tx: Tx, filter: GatewayFilter, req: PageRequest, opts: ReadOptions = {}): Promise<Page<GatewayView>> {
  const page = await listGateways(tx.ex, listScope(tx.actor), filter, req);
  return { ...page, items: await gatewayViews(tx, page.items, opts.extras) };
}

/**
 * The live gateways of a VPC the actor may see, oldest first, with one dialect's extras: no view (no
 * connection references), so a create path can find a VPC's gateway at a constant cost.
 */
export async function gatewaysInVpc(tx: Tx, vpcId: string, opts: ReadOptions = {}): Promise<{ gateway: VpnGateway; extras?: ExtrasData }[]> {
  const list = (await gatewaysOfVpc(tx.ex, vpcId)).filter((g) => mayAccess(tx.actor, g.accountId) && g.lifecycleState !== 'deleting');
  list.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const extras = await extrasOf(
    tx,
    opts.extras,
    'vpn_gateway',
    list.map((g) => g.id),
  );
  return list.map((gateway) => {
    const x = extras.get(gateway.id);
    return x ? { gateway, extras: x } : { gateway };
  });
}
