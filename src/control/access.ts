import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';

/** Another account's resource answers exactly like a missing one. */
export function visible<T extends { accountId: string }>(actor: Actor, item: T | undefined, code: DomainErrorCode, id: string): T {
  if (!item || (!actor.isAdmin && item.accountId !== actor.accountId)) {
    throw new DomainError(code, `${codeNoun(code)} '${id}' was not found.`);
  }
  return item;
}

/** The account filter for lists: undefined for the admin (every account). */
export function listScope(actor: Actor): string | undefined {
  return actor.isAdmin ? undefined : actor.accountId;
}

function codeNoun(code: DomainErrorCode): string {
  const noun = code.replace(/_not_found$/, '').replace(/_/g, ' ');
  return noun.charAt(0).toUpperCase() + noun.slice(1).replace('vpn', 'VPN').replace('ike', 'IKE').replace('ipsec', 'IPsec').replace('Vpc', 'VPC').replace('Ike', 'IKE').replace('Ipsec', 'IPsec').replace('Vpn', 'VPN');
}
