import { cidrsOverlap, parseCidr } from '../domain/cidr.js';
import { DomainError, invalidField } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Actor, Subnet, Vpc } from '../domain/tenancy.js';
import { gatewaysOfVpc } from '../store/gateway-store.js';
import {
  countVpcs, deleteSubnet, deleteVpc, findVpcByName, getSubnet, getVpc, insertSubnet, insertVpc, subnetsOfVpc,
  updateSubnetName, updateVpcName,
} from '../store/network-store.js';
import { visible } from './access.js';
import { awaitGatewaysReleased } from './await-released.js';
import type { ControlDeps } from './control-deps.js';
import { freeName } from './free-name.js';
import { resolveGroup } from './resolve-group.js';
import { subnetUse } from './subnet-use.js';

/** VPCs and subnets are kept minimal: they are what a gateway is placed in. */
export async function createVpc(deps: ControlDeps, actor: Actor, input: { name?: string; resourceGroupId?: string }): Promise<Vpc> {
  return deps.db.transaction().execute(async (trx) => {
    const group = await resolveGroup(trx, actor, input.resourceGroupId);
    if ((await countVpcs(trx, group.accountId)) >= deps.settings.quotas.vpcs) {
      throw new DomainError('over_quota', `The account already has ${deps.settings.quotas.vpcs} VPCs, the quota.`);
    }
    const name = input.name ?? (await freeName(async (n) => (await findVpcByName(trx, group.accountId, n)) !== undefined));
    if (await findVpcByName(trx, group.accountId, name)) {
      throw new DomainError('name_not_unique', `A VPC named '${name}' already exists.`, { type: 'field', name: 'name', value: name });
    }
    const vpc: Vpc = { id: newId(), accountId: group.accountId, resourceGroupId: group.id, name, createdAt: deps.clock.now() };
    await insertVpc(trx, vpc);
    return vpc;
  });
}

export async function renameVpc(deps: ControlDeps, actor: Actor, id: string, name: string): Promise<Vpc> {
  return deps.db.transaction().execute(async (trx) => {
    const vpc = visible(actor, await getVpc(trx, id), 'vpc_not_found', id);
    const other = await findVpcByName(trx, vpc.accountId, name);
    if (other && other.id !== id) throw new DomainError('name_not_unique', `A VPC named '${name}' already exists.`, { type: 'field', name: 'name', value: name });
    await updateVpcName(trx, id, name);
    return { ...vpc, name };
  });
}

export async function removeVpc(deps: ControlDeps, actor: Actor, id: string): Promise<void> {
  await awaitGatewaysReleased(deps, { vpcId: id });
  await deps.db.transaction().execute(async (trx) => {
    visible(actor, await getVpc(trx, id), 'vpc_not_found', id);
    if ((await subnetsOfVpc(trx, id)).length > 0 || (await gatewaysOfVpc(trx, id)).length > 0) {
      throw new DomainError('vpc_in_use', `VPC '${id}' still has subnets or VPN gateways; delete them first.`);
    }
    await deleteVpc(trx, id);
  });
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

export async function createSubnet(deps: ControlDeps, actor: Actor, input: SubnetInput): Promise<Subnet> {
  const parsed = parseCidr(input.cidr);
  if (!parsed.ok || parsed.cidr.family !== 4) throw invalidField('cidr', `'${input.cidr}' is not a valid IPv4 CIDR.`, input.cidr);
  if (parsed.hostBitsSet) throw invalidField('cidr', `'${input.cidr}' has host bits set; did you mean '${parsed.cidr.text}'?`, input.cidr);
  if (parsed.cidr.prefix > MAX_SUBNET_PREFIX || parsed.cidr.prefix < 8) {
    throw invalidField('cidr', `A subnet prefix length must be between 8 and ${MAX_SUBNET_PREFIX}.`, input.cidr);
  }
  const zone = input.zone ?? deps.settings.zones[0]!;
  if (!deps.settings.zones.includes(zone)) {
    throw invalidField('zone', `Zone '${zone}' does not exist; this region has ${deps.settings.zones.join(', ')}.`, zone);
  }
  return deps.db.transaction().execute(async (trx) => {
    const vpc = visible(actor, await getVpc(trx, input.vpcId), 'vpc_not_found', input.vpcId);
    const group = await resolveGroup(trx, actor, input.resourceGroupId, vpc.accountId);
    const siblings = await subnetsOfVpc(trx, vpc.id);
    if (siblings.length >= deps.settings.quotas.subnetsPerVpc) throw new DomainError('over_quota', 'The VPC has reached its subnet quota.');
    const name = input.name ?? (await freeName(async (n) => siblings.some((s) => s.name === n)));
    if (siblings.some((s) => s.name === name)) throw new DomainError('name_not_unique', `The VPC already has a subnet named '${name}'.`, { type: 'field', name: 'name', value: name });
    for (const s of siblings) {
      const other = parseCidr(s.cidr);
      if (other.ok && cidrsOverlap(other.cidr, parsed.cidr)) {
        throw new DomainError('cidr_overlap', `${parsed.cidr.text} overlaps subnet '${s.name}' (${s.cidr}) of the same VPC.`, { type: 'field', name: 'cidr', value: input.cidr });
      }
    }
    const subnet: Subnet = {
      id: newId(), accountId: vpc.accountId, resourceGroupId: group.id, vpcId: vpc.id, zone, name, cidr: parsed.cidr.text,
      ipVersion: 4, createdAt: deps.clock.now(),
    };
    await insertSubnet(trx, subnet);
    return subnet;
  });
}

export async function renameSubnet(deps: ControlDeps, actor: Actor, id: string, name: string): Promise<Subnet> {
  return deps.db.transaction().execute(async (trx) => {
    const s = visible(actor, await getSubnet(trx, id), 'subnet_not_found', id);
    if ((await subnetsOfVpc(trx, s.vpcId)).some((o) => o.name === name && o.id !== id)) {
      throw new DomainError('name_not_unique', `The VPC already has a subnet named '${name}'.`, { type: 'field', name: 'name', value: name });
    }
    await updateSubnetName(trx, id, name);
    return { ...s, name };
  });
}

/** Refused while a VPN gateway (even one still being torn down), a router interface, a vpnservice or an endpoint group uses it. */
export async function removeSubnet(deps: ControlDeps, actor: Actor, id: string): Promise<void> {
  await awaitGatewaysReleased(deps, { subnetId: id });
  await deps.db.transaction().execute(async (trx) => {
    visible(actor, await getSubnet(trx, id), 'subnet_not_found', id);
    const why = await subnetUse(trx, id);
    if (why) throw new DomainError('subnet_in_use', `${why.replace(/\.?$/, '.')} Delete what uses it first.`);
    await deleteSubnet(trx, id);
  });
}
