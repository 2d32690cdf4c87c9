import { randomBytes } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connection } from '../../test/domain-fixtures.js';
import { ConnectionStore } from './connection-store.js';
import { codeMigrations } from './migrations.js';
import type { Database } from './schema.js';
import { SecretBox } from './secret-box.js';
import { StoreSqliteDialect } from './sqlite-driver.js';

describe('connection tunnels_up (migration 0016): status, never configuration', () => {
  it('reads null for a connection from before it, is written by setStatus only, and keeps the revision', async () => {
    const sqlite = new SqliteDatabase(':memory:');
    sqlite.pragma('foreign_keys = OFF'); // a connection alone: its gateway, VPC and subnet are beside the point
    const db = new Kysely<Database>({ dialect: new StoreSqliteDialect(sqlite) });
    const box = new SecretBox(randomBytes(32));
    const store = new ConnectionStore(box);
    try {
      const migrator = new Migrator({ db, provider: codeMigrations });
      expect((await migrator.migrateTo('0015-routing-tables')).error).toBeUndefined();
      const c = connection({ kind: 'route_static', localCidrs: [], peerCidrs: [], revision: 3 });
      // A row as the schema before 0016 holds it (the store of that time wrote these columns).
      await db
        .insertInto('connections')
        .values({
          id: c.id,
          account_id: c.accountId,
          gateway_id: c.gatewayId,
          name: c.name,
          kind: c.kind,
          admin_state_up: 1,
          establish_mode: c.establishMode,
          psk_enc: box.seal(c.psk),
          peer: JSON.stringify(c.peer),
          peer_identity: null,
          local_identities: '[]',
          local_cidrs: '[]',
          peer_cidrs: '[]',
          ike_policy_id: null,
          ipsec_policy_id: null,
          auto_set: c.autoSet,
          dpd: JSON.stringify(c.dpd),
          distribute_traffic: 0,
          tunnels: '[]',
          status: 'down',
          status_reasons: '[]',
          lifecycle_state: 'stable',
          first_up_at: null,
          resets: 0,
          pinned_member: null,
          revision: 3,
          created_at: 0,
          updated_at: 0,
          cidr_count: 0,
        } as never)
        .execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect((await store.get(db, c.id))!.tunnelsUp).toBeNull();

      await store.setStatus(db, c.id, { status: 'up', statusReasons: [], tunnelsUp: [2], lifecycleState: 'stable' }, 1_000);
      const up = (await store.get(db, c.id))!;
      expect([up.status, up.tunnelsUp, up.firstUpAt, up.revision]).toEqual(['up', [2], 1_000, 3]);
      expect((await store.statusesOfGateway(db, c.gatewayId))[0]).toMatchObject({ id: c.id, status: 'up', tunnelsUp: [2] });

      // A configuration save never writes back the status it read.
      await store.save(db, { ...up, name: 'renamed', tunnelsUp: [1], revision: 4 }, 3);
      expect(await store.get(db, c.id)).toMatchObject({ name: 'renamed', tunnelsUp: [2], revision: 4 });

      await store.setStatus(db, c.id, { status: 'up', statusReasons: [], tunnelsUp: null, lifecycleState: 'stable' }, 2_000);
      expect(await store.get(db, c.id)).toMatchObject({ tunnelsUp: null, firstUpAt: 1_000, revision: 4 });
    } finally {
      await db.destroy();
    }
  });
});
