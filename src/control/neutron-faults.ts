import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';

/**
 * Refusals of the Neutron core use cases, worded as Neutron words them. They are ordinary domain
 * errors; the target names the Neutron resource or attribute so the dialect can pick its exception
 * type (RouterNotFound, SubnetInUse, …) from the kind and the target.
 */
export type CoreObject = 'network' | 'subnet' | 'router' | 'port' | 'router_interface';

const NOT_FOUND: Record<CoreObject, DomainErrorCode> = {
  network: 'vpc_not_found', subnet: 'subnet_not_found', router: 'not_found', port: 'not_found', router_interface: 'not_found',
};
const NOUN: Record<Exclude<CoreObject, 'router_interface'>, string> = { network: 'Network', subnet: 'Subnet', router: 'Router', port: 'Port' };

export function coreNotFound(what: CoreObject, id: string, message?: string): DomainError {
  const text = message ?? `${what === 'router_interface' ? 'Router interface' : NOUN[what]} ${id} could not be found.`;
  return new DomainError(NOT_FOUND[what], text, { type: 'field', name: what, value: id });
}

/** 409: the object is still used (NetworkInUse, SubnetInUse, RouterInUse). */
export function coreInUse(what: 'network' | 'subnet' | 'router', message: string): DomainError {
  const code: DomainErrorCode = what === 'network' ? 'vpc_in_use' : what === 'subnet' ? 'subnet_in_use' : 'resource_not_ready';
  return new DomainError(code, message, { type: 'field', name: what });
}

/** 400 on an attribute. */
export function coreBadRequest(attr: string, message: string): DomainError {
  return new DomainError('invalid_value', message, { type: 'field', name: attr });
}

/** The item when the actor may see it. */
export function seenBy<T extends { accountId: string }>(actor: Actor, item: T | undefined): T | undefined {
  return item && (actor.isAdmin || item.accountId === actor.accountId) ? item : undefined;
}
