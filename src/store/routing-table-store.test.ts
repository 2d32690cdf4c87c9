import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { codeMigrations } from './migrations.js';
import { defaultRoutingTable } from './routing-table-store.js';
import type { Database } from './schema.js';
import { StoreSqliteDialect } from './sqlite-driver.js';

describe('migration 0015-routing-tables', () => {
  it('gives every VPC that exists a default routing table', async () => {
    const sqlite = new SqliteDatabase(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new StoreSqliteDialect(sqlite) });
    try {
      const migrator = new Migrator({ db, provider: codeMigrations });
      expect((await migrator.migrateTo('0014-connection-events')).error).toBeUndefined();
      for (const id of ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']) {
        await db
          .insertInto('vpcs')
          .values({ id, account_id: 'a', resource_group_id: 'g', name: `vpc-${id.slice(0, 1)}`, created_at: 5 })
          .execute();
      }
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      for (const id of ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']) {
        const t = await defaultRoutingTable(db, id);
        expect(t).toMatchObject({ vpcId: id, accountId: 'a', isDefault: true, createdAt: 5 });
        expect(t!.name).toMatch(/^[a-z]+(-[a-z]+)+$/);
      }
    } finally {
      await db.destroy();
    }
  });
});
