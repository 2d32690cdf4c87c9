// Content hashes of plain JSON data: equal content, equal hash, whatever the order of its keys. The
// agent compares what it loaded into charon with what it should hold by these, so they never change form.
import { createHash } from 'node:crypto';

/**
 * Canonical JSON: `JSON.stringify` of the value with every object's keys sorted, written in one pass
 * (no sorted copy of each object is built first: the agent hashes every connection of a gateway on
 * each plan and each reconcile, and the copies were most of that cost). Undefined when the value has
 * no JSON form (undefined, a function), as for `JSON.stringify`.
 */
export function canonicalJson(v: unknown): string | undefined {
  // undefined for undefined, a function or a symbol (the return type says so; lib.d.ts says string).
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + (canonicalJson(v[i]) ?? 'null');
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const k of jsKeyOrder(Object.keys(v).sort())) {
    const s = canonicalJson((v as Record<string, unknown>)[k]);
    if (s === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${s}`;
    first = false;
  }
  return `${out}}`;
}

/** An array-index key ("0", "17"): JavaScript puts these first in an object, in numeric order. */
const isIndexKey = (k: string): boolean => /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 2 ** 32 - 1;

/** Sorted keys in the order an object built from them holds them (index keys first, by number), as the sorted copies did. */
function jsKeyOrder(sorted: string[]): string[] {
  if (!sorted.some(isIndexKey)) return sorted;
  const index = sorted.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return [...index, ...sorted.filter((k) => !isIndexKey(k))];
}

/** Canonical JSON (sorted keys) hashed with SHA-256, as hex. */
export function contentHash(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value) ?? '')
    .digest('hex');
}
