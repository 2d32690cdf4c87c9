import { parseId } from '../../domain/ids.js';
import { notFound, type ResourceType } from '../../domain/errors.js';
import { ibmInvalid } from './ibm-errors.js';

/**
 * Resolves `{id}` / `{href}` / `{crn}` to a canonical id. A malformed or unknown id is `notFound`;
 * an identity with none or several of the keys is a 400.
 */
export function identityId(
  identity: { id?: string; href?: string; crn?: string },
  field: string,
  collection: string,
  resource: ResourceType,
  base: string,
): string {
  const keys = (['id', 'href', 'crn'] as const).filter((k) => identity[k] !== undefined);
  if (keys.length !== 1) throw ibmInvalid(field, `'${field}' needs exactly one of ${collection === 'subnets' ? 'id, crn or href' : 'id or href'}.`);
  let raw: string | undefined;
  if (identity.id !== undefined) raw = identity.id;
  else if (identity.href !== undefined) {
    // An href must point at this server (hrefs are built from the configured public URL).
    if (!identity.href.startsWith(`${base}/${collection}/`))
      throw ibmInvalid(`${field}.href`, `'${field}.href' must be an href of this server, ${base}/${collection}/<id>.`);
    raw = new RegExp(`/${collection}/([^/?#]+)/?$`).exec(identity.href)?.[1];
  } else raw = /:([^:]+)$/.exec(identity.crn!)?.[1];
  if (raw === undefined) throw ibmInvalid(field, `'${field}' does not refer to a resource in /${collection}.`);
  const id = parseId(raw);
  if (!id) throw notFound(resource, raw, `'${raw.slice(0, 80)}' was not found.`, { type: 'field', name: field, value: raw.slice(0, 80) });
  return id;
}

/** A path id: anything that is not a UUID answers 404 exactly like a missing resource. */
export function pathId(raw: string, resource: ResourceType): string {
  const id = parseId(raw);
  if (!id) throw notFound(resource, raw);
  return id;
}
