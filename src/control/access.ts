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

const NOUNS: Partial<Record<DomainErrorCode, string>> = {
  vpc_not_found: 'VPC',
  subnet_not_found: 'Subnet',
  vpn_gateway_not_found: 'VPN gateway',
  vpn_gateway_connection_not_found: 'Connection',
  ike_policy_not_found: 'IKE policy',
  ipsec_policy_not_found: 'IPsec policy',
};

function codeNoun(code: DomainErrorCode): string {
  return NOUNS[code] ?? 'Resource';
}
