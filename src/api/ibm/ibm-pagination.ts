import { Type } from 'typebox';
import type { Page, PageRequest } from '../../control/index.js';
import { ibmInvalid } from './ibm-errors.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

/** Query parameters every IBM collection takes. */
export const PageQuery = {
  version: Type.Optional(Type.String({ description: 'API version date, YYYY-MM-DD (required).' })),
  generation: Type.Optional(Type.Integer({ description: 'Must be 2.' })),
  start: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque token from a next link.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Page size, 1-100 (default 50).' })),
};

export const PageLinkSchema = Type.Object({ href: Type.String() });

export function collectionSchema(key: string, item: ReturnType<typeof Type.Object> | ReturnType<typeof Type.Unsafe>) {
  return Type.Object({
    [key]: Type.Array(item),
    first: PageLinkSchema,
    limit: Type.Integer(),
    next: Type.Optional(PageLinkSchema),
    total_count: Type.Integer(),
  });
}

export function encodeStart(key: readonly [string | number, string]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeStart(start: string): readonly [string | number, string] {
  try {
    const v = JSON.parse(Buffer.from(start, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === 'number' || typeof v[0] === 'string') && typeof v[1] === 'string') {
      return [v[0], v[1]];
    }
  } catch {
    /* falls through */
  }
  throw ibmInvalid(
    'start',
    `The start token '${start.slice(0, 64)}' is not one this server issued; use the href of a next link.`,
    'invalid_value',
    'parameter',
  );
}

/** The effective page size (the query schema fills in the default; this keeps one source for it). */
export function limitOf(q: { limit?: number }): number {
  return q.limit ?? DEFAULT_LIMIT;
}

export function pageRequest(q: { start?: string; limit?: number }, sort: PageRequest['sort'] = 'created_at', desc = false): PageRequest {
  return { limit: limitOf(q), sort, desc, ...(q.start ? { after: decodeStart(q.start) } : {}) };
}

/** The IBM envelope: first, limit, next (when more), total_count. `extra` keeps filters in the links. */
export function pageEnvelope<T, W>(
  key: string,
  page: Page<T>,
  map: (t: T) => W,
  baseHref: string,
  limit: number,
  extra: Record<string, string | undefined> = {},
) {
  const params = (start?: string): string => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) sp.set(k, v);
    if (start) sp.set('start', start);
    sp.set('limit', String(limit));
    return `${baseHref}?${sp.toString()}`;
  };
  return {
    [key]: page.items.map(map),
    first: { href: params() },
    limit,
    ...(page.next ? { next: { href: params(encodeStart(page.next)) } } : {}),
    total_count: page.total,
  };
}
