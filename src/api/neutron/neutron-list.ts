import type { FastifyRequest } from 'fastify';
import type { Link } from './neutron-common-schema.js';
import { badRequest } from './neutron-errors.js';
import { textOf } from '../../domain/text.js';

/**
 * Neutron list semantics over already-visible, already-rendered objects (A12): `?attr=value` filters
 * (repeat a key for OR), `fields=`, `sort_key`/`sort_dir`, `limit`/`marker`/`page_reverse` with
 * `<collection>_links`. Neutron emulates these over the DB rows too; collections here are per project.
 */
const RESERVED = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);

type Item = Record<string, unknown>;

function multi(q: Record<string, unknown>, key: string): string[] {
  const v = q[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

const asText = (v: unknown): string => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : textOf(v));

/** Does an item's attribute match one of the filter values (booleans and numbers compared as text)? */
function matches(value: unknown, wanted: readonly string[]): boolean {
  if (Array.isArray(value)) return value.some((x) => wanted.includes(asText(x)));
  const t = asText(value);
  return wanted.some(
    (w) =>
      w === t || (typeof value === 'boolean' && ['true', 'false', '1', '0'].includes(w.toLowerCase()) && (w.toLowerCase() === 'true' || w === '1') === value),
  );
}

export function fieldsOf(req: FastifyRequest): string[] {
  return multi(req.query as Record<string, unknown>, 'fields');
}

/** Only the asked-for keys (all when `fields` is absent). */
export function pick<T extends object>(item: T, fields: readonly string[]): Partial<T> {
  if (fields.length === 0) return item;
  return Object.fromEntries(Object.entries(item).filter(([k]) => fields.includes(k))) as Partial<T>;
}

/** A list answer: `{ "<collection>": [...], "<collection>_links"?: [...] }` (items may lack attributes: `fields=`). */
export type ListBody<C extends string, T> = { [K in C]: Partial<T>[] } & { [K in `${C}_links`]?: Link[] };

export function listResponse<C extends string, T extends object>(req: FastifyRequest, collection: C, views: readonly T[], baseUrl: string): ListBody<C, T> {
  const items = views as unknown as readonly Item[];
  const q = req.query as Record<string, unknown>;
  if (q['tenant_id'] !== undefined && q['project_id'] !== undefined) throw badRequest('Both tenant_id and project_id passed as filters.');
  let out = items.filter((it) => Object.keys(q).every((k) => RESERVED.has(k) || !(k in it) || matches(it[k], multi(q, k))));
  const keys = multi(q, 'sort_key');
  const dirs = multi(q, 'sort_dir');
  if (keys.length !== dirs.length) throw badRequest('The number of sort_keys and sort_dirs must be same');
  if (keys.length > 0) {
    const bad = keys.filter((k) => !(out[0] ? k in out[0] : true));
    if (bad.length > 0) throw badRequest(`[${bad.map((k) => `'${k}'`).join(', ')}] is invalid attribute for sort_keys`);
    out = [...out].sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const x = asText(a[keys[i]!]);
        const y = asText(b[keys[i]!]);
        if (x !== y) return (x < y ? -1 : 1) * (dirs[i] === 'desc' ? -1 : 1);
      }
      return 0;
    });
  }
  const links: Link[] = [];
  const limitRaw = q['limit'];
  if (limitRaw !== undefined) {
    const limit = Number(limitRaw);
    if (!/^\d+$/.test(textOf(limitRaw))) throw badRequest(`Limit must be an integer 0 or greater and not '${textOf(limitRaw)}'`);
    const reverse = textOf(q['page_reverse'] ?? 'false').toLowerCase() === 'true';
    const marker = q['marker'] === undefined ? undefined : textOf(q['marker']);
    let start = 0;
    let end = out.length;
    if (marker !== undefined) {
      const at = out.findIndex((it) => it['id'] === marker);
      if (reverse) end = at < 0 ? 0 : at;
      else start = at < 0 ? out.length : at + 1;
    }
    const page = limit === 0 ? out.slice(start, end) : reverse ? out.slice(Math.max(start, end - limit), end) : out.slice(start, start + limit);
    const more = limit !== 0 && (reverse ? end - limit > start : start + limit < end);
    const href = (m: string, rev: boolean): string => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q))
        if (k !== 'marker' && k !== 'page_reverse') for (const x of Array.isArray(v) ? v : [v]) params.append(k, String(x));
      params.set('marker', m);
      if (rev) params.set('page_reverse', 'True');
      return `${baseUrl}?${params.toString()}`;
    };
    if (page.length > 0) {
      if (!reverse ? more : true) links.push({ rel: 'next', href: href(String(page[page.length - 1]!['id']), false) });
      if (reverse ? more : marker !== undefined) links.push({ rel: 'previous', href: href(String(page[0]!['id']), true) });
    }
    out = page;
  }
  const fields = fieldsOf(req);
  return { [collection]: out.map((it) => pick(it, fields)), ...(links.length > 0 ? { [`${collection}_links`]: links } : {}) } as ListBody<C, T>;
}
