import { DomainError, notFound, type ResourceType } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';

/**
 * Tenancy, decided here and nowhere else. An account sees its own objects; the admin sees every
 * account's. Another account's object answers exactly like a missing one.
 */

/** The operator (CLI) and the data plane's agents act for every account. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ accountId: '00000000-0000-0000-0000-000000000000', isAdmin: true });

export function mayAccess(actor: Actor, accountId: string): boolean {
  return actor.isAdmin || accountId === actor.accountId;
}

/** The object, when the actor may see it; otherwise not_found about `resource` `id`. */
export function visibleTo<T extends { accountId: string }>(actor: Actor, item: T | undefined, resource: ResourceType, id: string): T {
  if (!item || !mayAccess(actor, item.accountId)) throw notFound(resource, id);
  return item;
}

/** The account filter for lists: undefined for the admin (every account). */
export function listScope(actor: Actor): string | undefined {
  return actor.isAdmin ? undefined : actor.accountId;
}

/** The account a new object goes into: the actor's own, or (admin only) the one it names. */
export function ownerFor(actor: Actor, accountId: string | undefined): string {
  if (accountId === undefined || accountId === actor.accountId) return actor.accountId;
  if (!actor.isAdmin)
    throw new DomainError('not_permitted', 'Only an administrator may create objects in another account.', { type: 'field', name: 'accountId' });
  return accountId;
}

/** A user: the admin sees every user; anyone else only the user it is signed in as (`self`). */
export function mayAccessUser(actor: Actor, self: string | undefined, userId: string): boolean {
  return actor.isAdmin || (self !== undefined && userId === self);
}
