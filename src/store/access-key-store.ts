import type { Executor } from './schema.js';
import type { SecretBox } from './secret-box.js';

/** A Huawei access key: the AK (its id), its user, the secret key (opened only on the way out). */
export interface AccessKeyRecord {
  readonly id: string;
  readonly userId: string;
  readonly secret: string;
  readonly createdAt: number;
}

/** Access key rows hold the secret key sealed (AES-256-GCM); it is opened only when a signature is checked. */
export class AccessKeyStore {
  readonly #box: SecretBox;

  constructor(box: SecretBox) {
    this.#box = box;
  }

  async insert(ex: Executor, k: AccessKeyRecord): Promise<void> {
    await ex
      .insertInto('access_keys')
      .values({ id: k.id, user_id: k.userId, secret_enc: this.#box.seal(k.secret), created_at: k.createdAt })
      .execute();
  }

  /** The keys of one user, or every key; oldest first, secrets left sealed and out. */
  async list(ex: Executor, userId?: string): Promise<Omit<AccessKeyRecord, 'secret'>[]> {
    let q = ex.selectFrom('access_keys').select(['id', 'user_id', 'created_at']);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, createdAt: Number(r.created_at) }));
  }

  async count(ex: Executor, userId: string): Promise<number> {
    const r = await ex
      .selectFrom('access_keys')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The key with its secret opened, for verifying a signature. */
  async get(ex: Executor, id: string): Promise<AccessKeyRecord | undefined> {
    const r = await ex.selectFrom('access_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, userId: r.user_id, secret: this.#box.open(r.secret_enc), createdAt: Number(r.created_at) } : undefined;
  }

  async remove(ex: Executor, id: string): Promise<boolean> {
    const r = await ex.deleteFrom('access_keys').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
