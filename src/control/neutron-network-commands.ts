import { DomainError } from '../domain/errors.js';
import type { Actor, Subnet, Vpc } from '../domain/tenancy.js';
import { toHex32 } from '../domain/ids.js';
import { defaultResourceGroup } from '../store/account-store.js';
import { gatewaysOfVpc } from '../store/gateway-store.js';
import { deleteSubnet, deleteVpc, findVpcByName, getSubnet, getVpc, subnetsOfVpc } from '../store/network-store.js';
import { awaitGatewaysReleased } from './await-released.js';
import type { ControlDeps } from './control-deps.js';
import { freeName } from './free-name.js';
import { coreBadRequest, coreInUse, coreNotFound, seenBy } from './neutron-faults.js';
import { subnetUse } from './subnet-use.js';
import { createSubnet, createVpc, renameSubnet, renameVpc } from './vpc-commands.js';

/**
 * Neutron networks (= VPCs, same id) and subnets over the VPC use cases. Names: Neutron allows ''
 * (the domain then generates one); the domain keeps VPC names unique per account and subnet names
 * unique per VPC, so a duplicate is refused with the domain's message.
 */

export async function createNetwork(deps: ControlDeps, actor: Actor, input: { accountId: string; name?: string }): Promise<Vpc> {
  let resourceGroupId: string | undefined;
  if (input.accountId !== actor.accountId) {
    const g = await defaultResourceGroup(deps.db, input.accountId);
    if (!g) throw coreBadRequest('project_id', `Project ${toHex32(input.accountId)} does not exist.`);
    resourceGroupId = g.id;
  }
  return createVpc(deps, actor, { ...(input.name ? { name: input.name } : {}), ...(resourceGroupId ? { resourceGroupId } : {}) });
}

export async function updateNetwork(deps: ControlDeps, actor: Actor, id: string, patch: { name?: string }): Promise<Vpc> {
  const vpc = seenBy(actor, await getVpc(deps.db, id));
  if (!vpc) throw coreNotFound('network', id);
  if (patch.name === undefined || patch.name === vpc.name) return vpc;
  const name = patch.name !== '' ? patch.name : await freeName(async (n) => (await findVpcByName(deps.db, vpc.accountId, n)) !== undefined);
  return renameVpc(deps, actor, id, name);
}

/** Deletes the network's subnets and then the VPC, in one transaction; refused while any is in use. */
export async function removeNetwork(deps: ControlDeps, actor: Actor, id: string): Promise<void> {
  await awaitGatewaysReleased(deps, { vpcId: id });
  await deps.db.transaction().execute(async (trx) => {
    const vpc = seenBy(actor, await getVpc(trx, id));
    if (!vpc) throw coreNotFound('network', id);
    const subnets = await subnetsOfVpc(trx, id);
    for (const s of subnets) {
      const why = await subnetUse(trx, s.id);
      if (why) throw coreInUse('network', `Unable to complete operation on network ${id}. There are one or more ports still in use on the network. ${why}`);
    }
    if ((await gatewaysOfVpc(trx, id)).length > 0) {
      throw coreInUse('network', `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`);
    }
    for (const s of subnets) await deleteSubnet(trx, s.id);
    await deleteVpc(trx, id);
  });
}

export interface NeutronSubnetInput {
  readonly networkId: string;
  readonly cidr: string;
  readonly name?: string;
  /** The project named in the body, if any: it must own the network. */
  readonly accountId?: string;
}

export async function createNeutronSubnet(deps: ControlDeps, actor: Actor, input: NeutronSubnetInput): Promise<Subnet> {
  const vpc = seenBy(actor, await getVpc(deps.db, input.networkId));
  if (!vpc) throw coreNotFound('network', input.networkId);
  if (input.accountId !== undefined && input.accountId !== vpc.accountId) {
    throw coreBadRequest('project_id', `A subnet belongs to its network's project (${toHex32(vpc.accountId)}).`);
  }
  try {
    return await createSubnet(deps, actor, { vpcId: vpc.id, cidr: input.cidr, ...(input.name ? { name: input.name } : {}) });
  } catch (e) {
    if (DomainError.is(e) && e.code === 'cidr_overlap') {
      throw coreBadRequest('cidr', `Invalid input for operation: Requested subnet with cidr: ${input.cidr} for network: ${vpc.id} overlaps with another subnet.`);
    }
    if (DomainError.is(e) && e.code === 'vpc_not_found') throw coreNotFound('network', input.networkId);
    throw e;
  }
}

export async function updateNeutronSubnet(deps: ControlDeps, actor: Actor, id: string, patch: { name?: string }): Promise<Subnet> {
  const s = seenBy(actor, await getSubnet(deps.db, id));
  if (!s) throw coreNotFound('subnet', id);
  if (patch.name === undefined || patch.name === s.name) return s;
  const siblings = await subnetsOfVpc(deps.db, s.vpcId);
  const name = patch.name !== '' ? patch.name : await freeName(async (n) => siblings.some((o) => o.name === n));
  return renameSubnet(deps, actor, id, name);
}

export async function removeNeutronSubnet(deps: ControlDeps, actor: Actor, id: string): Promise<void> {
  await awaitGatewaysReleased(deps, { subnetId: id });
  await deps.db.transaction().execute(async (trx) => {
    const s = seenBy(actor, await getSubnet(trx, id));
    if (!s) throw coreNotFound('subnet', id);
    const why = await subnetUse(trx, id);
    if (why) throw coreInUse('subnet', why);
    await deleteSubnet(trx, id);
  });
}
