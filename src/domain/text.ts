/**
 * How an untyped value read from the wire (a query parameter, a JSON field, a VICI value) reads as
 * text: strings as they are, numbers and booleans as written, nothing as '', anything else as JSON
 * (never "[object Object]").
 */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === undefined || v === null) return '';
  if (v instanceof Error) return v.message;
  return JSON.stringify(v) ?? '';
}
