import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { codeMigrations } from './migrations.js';
import type { Database } from './schema.js';

export interface OpenedStore {
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
  const prepare = (sql: string): SqliteDatabase.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= max) cache.clear();
      stmt = sqlite.prepare(sql);
      cache.set(sql, stmt);
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

/** Opens the store and brings its schema up to date. Every process that opens it runs migrations. */
export async function openStore(url: string): Promise<OpenedStore> {
  const { path } = parseDbUrl(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(path);
  // Owner-only: the store holds sealed secrets. SQLite gives the -wal and -shm files the same mode.
  if (path !== ':memory:') chmodSync(path, 0o600);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const { error, results } = await new Migrator({ db, provider: codeMigrations }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`db: migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { db, close: () => db.destroy() };
}
