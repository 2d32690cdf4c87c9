import type { Executor } from './schema.js';

/** An agent's credential: its name and the SHA-256 of its key (the key itself is shown once). */
export interface AgentKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly keyHash: string;
  readonly createdAt: number;
}

export async function insertAgentKey(ex: Executor, k: AgentKeyRecord): Promise<void> {
  await ex.insertInto('agent_keys').values({ id: k.id, name: k.name, key_hash: k.keyHash, created_at: k.createdAt }).execute();
}

export async function listAgentKeyRecords(ex: Executor): Promise<AgentKeyRecord[]> {
  const rows = await ex.selectFrom('agent_keys').selectAll().orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, keyHash: r.key_hash, createdAt: Number(r.created_at) }));
}

export async function deleteAgentKeyByName(ex: Executor, name: string): Promise<boolean> {
  const r = await ex.deleteFrom('agent_keys').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findAgentKeyByHash(ex: Executor, keyHash: string): Promise<AgentKeyRecord | undefined> {
  const r = await ex.selectFrom('agent_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return r ? { id: r.id, name: r.name, keyHash: r.key_hash, createdAt: Number(r.created_at) } : undefined;
}
