import type { Connection } from '../domain/connection.js';
import { desiredConnection, type DesiredConnection } from '../domain/desired-state.js';
import { connectionWeakAlgorithms } from '../domain/effective-crypto.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { IkePolicy, IpsecPolicy } from '../domain/policy.js';
import { connectionReasons } from '../domain/status-reasons.js';
import type { Actor, Reason, ResourceGroup, Subnet, Vpc } from '../domain/tenancy.js';
import { listResourceGroups } from '../store/account-store.js';
import { getGateway, getGateways, type GatewayFilter, listGateways } from '../store/gateway-store.js';
import { getSubnet, getSubnets, getVpc, getVpcs, listSubnets, listVpcs } from '../store/network-store.js';
import type { Page, PageRequest } from '../store/page-query.js';
import { getIkePolicies, getIkePolicy, getIpsecPolicies, getIpsecPolicy, listIkePolicies, listIpsecPolicies } from '../store/policy-store.js';
import { listScope, visible } from './access.js';
import type { ControlDeps } from './control-deps.js';
import { loadConnection } from './update-connection.js';

export interface Ref { readonly id: string; readonly name: string }
export interface ConnectionRef extends Ref { readonly gatewayId: string }

export interface GatewayView {
  readonly gateway: VpnGateway;
  readonly vpc: Ref;
  readonly subnet: Ref;
  readonly resourceGroup: Ref;
  readonly connections: readonly ConnectionRef[];
}
export interface ConnectionView {
  readonly connection: Connection;
  readonly gateway: VpnGateway;
  readonly ikePolicy?: Ref;
  readonly ipsecPolicy?: Ref;
  readonly statusReasons: readonly Reason[];
}
export interface PolicyView<P> {
  readonly policy: P;
  readonly resourceGroup: Ref;
  readonly connections: readonly ConnectionRef[];
}

const byId = <T extends { id: string }>(list: readonly T[]): Map<string, T> => new Map(list.map((x) => [x.id, x]));
const ref = (x: { id: string; name: string } | undefined, id: string): Ref => ({ id, name: x?.name ?? '' });

/** Resource groups never change once made, so their references are cached (bounded). */
const groupCache = new WeakMap<ControlDeps, Map<string, ResourceGroup>>();

async function groups(deps: ControlDeps, ids: string[]): Promise<Map<string, ResourceGroup>> {
  let cache = groupCache.get(deps);
  if (!cache) groupCache.set(deps, (cache = new Map()));
  const missing = [...new Set(ids)].filter((id) => !cache.has(id));
  if (missing.length > 0) {
    if (cache.size > 10_000) cache.clear();
    for (const g of await listResourceGroups(deps.db, missing)) cache.set(g.id, g);
  }
  return cache;
}

/** Read side: views with the references each dialect renders, loaded in batches. */
export class ReadQueries {
  constructor(private readonly deps: ControlDeps) {}

  async vpc(actor: Actor, id: string): Promise<{ vpc: Vpc; resourceGroup: Ref }> {
    const vpc = visible(actor, await getVpc(this.deps.db, id), 'vpc_not_found', id);
    return { vpc, resourceGroup: ref((await groups(this.deps, [vpc.resourceGroupId])).get(vpc.resourceGroupId), vpc.resourceGroupId) };
  }

  async vpcs(actor: Actor, req: PageRequest): Promise<Page<{ vpc: Vpc; resourceGroup: Ref }>> {
    const page = await listVpcs(this.deps.db, listScope(actor), req);
    const g = await groups(this.deps, page.items.map((v) => v.resourceGroupId));
    return { ...page, items: page.items.map((vpc) => ({ vpc, resourceGroup: ref(g.get(vpc.resourceGroupId), vpc.resourceGroupId) })) };
  }

  async subnet(actor: Actor, id: string): Promise<{ subnet: Subnet; vpc: Ref; resourceGroup: Ref }> {
    const s = visible(actor, await getSubnet(this.deps.db, id), 'subnet_not_found', id);
    return (await this.#subnetViews([s]))[0]!;
  }

  async subnets(actor: Actor, req: PageRequest, vpcId?: string): Promise<Page<{ subnet: Subnet; vpc: Ref; resourceGroup: Ref }>> {
    const page = await listSubnets(this.deps.db, listScope(actor), req, vpcId);
    return { ...page, items: await this.#subnetViews(page.items) };
  }

  async #subnetViews(list: Subnet[]) {
    const v = byId(await getVpcs(this.deps.db, list.map((s) => s.vpcId)));
    const g = await groups(this.deps, list.map((s) => s.resourceGroupId));
    return list.map((subnet) => ({ subnet, vpc: ref(v.get(subnet.vpcId), subnet.vpcId), resourceGroup: ref(g.get(subnet.resourceGroupId), subnet.resourceGroupId) }));
  }

  async gateway(actor: Actor, id: string): Promise<GatewayView> {
    const g = visible(actor, await getGateway(this.deps.db, id), 'vpn_gateway_not_found', id);
    return (await this.#gatewayViews([g]))[0]!;
  }

  async gateways(actor: Actor, filter: GatewayFilter, req: PageRequest): Promise<Page<GatewayView>> {
    const page = await listGateways(this.deps.db, listScope(actor), filter, req);
    return { ...page, items: await this.#gatewayViews(page.items) };
  }

  async #gatewayViews(list: VpnGateway[]): Promise<GatewayView[]> {
    const v = byId(await getVpcs(this.deps.db, list.map((g) => g.vpcId)));
    const s = byId(await getSubnets(this.deps.db, list.map((g) => g.subnetId)));
    const rg = await groups(this.deps, list.map((g) => g.resourceGroupId));
    const conns = await this.deps.connections.refsOfGateways(this.deps.db, list.map((g) => g.id));
    return list.map((gateway) => ({
      gateway,
      vpc: ref(v.get(gateway.vpcId), gateway.vpcId),
      subnet: ref(s.get(gateway.subnetId), gateway.subnetId),
      resourceGroup: ref(rg.get(gateway.resourceGroupId), gateway.resourceGroupId),
      connections: conns.get(gateway.id) ?? [],
    }));
  }

  async connection(actor: Actor, gatewayId: string, id: string): Promise<ConnectionView> {
    const c = await loadConnection(this.deps, this.deps.db, actor, gatewayId, id, false);
    return (await this.connectionViews([c]))[0]!;
  }

  async connections(actor: Actor, gatewayId: string, req: PageRequest, status?: 'up' | 'down'): Promise<Page<ConnectionView>> {
    visible(actor, await getGateway(this.deps.db, gatewayId), 'vpn_gateway_not_found', gatewayId);
    const page = await this.deps.connections.list(this.deps.db, { gatewayId, ...(status ? { status } : {}) }, req);
    return { ...page, items: await this.connectionViews(page.items) };
  }

  async connectionViews(list: Connection[]): Promise<ConnectionView[]> {
    const ike = byId(await getIkePolicies(this.deps.db, [...new Set(list.flatMap((c) => (c.ikePolicyId ? [c.ikePolicyId] : [])))]));
    const esp = byId(await getIpsecPolicies(this.deps.db, [...new Set(list.flatMap((c) => (c.ipsecPolicyId ? [c.ipsecPolicyId] : [])))]));
    const gws = byId(await getGateways(this.deps.db, [...new Set(list.map((c) => c.gatewayId))]));
    return list.map((connection) => this.connectionView({
      connection,
      gateway: gws.get(connection.gatewayId)!,
      ike: connection.ikePolicyId ? ike.get(connection.ikePolicyId) : undefined,
      ipsec: connection.ipsecPolicyId ? esp.get(connection.ipsecPolicyId) : undefined,
    }));
  }

  /** The view of a connection whose gateway and policies are already at hand (no query). */
  connectionView(x: { connection: Connection; gateway: VpnGateway; ike: IkePolicy | undefined; ipsec: IpsecPolicy | undefined }): ConnectionView {
    const c = x.connection;
    return {
      connection: c,
      gateway: x.gateway,
      ...(c.ikePolicyId ? { ikePolicy: ref(x.ike, c.ikePolicyId) } : {}),
      ...(c.ipsecPolicyId ? { ipsecPolicy: ref(x.ipsec, c.ipsecPolicyId) } : {}),
      statusReasons: connectionReasons(c.statusReasons, connectionWeakAlgorithms(c, x.ike, x.ipsec), this.deps.settings.dataplane !== 'none', c.adminStateUp),
    };
  }

  async ikePolicy(actor: Actor, id: string): Promise<PolicyView<IkePolicy>> {
    const p = visible(actor, await getIkePolicy(this.deps.db, id), 'ike_policy_not_found', id);
    return (await this.#policyViews([p], 'ike_policy_id'))[0]!;
  }
  async ikePolicies(actor: Actor, req: PageRequest): Promise<Page<PolicyView<IkePolicy>>> {
    const page = await listIkePolicies(this.deps.db, listScope(actor), req);
    return { ...page, items: await this.#policyViews(page.items, 'ike_policy_id') };
  }
  async ipsecPolicy(actor: Actor, id: string): Promise<PolicyView<IpsecPolicy>> {
    const p = visible(actor, await getIpsecPolicy(this.deps.db, id), 'ipsec_policy_not_found', id);
    return (await this.#policyViews([p], 'ipsec_policy_id'))[0]!;
  }
  async ipsecPolicies(actor: Actor, req: PageRequest): Promise<Page<PolicyView<IpsecPolicy>>> {
    const page = await listIpsecPolicies(this.deps.db, listScope(actor), req);
    return { ...page, items: await this.#policyViews(page.items, 'ipsec_policy_id') };
  }

  async #policyViews<P extends { id: string; resourceGroupId: string }>(list: P[], column: 'ike_policy_id' | 'ipsec_policy_id'): Promise<PolicyView<P>[]> {
    const g = await groups(this.deps, list.map((p) => p.resourceGroupId));
    const users = await this.deps.connections.refsUsingPolicies(this.deps.db, column, list.map((p) => p.id));
    return list.map((policy) => ({
      policy,
      resourceGroup: ref(g.get(policy.resourceGroupId), policy.resourceGroupId),
      connections: users.get(policy.id) ?? [],
    }));
  }

  /** Everything the data plane (or a peer) needs for one connection: its desired state. */
  async desired(actor: Actor, gatewayId: string, id: string): Promise<DesiredConnection> {
    const c = await loadConnection(this.deps, this.deps.db, actor, gatewayId, id, false);
    const gw = (await getGateway(this.deps.db, gatewayId))!;
    const ike = c.ikePolicyId ? await getIkePolicy(this.deps.db, c.ikePolicyId) : undefined;
    const ipsec = c.ipsecPolicyId ? await getIpsecPolicy(this.deps.db, c.ipsecPolicyId) : undefined;
    return desiredConnection(gw, c, ike, ipsec);
  }

  /** Full connections that use a policy (GET /ike_policies/{id}/connections). */
  async connectionsUsingPolicy(actor: Actor, kind: 'ike' | 'ipsec', id: string, req: PageRequest): Promise<Page<ConnectionView>> {
    if (kind === 'ike') visible(actor, await getIkePolicy(this.deps.db, id), 'ike_policy_not_found', id);
    else visible(actor, await getIpsecPolicy(this.deps.db, id), 'ipsec_policy_not_found', id);
    const page = await this.deps.connections.list(this.deps.db, kind === 'ike' ? { ikePolicyId: id } : { ipsecPolicyId: id }, req);
    return { ...page, items: await this.connectionViews(page.items) };
  }
}
