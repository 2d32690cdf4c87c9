import { textOf } from '../domain/text.js';
/**
 * What the log says about a request that failed on our side (5xx): the error and, when a driver error
 * was turned into a domain error (a full disk became `storage_full`), that cause with its code, so
 * the log shows `SQLITE_FULL` rather than only what the client was told.
 */
export function failureLog(err: unknown): Record<string, unknown> {
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  if (!cause || typeof cause !== 'object') return { err };
  const c = cause as { name?: unknown; message?: unknown; code?: unknown };
  return { err, cause: { type: textOf(c.name ?? 'Error'), message: textOf(c.message ?? ''), ...(c.code !== undefined ? { code: textOf(c.code) } : {}) } };
}
