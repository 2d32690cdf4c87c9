import type { Executor } from './schema.js';

/** What Neutron adds to a policy-mode gateway to make it a vpnservice. */
export interface VpnServiceExtras {
  readonly gatewayId: string;
  readonly routerId: string | null;
  /** The legacy (pre endpoint group) subnet, create-only. */
  readonly subnetId: string | null;
  readonly description: string;
  readonly adminStateUp: boolean;
  readonly flavorId: string | null;
}

const toExtras = (r: { gateway_id: string; router_id: string | null; subnet_id: string | null; description: string; admin_state_up: number; flavor_id: string | null }): VpnServiceExtras => ({
  gatewayId: r.gateway_id, routerId: r.router_id, subnetId: r.subnet_id, description: r.description, adminStateUp: r.admin_state_up === 1, flavorId: r.flavor_id,
});

export async function insertVpnService(ex: Executor, v: VpnServiceExtras): Promise<void> {
  await ex.insertInto('vpnservices').values({
    gateway_id: v.gatewayId, router_id: v.routerId, subnet_id: v.subnetId, description: v.description, admin_state_up: v.adminStateUp ? 1 : 0, flavor_id: v.flavorId,
  }).execute();
}

export async function saveVpnService(ex: Executor, v: VpnServiceExtras): Promise<void> {
  await ex.updateTable('vpnservices').set({ description: v.description, admin_state_up: v.adminStateUp ? 1 : 0 }).where('gateway_id', '=', v.gatewayId).execute();
}

export async function getVpnService(ex: Executor, gatewayId: string): Promise<VpnServiceExtras | undefined> {
  const r = await ex.selectFrom('vpnservices').selectAll().where('gateway_id', '=', gatewayId).executeTakeFirst();
  return r ? toExtras(r) : undefined;
}

export async function vpnServicesByGateway(ex: Executor, gatewayIds: readonly string[]): Promise<Map<string, VpnServiceExtras>> {
  if (gatewayIds.length === 0) return new Map();
  const rows = await ex.selectFrom('vpnservices').selectAll().where('gateway_id', 'in', [...gatewayIds]).execute();
  return new Map(rows.map((r) => [r.gateway_id, toExtras(r)]));
}

export async function deleteVpnService(ex: Executor, gatewayId: string): Promise<void> {
  await ex.deleteFrom('vpnservices').where('gateway_id', '=', gatewayId).execute();
}

/** A Neutron router as the VPN service rules need it: owner, external gateway, the subnets on it. */
export async function routerForVpn(ex: Executor, routerId: string): Promise<{ accountId: string; external: boolean; subnetIds: string[] } | undefined> {
  const r = await ex.selectFrom('routers').select(['account_id', 'external_network_id']).where('id', '=', routerId).executeTakeFirst();
  if (!r) return undefined;
  const ifaces = await ex.selectFrom('router_interfaces').select('subnet_id').where('router_id', '=', routerId).orderBy('created_at').execute();
  return { accountId: r.account_id, external: r.external_network_id !== null, subnetIds: ifaces.map((i) => i.subnet_id) };
}
