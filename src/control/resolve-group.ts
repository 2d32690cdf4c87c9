import { DomainError } from '../domain/errors.js';
import type { Actor, ResourceGroup } from '../domain/tenancy.js';
import { defaultResourceGroup, getResourceGroup } from '../store/account-store.js';
import type { Executor } from '../store/schema.js';

/**
 * The resource group (and so the account) a new resource goes into: the one named, which the actor
 * must be able to see, else the default group of `accountId` (the actor's own account by default).
 */
export async function resolveGroup(ex: Executor, actor: Actor, groupId: string | undefined, accountId = actor.accountId): Promise<ResourceGroup> {
  if (groupId !== undefined) {
    const g = await getResourceGroup(ex, groupId);
    if (!g || (!actor.isAdmin && g.accountId !== actor.accountId)) {
      throw new DomainError('resource_group_not_found', `Resource group '${groupId}' was not found.`, { type: 'field', name: 'resourceGroup.id', value: groupId });
    }
    if (g.accountId !== accountId && accountId !== actor.accountId) {
      throw new DomainError('resource_group_not_found', `Resource group '${groupId}' is not in the parent resource's account.`, { type: 'field', name: 'resourceGroup.id' });
    }
    return g;
  }
  const g = await defaultResourceGroup(ex, accountId);
  if (!g) throw new DomainError('resource_group_not_found', 'The account has no default resource group.');
  return g;
}
