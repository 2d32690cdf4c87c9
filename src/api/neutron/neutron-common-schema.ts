import { type TObject, type TProperties, type TSchema, Type } from 'typebox';

/**
 * Schemas every Neutron route shares: the NeutronError envelope, `<collection>_links`, the list and
 * show query strings, path ids, and the builders for `{"<singular>": {...}}` bodies and answers.
 */

export const NETWORKING_TAGS = ['Networking (Neutron v2.0)'];
export const VPNAAS_TAGS = ['VPNaaS (Neutron v2.0)'];

export const NeutronErrorSchema = Type.Object(
  {
    NeutronError: Type.Object({
      type: Type.String({ description: "Neutron's exception name, e.g. HTTPBadRequest, NetworkNotFound, IKEPolicyInUse." }),
      message: Type.String(),
      detail: Type.String(),
    }),
  },
  { description: 'Neutron error envelope.' },
);

/** Error responses every route documents. */
export const ERRORS = { '4xx': NeutronErrorSchema, '5xx': NeutronErrorSchema } as const;

/** 204: no body. */
export const NoContent = Type.Unsafe<undefined>({ description: 'No content.' });

export const LinkSchema = Type.Object({ rel: Type.String(), href: Type.String() });
export type Link = { rel: string; href: string };

/** A path id: any text (an unknown or malformed id is a 404 of the resource's own type, as Neutron answers). */
export const IdParams = Type.Object({ id: Type.String({ description: 'The object id (a UUID; anything else is not found).' }) });

/** A query value that may be repeated (`?fields=id&fields=name`). */
const Repeatable = (description: string) => Type.Union([Type.String(), Type.Array(Type.String())], { description });

/**
 * A list's query string: the reserved keys below, and any attribute of the object as a filter
 * (`?name=x`, repeat a key for OR; booleans as True/False/1/0).
 */
export const ListQuery = Type.Object(
  {
    fields: Type.Optional(Repeatable('Only these attributes (repeatable).')),
    sort_key: Type.Optional(Repeatable('Sort by this attribute (repeatable; each needs a sort_dir).')),
    sort_dir: Type.Optional(Repeatable('asc or desc, one per sort_key.')),
    limit: Type.Optional(Repeatable('Page size: an integer, 0 or greater (0 = no limit).')),
    marker: Type.Optional(Repeatable('The id of the last object of the previous page.')),
    page_reverse: Type.Optional(Repeatable('True: the page before the marker.')),
  },
  { additionalProperties: true, description: 'Reserved keys, and any other attribute as a filter.' },
);

/** A show's query string: `fields=` (repeatable); other keys are ignored. */
export const ShowQuery = Type.Object(
  {
    fields: Type.Optional(Repeatable('Only these attributes (repeatable).')),
  },
  { additionalProperties: true },
);

export const LIST_DESCRIPTION: string =
  'Filters on any attribute (`?name=x`, repeat a key for OR), `fields=`, `sort_key`/`sort_dir`, ' +
  '`limit`/`marker`/`page_reverse` (then `<collection>_links` has the next and previous pages).';

/** `{ "<key>": item }`: a show, create or update answer. */
export function one<K extends string, T extends TSchema>(key: K, item: T): TObject<{ [P in K]: T }> {
  return Type.Object({ [key]: item } as { [P in K]: T });
}

/** `{ "<collection>": [item…], "<collection>_links"?: [...] }`: a list answer (items may lack attributes: `fields=`). */
export function listOf<K extends string, T extends TObject>(collection: K, item: T) {
  const items = Type.Array(Type.Partial(item));
  const links = Type.Optional(Type.Array(LinkSchema));
  return Type.Object({ [collection]: items, [`${collection}_links`]: links } as { [P in K]: typeof items } & { [P in `${K}_links`]: typeof links });
}

/** Annotations the Neutron validation translator reads (neutron-validation-errors.ts); ignored by Ajv. */
export const ENVELOPE_KEY = 'x-neutron-envelope';
export const READ_ONLY_KEY = 'x-neutron-read-only';
export const INVALID_KEY = 'x-neutron-invalid';

/** What Neutron answers when an attribute has the wrong type: a message (400 HTTPBadRequest) or a full error. */
export type Invalid = string | { readonly status?: number; readonly type?: string; readonly message: string };

/**
 * A request body `{ "<key>": attributes }`. The attribute object lists what the route accepts (other
 * keys reach the handler, which answers "Unrecognized attribute(s)"; `readOnly` are the keys Neutron
 * refuses as read-only or not allowed in POST); attributes not wrapped in Type.Optional are required.
 */
export function envelope<K extends string, P extends TProperties>(
  key: K,
  attrs: P,
  opts: { readonly readOnly?: readonly string[]; readonly description?: string } = {},
) {
  const inner = Type.Object(attrs, {
    ...(opts.readOnly ? { [READ_ONLY_KEY]: [...opts.readOnly] } : {}),
    ...(opts.description ? { description: opts.description } : {}),
  });
  return Type.Object({ [key]: inner } as { [Q in K]: typeof inner }, { [ENVELOPE_KEY]: key });
}

/** The attributes an envelope body schema accepts and those it refuses as read-only: what the handler's checkKeys gets. */
export function keysOf(body: TObject): { readonly allowed: string[]; readonly readOnly: string[] } {
  const meta = body as unknown as Record<string, unknown>;
  const inner = body.properties[meta[ENVELOPE_KEY] as string] as TObject;
  return {
    allowed: Object.keys(inner.properties),
    readOnly: [...(((inner as unknown as Record<string, unknown>)[READ_ONLY_KEY] as string[] | undefined) ?? [])],
  };
}
