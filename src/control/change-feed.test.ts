import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store-open.js';
import { readChanges } from './change-feed.js';
import type { Tx } from './tx.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const commit = (s: Store) =>
  s.write(async () =>
    s.logChanges({ at: Date.now(), changes: [{ resource: 'vpc', id: '1', action: 'create', gatewayIds: ['g'] }], connectionIds: [], gatewayIds: [] }),
  );
const read = (s: Store, generation: number) => s.read((ex) => readChanges({ ex } as unknown as Tx, generation));

describe('readChanges', () => {
  it('a commit landing between its queries is read, never taken for a pruned log (no false resync)', async () => {
    const s = (store = await openStore('sqlite::memory:'));
    await commit(s);
    await commit(s);
    for (let i = 0; i < 20; i++) {
      const at = (await read(s, 0)).generation; // the reader is up to date
      const [batch] = await Promise.all([read(s, at), commit(s)]);
      expect(batch.resync).toBe(false);
      expect(batch.entries.map((e) => e.generation)).toEqual(batch.entries.length ? [at + 1] : []);
    }
  });

  it('resyncs a reader ahead of the store or behind what the log holds; reads on from the edge', async () => {
    const s = (store = await openStore('sqlite::memory:'));
    for (let i = 0; i < 4; i++) await commit(s);
    expect(await read(s, 4)).toEqual({ generation: 4, resync: false, entries: [] });
    expect(await read(s, 9)).toEqual({ generation: 4, resync: true, entries: [] });
    await s.write((ex) => ex.deleteFrom('changes').where('generation', '<=', 2).execute());
    expect(await read(s, 1)).toEqual({ generation: 4, resync: true, entries: [] });
    expect(await read(s, 2)).toMatchObject({ generation: 4, resync: false, entries: [{ generation: 3 }, { generation: 4 }] });
  });
});
