import { parseCidr } from '../domain/cidr.js';
import type { EndpointGroup, EndpointGroupType } from '../domain/endpoint-group.js';
import { echo, invalidField } from '../domain/errors.js';
import { newId, parseId } from '../domain/ids.js';
import { deleteEndpointGroup, getEndpointGroup, insertEndpointGroup, listEndpointGroups, renameEndpointGroup } from '../store/endpoint-group-store.js';
import { getSubnets } from '../store/network-store.js';
import { listScope, ownerFor, visibleTo } from './access.js';
import { assertUnreferenced } from './extras.js';
import type { Tx } from './tx.js';

export interface EndpointGroupInput {
  readonly accountId?: string;
  readonly name: string;
  readonly description: string;
  readonly type: EndpointGroupType;
  readonly endpoints: readonly string[];
}

/** The endpoints of a group, checked for its type: CIDRs in canonical form and of one family; subnets of the account. */
async function checkEndpoints(tx: Tx, accountId: string, type: EndpointGroupType, endpoints: readonly string[]): Promise<string[]> {
  if (endpoints.length === 0) throw invalidField('endpoints', 'No endpoints specified for the endpoint group.');
  if (new Set(endpoints).size !== endpoints.length) throw invalidField('endpoints', `Duplicate items in the list: '${echo(endpoints.join(', '))}'`);
  if (type === 'cidr') {
    const families = new Set<number>();
    for (const e of endpoints) {
      const p = parseCidr(e);
      if (!e.includes('/') || !p.ok || p.hostBitsSet)
        throw invalidField('endpoints', `Endpoint '${echo(e)}' is invalid for group type 'cidr': not a valid CIDR.`, echo(e));
      families.add(p.cidr.family);
    }
    if (families.size > 1) throw invalidField('endpoints', 'Endpoints in the group do not have the same IP version, as required for IPSec.');
    return [...endpoints];
  }
  if (type === 'subnet') {
    const ids = endpoints.map((e) => {
      const id = parseId(e);
      if (!id || !/^[0-9a-fA-F-]{36}$/.test(e))
        throw invalidField('endpoints', `Endpoint '${echo(e)}' is invalid for group type 'subnet': not a valid UUID.`, echo(e));
      return id;
    });
    const found = new Map((await getSubnets(tx.ex, ids)).filter((s) => s.accountId === accountId).map((s) => [s.id, s]));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw invalidField('endpoints', `Subnet ${missing} in endpoint group does not exist.`, missing);
    if (new Set([...found.values()].map((s) => s.ipVersion)).size > 1)
      throw invalidField('endpoints', 'Endpoints in the group do not have the same IP version, as required for IPSec.');
    return ids;
  }
  return [...endpoints];
}

export async function createEndpointGroup(tx: Tx, input: EndpointGroupInput): Promise<EndpointGroup> {
  const accountId = ownerFor(tx.actor, input.accountId);
  const endpoints = await checkEndpoints(tx, accountId, input.type, input.endpoints);
  const g: EndpointGroup = { id: newId(), accountId, name: input.name, description: input.description, type: input.type, endpoints, createdAt: tx.now() };
  await insertEndpointGroup(tx.ex, g);
  tx.record({ resource: 'endpoint_group', id: g.id, action: 'created', gatewayIds: [] });
  return g;
}

export async function editEndpointGroup(tx: Tx, id: string, patch: { name?: string; description?: string }): Promise<EndpointGroup> {
  const g = visibleTo(tx.actor, await getEndpointGroup(tx.ex, id), 'endpoint_group', id);
  const next = { ...g, name: patch.name ?? g.name, description: patch.description ?? g.description };
  await renameEndpointGroup(tx.ex, id, next.name, next.description);
  tx.record({ resource: 'endpoint_group', id, action: 'updated', gatewayIds: [] });
  return next;
}

/** A group that a connection refers to cannot be deleted. */
export async function removeEndpointGroup(tx: Tx, id: string): Promise<void> {
  visibleTo(tx.actor, await getEndpointGroup(tx.ex, id), 'endpoint_group', id);
  await assertUnreferenced(tx, 'endpoint_group', id, () => `Endpoint group ${id} is in use and cannot be deleted`);
  await deleteEndpointGroup(tx.ex, id);
  tx.record({ resource: 'endpoint_group', id, action: 'deleted', gatewayIds: [] });
}

export async function getEndpointGroupView(tx: Tx, id: string): Promise<EndpointGroup> {
  return visibleTo(tx.actor, await getEndpointGroup(tx.ex, id), 'endpoint_group', id);
}

export async function listEndpointGroupViews(tx: Tx): Promise<EndpointGroup[]> {
  return listEndpointGroups(tx.ex, listScope(tx.actor));
}

/** The CIDRs a group stands for: its CIDRs, or its subnets' CIDRs (subnet CIDRs never change). */
export async function groupCidrs(tx: Tx, id: string): Promise<string[]> {
  const g = visibleTo(tx.actor, await getEndpointGroup(tx.ex, id), 'endpoint_group', id);
  if (g.type === 'cidr') return [...g.endpoints];
  if (g.type !== 'subnet') return [];
  const subnets = new Map((await getSubnets(tx.ex, g.endpoints)).map((s) => [s.id, s.cidr]));
  return g.endpoints.flatMap((sid) => (subnets.has(sid) ? [subnets.get(sid)!] : []));
}
