import { DomainError, notFound } from '../domain/errors.js';
import type { ResourceGroup } from '../domain/tenancy.js';
import { defaultResourceGroup, getResourceGroup } from '../store/account-store.js';
import { mayAccess } from './access.js';
import type { Tx } from './tx.js';

/**
 * The resource group (and so the account) a new resource goes into: the one named, which the actor
 * must be able to see, else the default group of `accountId` (the actor's own account by default).
 */
export async function resolveGroup(tx: Tx, groupId: string | undefined, accountId = tx.actor.accountId): Promise<ResourceGroup> {
  if (groupId !== undefined) {
    const g = await getResourceGroup(tx.ex, groupId);
    if (!g || !mayAccess(tx.actor, g.accountId))
      throw notFound('resource_group', groupId, undefined, { type: 'field', name: 'resourceGroup.id', value: groupId });
    if (g.accountId !== accountId && accountId !== tx.actor.accountId) {
      throw notFound('resource_group', groupId, `Resource group '${groupId}' is not in the parent resource's account.`, {
        type: 'field',
        name: 'resourceGroup.id',
      });
    }
    return g;
  }
  if (!mayAccess(tx.actor, accountId)) throw new DomainError('not_permitted', 'Only an administrator may create objects in another account.');
  const g = await defaultResourceGroup(tx.ex, accountId);
  if (!g) throw notFound('account', accountId, `Account '${accountId}' does not exist.`);
  return g;
}
