import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { parseId } from '../../domain/ids.js';
import { fromDomain, invalidInput, NeutronError, notFound } from './neutron-errors.js';
import type { Body } from './neutron-request.js';

/**
 * Wire conventions shared by the core resources (networks, subnets, routers, ports): exception types
 * for the core use cases' refusals, path ids, fixed-value attributes, Neutron's core timestamps.
 */

const NOT_FOUND: Readonly<Record<string, string>> = {
  network: 'NetworkNotFound', network_id: 'NetworkNotFound', subnet: 'SubnetNotFound', subnet_id: 'SubnetNotFound',
  router: 'RouterNotFound', port: 'PortNotFound', port_id: 'PortNotFound', router_interface: 'RouterInterfaceNotFound',
};
const IN_USE: Readonly<Record<string, string>> = { network: 'NetworkInUse', subnet: 'SubnetInUse', router: 'RouterInUse' };

/** A core use case's refusal as Neutron's exception (type from the kind and the target the use case named). */
export function coreFault(e: unknown): unknown {
  if (!DomainError.is(e)) return e;
  const target = e.target?.name ?? '';
  if (e.code === 'vpc_not_found') return new NeutronError(404, 'NetworkNotFound', e.message);
  if (e.code === 'subnet_not_found') return new NeutronError(404, 'SubnetNotFound', e.message);
  if (e.kind === 'not_found' && NOT_FOUND[target]) return new NeutronError(404, NOT_FOUND[target]!, e.message);
  if ((e.kind === 'in_use' || e.code === 'resource_not_ready') && IN_USE[target]) return new NeutronError(409, IN_USE[target]!, e.message);
  if (e.code === 'public_ip_exhausted') return new NeutronError(409, target === 'ip_address' ? 'IpAddressAlreadyAllocated' : 'IpAddressGenerationFailure', e.message);
  if (e.code === 'not_authorized') return new NeutronError(403, 'PolicyNotAuthorized', e.message);
  return fromDomain(e);
}

/** Runs a handler body, turning domain refusals into Neutron's core exceptions. */
export async function core<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw coreFault(e);
  }
}

/** A path id, or 404 `<type>` "<Noun> <raw> could not be found." (Neutron does not check the form of path ids). */
export function pathIdOr404(raw: string, type: string, noun: string): string {
  const id = parseId(raw);
  if (!id) throw notFound(type, `${noun} ${raw} could not be found.`);
  return id;
}

export const forbidden = (message: string): NeutronError => new NeutronError(403, 'PolicyNotAuthorized', message);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * An attribute Causeway accepts only with the value(s) it has (e.g. `shared: false`, `mtu: 1500`): any
 * of `accepted` (compared as JSON) passes, anything else is 400 saying what is supported.
 */
export function fixedAttr(b: Body, key: string, accepted: readonly unknown[], convert: (v: unknown) => unknown = (v) => v): void {
  if (!(key in b)) return;
  const v = convert(b[key]);
  if (accepted.some((a) => same(a, v))) return;
  throw invalidInput(key, `'${JSON.stringify(b[key])}' is not supported by this server (supported: ${accepted.map((a) => JSON.stringify(a)).join(', ')})`);
}

/** Neutron's strict boolean converter, for fixedAttr. */
export function asBool(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  const t = String(v).toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(t)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(t)) return false;
  return v;
}

/** Lists: null and missing are the empty list. */
export const asList = (v: unknown): unknown => (v === null ? [] : v);

/** Core resources show times as `2026-01-02T03:04:05Z`. */
export const coreTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The collection's URL for `<collection>_links`. */
export const collectionUrl = (publicUrl: string, collection: string): string => `${publicUrl.replace(/\/+$/, '')}/v2.0/${collection}`;

/** The request with some query keys taken out (for filters a route applies itself before listResponse). */
export function withoutQuery(req: FastifyRequest, keys: readonly string[]): FastifyRequest {
  const q = { ...(req.query as Record<string, unknown>) };
  for (const k of keys) delete q[k];
  const copy = Object.create(req) as FastifyRequest;
  Object.defineProperty(copy, 'query', { value: q, enumerable: true });
  return copy;
}
