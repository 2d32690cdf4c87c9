import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, Kysely, Migrator, SqliteDialect, SqliteDriver, sql } from 'kysely';
import { codeMigrations } from './migrations.js';
import type { Database, Executor } from './schema.js';
import { translateStoreError } from './store-errors.js';
import { textOf } from '../domain/text.js';

/**
 * The store as the control plane uses it: transactions only. `write` takes the write lock at once
 * (SQLite `BEGIN IMMEDIATE`), so a transaction never fails half-way on a lock upgrade when another
 * process (the CLI, a second server) writes too; `read` sees one consistent snapshot.
 */
export interface Store {
  readonly kind: 'sqlite';
  write<T>(fn: (ex: Executor) => Promise<T>): Promise<T>;
  read<T>(fn: (ex: Executor) => Promise<T>): Promise<T>;
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

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused. The driver runs one
 * statement at a time on its single connection, so a cache keyed by SQL text is safe.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, max = 512): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (text: string): SqliteDatabase.Statement => {
    let stmt = cache.get(text);
    if (!stmt) {
      if (cache.size >= max) cache.clear();
      stmt = sqlite.prepare(text);
      cache.set(text, stmt);
    }
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Kysely's own transactions (migrations) also start with BEGIN IMMEDIATE. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config);
  }
}

/**
 * One transaction on one connection. When the body fails, a failed rollback (SQLite has already rolled
 * back after SQLITE_FULL: "cannot rollback - no transaction is active") never hides the body's error.
 */
async function inTransaction<T>(db: Kysely<Database>, begin: string, fn: (ex: Executor) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(begin).execute(conn);
    let result: T;
    try {
      result = await fn(conn);
      await sql.raw('commit').execute(conn);
    } catch (e) {
      try {
        await sql.raw('rollback').execute(conn);
      } catch {
        /* the transaction is already gone; the body's error is what matters */
      }
      throw translateStoreError(e);
    }
    return result;
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
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  const { error, results } = await new Migrator({ db, provider: codeMigrations }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`db: migration ${failed} failed: ${error instanceof Error ? error.message : textOf(error)}`);
  }
  return {
    kind: 'sqlite',
    db,
    write: (fn) => inTransaction(db, 'begin immediate', fn),
    read: (fn) => inTransaction(db, 'begin', fn),
    close: () => db.destroy(),
  };
}
