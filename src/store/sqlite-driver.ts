import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type QueryResult, SqliteDialect, SqliteDriver } from 'kysely';

/** Hands the one connection to its waiters one at a time, first come first served. */
class FifoLock<T> {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  constructor(private readonly value: T) {}

  acquire(): Promise<T> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(this.value);
    }
    return new Promise((ok) => this.#waiters.push(() => ok(this.value)));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}

/**
 * The store's one SQLite connection. Kysely prepares every query anew; better-sqlite3 statements can be
 * reused, and one statement runs at a time here, so they are cached by SQL text.
 */
class CachedSqliteConnection implements DatabaseConnection {
  readonly #cache = new Map<string, SqliteDatabase.Statement>();

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly max = 512,
  ) {}

  /** Least recently used first out: queries with IN lists of every length must not flush the hot statements. */
  #prepare(text: string): SqliteDatabase.Statement {
    let stmt = this.#cache.get(text);
    if (stmt) {
      this.#cache.delete(text);
    } else {
      if (this.#cache.size >= this.max) this.#cache.delete(this.#cache.keys().next().value!);
      stmt = this.sqlite.prepare(text);
    }
    this.#cache.set(text, stmt);
    return stmt;
  }

  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.#prepare(q.sql);
    const params = q.parameters as unknown[];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) as R[] });
    const { changes, lastInsertRowid } = stmt.run(params);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const stmt = this.#prepare(q.sql);
    if (!stmt.reader) throw new Error('only a query that returns rows can be streamed');
    for (const row of stmt.iterate(q.parameters)) yield { rows: [row as R] };
  }
}

/**
 * Kysely's SQLite driver with the connection handed over in arrival order (Kysely's mutex wakes every
 * waiter on each release and all but one wait again, which under 32 concurrent writers cost more than
 * the writes), statements cached, and transactions (Kysely's own, for migrations, too) started with
 * BEGIN IMMEDIATE.
 */
class StoreSqliteDriver extends SqliteDriver {
  readonly #lock: FifoLock<DatabaseConnection>;

  constructor(private readonly sqlite: SqliteDatabase.Database) {
    super({ database: sqlite });
    this.#lock = new FifoLock<DatabaseConnection>(new CachedSqliteConnection(sqlite));
  }

  override init(): Promise<void> {
    return Promise.resolve();
  }

  override acquireConnection(): Promise<DatabaseConnection> {
    return this.#lock.acquire();
  }

  override releaseConnection(): Promise<void> {
    this.#lock.release();
    return Promise.resolve();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override destroy(): Promise<void> {
    if (this.sqlite.open) this.sqlite.close();
    return Promise.resolve();
  }
}
/** Kysely's SQLite dialect over the store's driver. */
export class StoreSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SqliteDatabase.Database) {
    super({ database: sqlite });
  }
  override createDriver(): SqliteDriver {
    return new StoreSqliteDriver(this.sqlite);
  }
}
