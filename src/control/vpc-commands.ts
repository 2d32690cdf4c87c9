import { cidrsOverlap, parseCidr } from '../domain/cidr.js';
import { DomainError, inUse, invalidField } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Subnet, Vpc } from '../domain/tenancy.js';
import { gatewaysOfVpc } from '../store/gateway-store.js';
import {
  countVpcs,
  deleteSubnet,
  deleteVpc,
  findVpcByName,
  getSubnet,
  getVpc,
  insertSubnet,
  insertVpc,
  subnetsOfVpc,
  updateSubnetName,
  updateVpcName,
} from '../store/network-store.js';
import { visibleTo } from './access.js';
import { freeName } from './free-name.js';
import { getSubnetView, getVpcView, type SubnetView, type VpcView } from './network-queries.js';
import { resolveGroup } from './resolve-group.js';
import { createDefaultRoutingTable, gatewaysRoutingTable } from './routing-table-commands.js';
import { defaultRoutingTable, deleteRoutingOfVpc, routingTablesOfVpc, setSubnetTable, subnetTableId } from '../store/routing-table-store.js';
import type { Tx } from './tx.js';
import { subnetUse } from './subnet-use.js';

/** VPCs and subnets are kept minimal: they are what a gateway is placed in. An empty name means "pick one". */
export interface VpcInput {
  readonly name?: string;
  readonly resourceGroupId?: string;
  /** The account it goes into (admin only); default: the resource group's, else the actor's. */
  readonly accountId?: string;
}

export async function createVpc(tx: Tx, input: VpcInput): Promise<VpcView> {
  const group = await resolveGroup(tx, input.resourceGroupId, input.accountId);
  if ((await countVpcs(tx.ex, group.accountId)) >= tx.settings.quotas.vpcs) {
    throw new DomainError('over_quota', `The account already has ${tx.settings.quotas.vpcs} VPCs, the quota.`);
  }
  const name = input.name || (await freeName(async (n) => (await findVpcByName(tx.ex, group.accountId, n)) !== undefined));
  const vpc: Vpc = { id: newId(), accountId: group.accountId, resourceGroupId: group.id, name, createdAt: tx.now() };
  await insertVpc(tx.ex, vpc);
  await createDefaultRoutingTable(tx, vpc);
  tx.record({ resource: 'vpc', id: vpc.id, action: 'created', gatewayIds: [] });
  return getVpcView(tx, vpc.id);
}

export async function renameVpc(tx: Tx, id: string, name: string): Promise<VpcView> {
  const vpc = visibleTo(tx.actor, await getVpc(tx.ex, id), 'vpc', id);
  if (name !== vpc.name) {
    await updateVpcName(tx.ex, id, name || (await freeName(async (n) => (await findVpcByName(tx.ex, vpc.accountId, n)) !== undefined)));
    tx.record({ resource: 'vpc', id, action: 'updated', gatewayIds: [] });
  }
  return getVpcView(tx, id);
}

/**
 * Refused while the VPC has gateways or subnets; `withSubnets` deletes its subnets with it (Neutron's
 * network delete), each refused while in use.
 */
export async function removeVpc(tx: Tx, id: string, opts: { withSubnets?: boolean } = {}): Promise<void> {
  visibleTo(tx.actor, await getVpc(tx.ex, id), 'vpc', id);
  const subnets = await subnetsOfVpc(tx.ex, id);
  if (opts.withSubnets) {
    for (const s of subnets) {
      const why = await subnetUse(tx.ex, s.id);
      if (why) throw inUse('vpc', id, `VPC ${id} has a subnet in use: ${why}`);
    }
  }
  if ((!opts.withSubnets && subnets.length > 0) || (await gatewaysOfVpc(tx.ex, id)).length > 0) {
    throw inUse('vpc', id, `VPC '${id}' still has subnets or VPN gateways; delete them first.`);
  }
  const custom = (await routingTablesOfVpc(tx.ex, id)).find((t) => !t.isDefault);
  if (custom) throw inUse('vpc', id, `VPC '${id}' still has routing table '${custom.name}'; delete it first.`);
  for (const s of subnets) {
    await setSubnetTable(tx.ex, s.id, null);
    await deleteSubnet(tx.ex, s.id);
  }
  // The default table (and its routes) goes with the VPC.
  await deleteRoutingOfVpc(tx.ex, id);
  await deleteVpc(tx.ex, id);
  tx.record({ resource: 'vpc', id, action: 'deleted', gatewayIds: [] });
}

export interface SubnetInput {
  readonly vpcId: string;
  readonly cidr: string;
  readonly name?: string;
  readonly zone?: string;
  readonly resourceGroupId?: string;
}

/** Smallest subnet that holds the reserved addresses and a gateway's two members. */
export const MAX_SUBNET_PREFIX = 29;

export async function createSubnet(tx: Tx, input: SubnetInput): Promise<SubnetView> {
  const parsed = parseCidr(input.cidr);
  if (!parsed.ok || parsed.cidr.family !== 4) throw invalidField('cidr', `'${input.cidr}' is not a valid IPv4 CIDR.`, input.cidr);
  if (parsed.hostBitsSet) throw invalidField('cidr', `'${input.cidr}' has host bits set; did you mean '${parsed.cidr.text}'?`, input.cidr);
  if (parsed.cidr.prefix > MAX_SUBNET_PREFIX || parsed.cidr.prefix < 8) {
    throw invalidField('cidr', `A subnet prefix length must be between 8 and ${MAX_SUBNET_PREFIX}.`, input.cidr);
  }
  const zone = input.zone ?? tx.settings.zones[0]!;
  if (!tx.settings.zones.includes(zone)) {
    throw invalidField('zone', `Zone '${zone}' does not exist; this region has ${tx.settings.zones.join(', ')}.`, zone);
  }
  const vpc = visibleTo(tx.actor, await getVpc(tx.ex, input.vpcId), 'vpc', input.vpcId);
  const group = await resolveGroup(tx, input.resourceGroupId, vpc.accountId);
  const siblings = await subnetsOfVpc(tx.ex, vpc.id);
  if (siblings.length >= tx.settings.quotas.subnetsPerVpc) throw new DomainError('over_quota', 'The VPC has reached its subnet quota.');
  const name = input.name || (await freeName(async (n) => siblings.some((s) => s.name === n)));
  for (const s of siblings) {
    const other = parseCidr(s.cidr);
    if (other.ok && cidrsOverlap(other.cidr, parsed.cidr)) {
      throw new DomainError('cidr_overlap', `${parsed.cidr.text} overlaps subnet '${s.name}' (${s.cidr}) of the same VPC.`, {
        type: 'field',
        name: 'cidr',
        value: input.cidr,
      });
    }
  }
  const subnet: Subnet = {
    id: newId(),
    accountId: vpc.accountId,
    resourceGroupId: group.id,
    vpcId: vpc.id,
    zone,
    name,
    cidr: parsed.cidr.text,
    ipVersion: 4,
    createdAt: tx.now(),
  };
  await insertSubnet(tx.ex, subnet);
  // The VPC's default table routes it: gateways with routes of that table re-plan.
  const dflt = await defaultRoutingTable(tx.ex, vpc.id);
  tx.record({ resource: 'subnet', id: subnet.id, action: 'created', gatewayIds: dflt ? await gatewaysRoutingTable(tx, dflt.id) : [] });
  return getSubnetView(tx, subnet.id);
}

export async function renameSubnet(tx: Tx, id: string, name: string): Promise<SubnetView> {
  const s = visibleTo(tx.actor, await getSubnet(tx.ex, id), 'subnet', id);
  if (name !== s.name) {
    const siblings = await subnetsOfVpc(tx.ex, s.vpcId);
    await updateSubnetName(tx.ex, id, name || (await freeName(async (n) => siblings.some((o) => o.name === n))));
    tx.record({ resource: 'subnet', id, action: 'updated', gatewayIds: [] });
  }
  return getSubnetView(tx, id);
}

/** Refused while a VPN gateway (even one still being torn down), a router interface, a dialect's reference or an endpoint group uses it. */
export async function removeSubnet(tx: Tx, id: string): Promise<void> {
  const s = visibleTo(tx.actor, await getSubnet(tx.ex, id), 'subnet', id);
  const why = await subnetUse(tx.ex, id);
  if (why) throw inUse('subnet', id, `${why.replace(/\.?$/, '.')} Delete what uses it first.`);
  const table = (await subnetTableId(tx.ex, id)) ?? (await defaultRoutingTable(tx.ex, s.vpcId))?.id;
  const gatewayIds = table ? await gatewaysRoutingTable(tx, table) : [];
  await setSubnetTable(tx.ex, id, null);
  await deleteSubnet(tx.ex, id);
  tx.record({ resource: 'subnet', id, action: 'deleted', gatewayIds });
}
