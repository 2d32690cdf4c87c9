import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalidField } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Database } from '../store/schema.js';
import type { Clock } from './clock.js';
import { ACCOUNT_NAME, hashApiKey } from './create-account.js';

/**
 * Agent credentials: one key per agent (a gateway host), shown once, stored as its SHA-256. An agent
 * key opens the agent API only (desired state with pre-shared keys, status reports), never /v1.
 */
export interface AgentKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

export async function createAgentKey(db: Kysely<Database>, clock: Clock, name: string): Promise<{ agent: AgentKeyInfo; key: string }> {
  if (!ACCOUNT_NAME.test(name)) throw invalidField('name', `Agent name '${name}' is not valid: use 1-63 lower-case letters, digits, '-', '_' or '.'.`);
  const key = `cwa_${randomBytes(32).toString('base64url')}`;
  const agent: AgentKeyInfo = { id: newId(), name, createdAt: clock.now() };
  await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('agent_keys').select('id').where('name', '=', name).executeTakeFirst()) {
      throw new DomainError('name_not_unique', `An agent named '${name}' already exists.`, { type: 'field', name: 'name' });
    }
    await trx.insertInto('agent_keys').values({ id: agent.id, name, key_hash: hashApiKey(key), created_at: agent.createdAt }).execute();
  });
  return { agent, key };
}

export async function listAgentKeys(db: Kysely<Database>): Promise<AgentKeyInfo[]> {
  const rows = await db.selectFrom('agent_keys').selectAll().orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: Number(r.created_at) }));
}

/** Revokes an agent's key; false when there is no such agent. */
export async function deleteAgentKey(db: Kysely<Database>, name: string): Promise<boolean> {
  const r = await db.deleteFrom('agent_keys').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The agent a presented key belongs to, if any. */
export async function agentOfKey(db: Kysely<Database>, key: string): Promise<AgentKeyInfo | undefined> {
  if (!key.startsWith('cwa_')) return undefined;
  const r = await db.selectFrom('agent_keys').selectAll().where('key_hash', '=', hashApiKey(key)).executeTakeFirst();
  return r ? { id: r.id, name: r.name, createdAt: Number(r.created_at) } : undefined;
}
