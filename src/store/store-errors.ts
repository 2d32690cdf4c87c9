import { DomainError } from '../domain/errors.js';

/** A driver's error as it reaches us: better-sqlite3's SqliteError or pg's DatabaseError both carry `code`. */
interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
}

const codeOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as DriverError).code === 'string' ? ((e as DriverError).code as string) : '';

/** A unique index refused the write (SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY, PostgreSQL 23505). */
export function isUniqueViolation(e: unknown): boolean {
  const c = codeOf(e);
  return c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY' || c === '23505';
}

/** The disk or the database's size limit is reached (SQLite SQLITE_FULL, PostgreSQL 53100 disk_full). */
export function isStorageFull(e: unknown): boolean {
  const c = codeOf(e);
  return c === 'SQLITE_FULL' || c === '53100';
}

/** Another writer held the database past the busy timeout (SQLite SQLITE_BUSY, PostgreSQL 40001/40P01). */
export function isContention(e: unknown): boolean {
  const c = codeOf(e);
  return c.startsWith('SQLITE_BUSY') || c === '40001' || c === '40P01';
}

/**
 * Driver errors stop here: a full disk, contention and a uniqueness refusal become domain errors, with
 * the driver's error kept as `cause` for the log. Anything else passes unchanged (a bug: 500, logged).
 */
export function translateStoreError(e: unknown): unknown {
  if (DomainError.is(e)) return e;
  let d: DomainError | undefined;
  if (isStorageFull(e)) d = new DomainError('storage_full');
  else if (isContention(e)) d = new DomainError('concurrent_update', 'The database was busy with another change; retry.');
  else if (isUniqueViolation(e)) d = new DomainError('name_not_unique');
  if (!d) return e;
  d.cause = e;
  return d;
}

/** Runs a write that a unique index guards; its refusal becomes the error `refused` makes (a name taken, said in the caller's words). */
export async function unlessTaken<T>(write: Promise<T>, refused: () => DomainError): Promise<T> {
  try {
    return await write;
  } catch (e) {
    if (isUniqueViolation(e)) throw refused();
    throw e;
  }
}
