import { parseCidr } from '../domain/cidr.js';
import { DomainError, invalidField } from '../domain/errors.js';
import { newId, parseId } from '../domain/ids.js';
import type { Actor } from '../domain/tenancy.js';
import {
  connectionsUsingGroup, deleteEndpointGroup, type EndpointGroup, getEndpointGroup, insertEndpointGroup, renameEndpointGroup,
} from '../store/endpoint-group-store.js';
import { getSubnets } from '../store/network-store.js';
import type { Executor } from '../store/schema.js';
import { visible } from './access.js';
import type { ControlDeps } from './control-deps.js';

export const ENDPOINT_GROUP_TYPES = ['subnet', 'cidr', 'network', 'router', 'vlan'] as const;

export interface EndpointGroupInput {
  readonly accountId: string;
  readonly name: string;
  readonly description: string;
  readonly type: EndpointGroup['type'];
  readonly endpoints: readonly string[];
}

/** The endpoints of a group, checked for its type: CIDRs in canonical form and of one family; subnets of the account. */
async function checkEndpoints(ex: Executor, accountId: string, type: EndpointGroup['type'], endpoints: readonly string[]): Promise<string[]> {
  if (endpoints.length === 0) throw invalidField('endpoints', 'No endpoints specified for the endpoint group.');
  if (new Set(endpoints).size !== endpoints.length) throw invalidField('endpoints', `Duplicate items in the list: '${endpoints.join(', ')}'`);
  if (type === 'cidr') {
    const families = new Set<number>();
    for (const e of endpoints) {
      const p = parseCidr(e);
      if (!e.includes('/') || !p.ok || p.hostBitsSet) throw invalidField('endpoints', `Endpoint '${e}' is invalid for group type 'cidr': not a valid CIDR.`, e);
      families.add(p.cidr.family);
    }
    if (families.size > 1) throw invalidField('endpoints', 'Endpoints in the group do not have the same IP version, as required for IPSec.');
    return [...endpoints];
  }
  if (type === 'subnet') {
    const ids = endpoints.map((e) => {
      const id = parseId(e);
      if (!id || !/^[0-9a-fA-F-]{36}$/.test(e)) throw invalidField('endpoints', `Endpoint '${e}' is invalid for group type 'subnet': not a valid UUID.`, e);
      return id;
    });
    const found = new Map((await getSubnets(ex, ids)).filter((s) => s.accountId === accountId).map((s) => [s.id, s]));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw invalidField('endpoints', `Subnet ${missing} in endpoint group does not exist.`, missing);
    if (new Set([...found.values()].map((s) => s.ipVersion)).size > 1) throw invalidField('endpoints', 'Endpoints in the group do not have the same IP version, as required for IPSec.');
    return ids;
  }
  return [...endpoints];
}

export async function createEndpointGroup(deps: ControlDeps, input: EndpointGroupInput): Promise<EndpointGroup> {
  return deps.db.transaction().execute(async (trx) => {
    const endpoints = await checkEndpoints(trx, input.accountId, input.type, input.endpoints);
    const g: EndpointGroup = { id: newId(), accountId: input.accountId, name: input.name, description: input.description, type: input.type, endpoints, createdAt: deps.clock.now() };
    await insertEndpointGroup(trx, g);
    return g;
  });
}

export async function editEndpointGroup(deps: ControlDeps, actor: Actor, id: string, patch: { name?: string; description?: string }): Promise<EndpointGroup> {
  return deps.db.transaction().execute(async (trx) => {
    const g = visible(actor, await getEndpointGroup(trx, id), 'endpoint_group_not_found', id);
    const next = { ...g, name: patch.name ?? g.name, description: patch.description ?? g.description };
    await renameEndpointGroup(trx, id, next.name, next.description);
    return next;
  });
}

/** A group that a connection uses cannot be deleted (Neutron: 400 EndpointGroupInUse). */
export async function removeEndpointGroup(deps: ControlDeps, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    visible(actor, await getEndpointGroup(trx, id), 'endpoint_group_not_found', id);
    if ((await connectionsUsingGroup(trx, id)).length > 0) throw new DomainError('endpoint_group_in_use', `Endpoint group ${id} is in use and cannot be deleted`);
    await deleteEndpointGroup(trx, id);
  });
}

/** The CIDRs a group stands for: its CIDRs, or its subnets' CIDRs (subnet CIDRs never change). */
export async function groupCidrs(ex: Executor, g: EndpointGroup): Promise<string[]> {
  if (g.type === 'cidr') return [...g.endpoints];
  if (g.type !== 'subnet') return [];
  const subnets = new Map((await getSubnets(ex, g.endpoints)).map((s) => [s.id, s.cidr]));
  return g.endpoints.flatMap((id) => (subnets.has(id) ? [subnets.get(id)!] : []));
}
