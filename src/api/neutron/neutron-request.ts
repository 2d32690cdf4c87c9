import type { FastifyRequest } from 'fastify';
import { parseId, toHex32 } from '../../domain/ids.js';
import type { Actor } from '../../domain/tenancy.js';
import { badRequest, echo, invalidInput } from './neutron-errors.js';
import { textOf } from '../../domain/text.js';

/**
 * Request conventions shared by every Neutron resource (A2): the `{"<singular>": {...}}` envelope,
 * the attribute map (unknown keys → 400, read-only keys → 400), owner fields, string limits.
 */

export type Body = Record<string, unknown>;

/** The object under `key`; Neutron's messages for an empty body, a missing key, a non-object. */
export function unwrap(req: FastifyRequest, key: string): Body {
  const body = req.body;
  if (body === undefined || body === null || body === '') throw badRequest('Resource body required');
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('Resource body required');
  const inner = (body as Body)[key];
  if (inner === undefined) throw badRequest(`Unable to find '${key}' in request body`);
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw badRequest(`Object '${key}' contains invalid data`);
  return inner as Body;
}

/** Refuses keys outside `allowed` (Neutron: "Unrecognized attribute(s)") and keys not allowed in this method. */
export function checkKeys(b: Body, allowed: readonly string[], method: 'POST' | 'PUT', readOnly: readonly string[] = []): void {
  const unknown = Object.keys(b).filter((k) => !allowed.includes(k) && !readOnly.includes(k));
  if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${echo(unknown.join(', '))}'`);
  const ro = Object.keys(b).filter((k) => readOnly.includes(k));
  if (ro.length > 0) throw badRequest(method === 'POST' ? `Attribute '${ro[0]}' not allowed in POST` : `Cannot update read-only attribute ${ro[0]}`);
}

export function str(b: Body, key: string, max = 255): string | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (v === null) return '';
  if (typeof v !== 'string') throw invalidInput(key, `'${echo(v)}' is not a valid string`);
  if (v.length > max) throw invalidInput(key, `'${echo(v)}' exceeds maximum length of ${max}`);
  return v;
}

export function bool(b: Body, key: string): boolean | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  const t = textOf(v).toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(t)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(t)) return false;
  throw invalidInput(key, `'${echo(v)}' cannot be converted to boolean`);
}

export function uuid(b: Body, key: string, required = false): string | undefined {
  const v = b[key];
  if (v === undefined || v === null) {
    if (required) throw badRequest(`Failed to parse request. Required attribute '${key}' not specified`);
    return undefined;
  }
  const id = typeof v === 'string' ? parseId(v) : undefined;
  if (!id || !/^[0-9a-fA-F-]{36}$/.test(textOf(v))) throw invalidInput(key, `'${echo(v)}' is not a valid UUID`);
  return id;
}

export function required<T>(v: T | undefined, key: string): T {
  if (v === undefined) throw badRequest(`Failed to parse request. Required attribute '${key}' not specified`);
  return v;
}

/** Tenancy ids are shown as 32 hex digits; accounts are Keystone projects. */
export const projectIdOf = (accountId: string): string => toHex32(accountId);

/**
 * The account a create is for: `project_id` / `tenant_id` (equal if both), the caller's own project
 * by default; only an admin may name another project.
 */
export function ownerOf(actor: Actor, b: Body): string {
  const p = b['project_id'];
  const t = b['tenant_id'];
  if (p !== undefined && t !== undefined && p !== t) throw badRequest("'project_id' and 'tenant_id' do not match");
  const given = p ?? t;
  if (given === undefined || given === null) return actor.accountId;
  const id = typeof given === 'string' ? parseId(given) : undefined;
  if (!id) throw invalidInput(p !== undefined ? 'project_id' : 'tenant_id', `'${echo(given)}' is not a valid project id`);
  if (id !== actor.accountId && !actor.isAdmin) {
    throw badRequest("Specifying 'project_id' other than the authenticated project in request is not allowed for the current user.");
  }
  return id;
}

/** The owner fields every Neutron object shows (both, equal). */
export const ownerFields = (accountId: string): { tenant_id: string; project_id: string } => ({
  tenant_id: projectIdOf(accountId),
  project_id: projectIdOf(accountId),
});

/** The id in a path, or a 404 of the given type when it is not one (Neutron answers 404 for any unknown id). */
export function pathId(raw: string): string | undefined {
  return parseId(raw);
}
