import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { type ChangeBatchInput, sqliteChangeWriter } from './change-store.js';
import { codeMigrations } from './migrations.js';
import { StoreSqliteDialect } from './sqlite-driver.js';
import type { Database, Executor } from './schema.js';
import { translateStoreError } from './store-errors.js';
import { textOf } from '../domain/text.js';

/**
 * The store as the control plane uses it. `write` is one transaction that takes the write lock at once
 * (SQLite `BEGIN IMMEDIATE`), so it never fails half-way on a lock upgrade when another process (the
 * CLI, a second server) writes too. `snapshot` is one read transaction: all its queries see the same
 * committed state (PostgreSQL: REPEATABLE READ READ ONLY). `read` runs each query on its own, each
 * seeing the latest commit: what a single view needs, without a transaction's cost.
 */
export interface Store {
  readonly kind: 'sqlite';
  write<T>(fn: (ex: Executor) => Promise<T>): Promise<T>;
  snapshot<T>(fn: (ex: Executor) => Promise<T>): Promise<T>;
  read<T>(fn: (ex: Executor) => Promise<T>): Promise<T>;
  /** Inside a `write` body: appends its changes to the change log under the next generation, which it returns. */
  logChanges(batch: ChangeBatchInput): number;
  /** The raw handle, for the composition root's white-box tests only; never handed to a dialect. */
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

/** `sqlite:<path>` (or `sqlite::memory:`). PostgreSQL lands with the scale-out work. */
export function parseDbUrl(url: string): { kind: 'sqlite'; path: string } {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path.length === 0) throw new Error(`db: '${url}' names no file; use sqlite:<path>`);
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:/.test(url)) throw new Error(`db: PostgreSQL is not supported yet; use sqlite:<path>`);
  throw new Error(`db: '${url}' is not a database URL; use sqlite:<path>`);
}

/** Transaction control on the one SQLite connection, as prepared statements (no query building per call). */
interface TxStatements {
  readonly begin: SqliteDatabase.Statement;
  readonly beginImmediate: SqliteDatabase.Statement;
  readonly commit: SqliteDatabase.Statement;
  readonly rollback: SqliteDatabase.Statement;
}

/**
 * One transaction on the store's one connection (held for the whole body through the driver's connection
 * lock). When the body fails, the rollback runs only if SQLite still has the transaction open: after
 * SQLITE_FULL it has already rolled back, and the body's error is what is reported.
 */
async function inTransaction<T>(
  db: Kysely<Database>,
  sqlite: SqliteDatabase.Database,
  stmts: TxStatements,
  immediate: boolean,
  fn: (ex: Executor) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    try {
      (immediate ? stmts.beginImmediate : stmts.begin).run();
      const result = await fn(conn);
      stmts.commit.run();
      return result;
    } catch (e) {
      if (sqlite.inTransaction) {
        try {
          stmts.rollback.run();
        } catch {
          /* the transaction is gone after all; the body's error is what matters */
        }
      }
      throw translateStoreError(e);
    }
  });
}

/** Opens the store and brings its schema up to date. Every process that opens it runs migrations. */
export async function openStore(url: string): Promise<Store> {
  const { path } = parseDbUrl(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(path);
  // Owner-only: the store holds sealed secrets. SQLite gives the -wal and -shm files the same mode.
  if (path !== ':memory:') chmodSync(path, 0o600);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new StoreSqliteDialect(sqlite) });
  const { error, results } = await new Migrator({ db, provider: codeMigrations }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`db: migration ${failed} failed: ${error instanceof Error ? error.message : textOf(error)}`);
  }
  const stmts: TxStatements = {
    begin: sqlite.prepare('begin'),
    beginImmediate: sqlite.prepare('begin immediate'),
    commit: sqlite.prepare('commit'),
    rollback: sqlite.prepare('rollback'),
  };
  return {
    kind: 'sqlite',
    db,
    write: (fn) => inTransaction(db, sqlite, stmts, true, fn),
    logChanges: sqliteChangeWriter(sqlite),
    snapshot: (fn) => inTransaction(db, sqlite, stmts, false, fn),
    read: (fn) =>
      fn(db).catch((e: unknown) => {
        throw translateStoreError(e);
      }),
    close: () => db.destroy(),
  };
}
