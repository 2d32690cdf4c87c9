import type { FastifyRequest } from 'fastify';
import { parseId } from '../../domain/ids.js';
import { echo, invalidInput, notFound } from './neutron-errors.js';
import type { Body } from './neutron-request.js';

/** Wire conventions shared by the core resources (networks, subnets, routers, ports): path ids, fixed-value attributes, Neutron's core timestamps. */

/** A path id, or 404 `<type>` "<Noun> <raw> could not be found." (Neutron does not check the form of path ids). */
export function pathIdOr404(raw: string, type: string, noun: string): string {
  const id = parseId(raw);
  if (!id) throw notFound(type, `${noun} ${echo(raw)} could not be found.`);
  return id;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The reason fixedAttr gives (and the body schemas, for a value of the wrong type): `shown` is the value as echoed. */
export const unsupportedReason = (shown: string, accepted: readonly unknown[]): string =>
  `'${shown}' is not supported by this server (supported: ${accepted.map((a) => JSON.stringify(a)).join(', ')})`;

/**
 * An attribute Causeway accepts only with the value(s) it has (e.g. `shared: false`, `mtu: 1500`): any
 * of `accepted` (compared as JSON) passes, anything else is 400 saying what is supported.
 */
export function fixedAttr(b: Body, key: string, accepted: readonly unknown[], convert: (v: unknown) => unknown = (v) => v): void {
  if (!(key in b)) return;
  const v = convert(b[key]);
  if (accepted.some((a) => same(a, v))) return;
  throw invalidInput(key, unsupportedReason(echo(b[key]), accepted));
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
