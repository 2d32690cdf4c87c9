import type { EndpointGroup } from '../domain/endpoint-group.js';
import type { EndpointGroupRow, Executor } from './schema.js';

export type { EndpointGroup };

const toGroup = (r: EndpointGroupRow): EndpointGroup => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  description: r.description,
  type: r.type as EndpointGroup['type'],
  endpoints: JSON.parse(r.endpoints) as string[],
  createdAt: Number(r.created_at),
});

export async function insertEndpointGroup(ex: Executor, g: EndpointGroup): Promise<void> {
  await ex
    .insertInto('endpoint_groups')
    .values({
      id: g.id,
      account_id: g.accountId,
      name: g.name,
      description: g.description,
      type: g.type,
      endpoints: JSON.stringify(g.endpoints),
      created_at: g.createdAt,
    })
    .execute();
}

export async function getEndpointGroups(ex: Executor, ids: readonly string[]): Promise<EndpointGroup[]> {
  if (ids.length === 0) return [];
  return (
    await ex
      .selectFrom('endpoint_groups')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute()
  ).map(toGroup);
}

export async function getEndpointGroup(ex: Executor, id: string): Promise<EndpointGroup | undefined> {
  const r = await ex.selectFrom('endpoint_groups').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toGroup(r) : undefined;
}

/** The groups of one account (all accounts when undefined), oldest first. */
export async function listEndpointGroups(ex: Executor, accountId: string | undefined): Promise<EndpointGroup[]> {
  let q = ex.selectFrom('endpoint_groups').selectAll().orderBy('created_at');
  if (accountId !== undefined) q = q.where('account_id', '=', accountId);
  return (await q.execute()).map(toGroup);
}

export async function renameEndpointGroup(ex: Executor, id: string, name: string, description: string): Promise<void> {
  await ex.updateTable('endpoint_groups').set({ name, description }).where('id', '=', id).execute();
}

export async function deleteEndpointGroup(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('endpoint_groups').where('id', '=', id).execute();
}
