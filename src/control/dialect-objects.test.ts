import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { openControl } from '../cli/control-open.js';
import { loadSettings } from '../config/settings.js';
import type { Actor } from '../domain/tenancy.js';
import { SYSTEM_ACTOR } from './index.js';

/**
 * control.dialectObjects over a real SQLite store (the test server's, without HTTP): tenancy decided in
 * control like every other object, and lists paged by created_at.
 */
describe('dialect objects', () => {
  let t: TestServer;
  let one: Actor;
  let two: Actor;
  const CGW = { dialect: 'huawei', kind: 'customer_gateway' } as const;

  beforeAll(async () => {
    t = await startTestServer();
    const cp = t.server.control;
    one = { accountId: (await cp.accounts.create(SYSTEM_ACTOR, 'do-one')).account.id, isAdmin: false };
    two = { accountId: (await cp.accounts.create(SYSTEM_ACTOR, 'do-two')).account.id, isAdmin: false };
  });
  afterAll(() => t?.close());

  it("another account's object answers as missing to get, update and remove, and is not listed", async () => {
    const objects = t.server.control.dialectObjects;
    const mine = await objects.put(one, { ...CGW, name: 'mine', data: { id_value: '203.0.113.5' } });
    expect(mine).toMatchObject({ ...CGW, accountId: one.accountId, name: 'mine', data: { id_value: '203.0.113.5' } });

    const missing = { code: 'not_found', kind: 'not_found', subject: { resource: 'dialect_object', id: mine.id } };
    await expect(objects.get(two, CGW.dialect, CGW.kind, mine.id)).rejects.toMatchObject(missing);
    await expect(objects.put(two, { ...CGW, id: mine.id, name: 'taken', data: {} })).rejects.toMatchObject(missing);
    await expect(objects.remove(two, CGW.dialect, CGW.kind, mine.id)).rejects.toMatchObject(missing);
    expect(await objects.list(two, { ...CGW, limit: 10 })).toEqual({ items: [], total: 0 });
    // Naming the other account's project does not widen a member's list.
    expect(await objects.list(two, { ...CGW, accountId: one.accountId, limit: 10 })).toEqual({ items: [], total: 0 });
    // The same id under another dialect or kind is another object: missing too.
    await expect(objects.get(one, 'neutron', CGW.kind, mine.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(objects.get(one, CGW.dialect, 'connection_monitor', mine.id)).rejects.toMatchObject({ code: 'not_found' });

    // Untouched by the refused calls; its owner and an administrator see it.
    expect(await objects.get(one, CGW.dialect, CGW.kind, mine.id)).toEqual(mine);
    expect(await objects.get(SYSTEM_ACTOR, CGW.dialect, CGW.kind, mine.id)).toEqual(mine);
    const admin = await objects.list(SYSTEM_ACTOR, { ...CGW, accountId: one.accountId, limit: 10 });
    expect(admin.items.map((o) => o.id)).toEqual([mine.id]);
    // An administrator creates into the account it names.
    const placed = await objects.put(SYSTEM_ACTOR, { ...CGW, name: 'placed', data: {}, accountId: two.accountId });
    expect(placed.accountId).toBe(two.accountId);
    expect((await objects.list(two, { ...CGW, limit: 10 })).items.map((o) => o.id)).toEqual([placed.id]);

    await objects.remove(one, CGW.dialect, CGW.kind, mine.id);
    await expect(objects.get(one, CGW.dialect, CGW.kind, mine.id)).rejects.toMatchObject({ code: 'not_found' });
    await objects.remove(SYSTEM_ACTOR, CGW.dialect, CGW.kind, placed.id);
  });

  it('two writers at the same instant still give distinct created_at values, so markers page through each exactly once', async () => {
    // A second control plane on the same database (as the CLI beside the server), with its own clock;
    // both see the same Date.now(), so each put ties with the one before and must move a millisecond on.
    const other = await openControl(loadSettings({ dataDir: t.dataDir, port: '0' }, {}), {});
    const kind = { dialect: 'huawei', kind: 'paging_probe' };
    const instant = Date.now() + 60_000;
    const now = vi.spyOn(Date, 'now').mockReturnValue(instant);
    const made = [];
    try {
      for (let i = 0; i < 7; i++) {
        const writer = i % 2 === 0 ? t.server.control : other.control;
        made.push(await writer.dialectObjects.put(one, { ...kind, name: `p${i}`, data: { i } }));
        // Another account's object of the same kind at the same instant: not in one's pages.
        if (i < 3) await writer.dialectObjects.put(two, { ...kind, name: `q${i}`, data: {} });
      }
    } finally {
      now.mockRestore();
      await other.close();
    }
    expect(made[0]!.createdAt).toBe(instant);
    expect(new Set(made.map((o) => o.createdAt)).size).toBe(made.length);

    const objects = t.server.control.dialectObjects;
    const seen: string[] = [];
    let after: number | undefined;
    for (let page = 0; page < 10; page++) {
      const p = await objects.list(one, { ...kind, limit: 3, ...(after !== undefined ? { after } : {}) });
      expect(p.total).toBe(7);
      if (p.items.length === 0) break;
      expect(p.items.length).toBeLessThanOrEqual(3);
      seen.push(...p.items.map((o) => o.id));
      after = p.items.at(-1)!.createdAt;
    }
    expect(seen).toEqual(made.map((o) => o.id)); // oldest first, each once
  });
});
