import { randomBytes } from 'node:crypto';
import { DomainError, invalidField } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { deleteAgentKeyByName, findAgentKeyByHash, insertAgentKey, listAgentKeyRecords } from '../store/agent-key-store.js';
import { unlessTaken } from '../store/store-errors.js';
import { ACCOUNT_NAME, hashApiKey } from './create-account.js';
import type { Tx } from './tx.js';

/**
 * Agent credentials: one key per agent (a gateway host), shown once, stored as its SHA-256. An agent
 * key opens the agent API only (desired state with pre-shared keys, status reports), never /v1.
 */
export interface AgentKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

export async function createAgentKey(tx: Tx, name: string): Promise<{ agent: AgentKeyInfo; key: string }> {
  if (!ACCOUNT_NAME.test(name)) throw invalidField('name', `Agent name '${name}' is not valid: use 1-63 lower-case letters, digits, '-', '_' or '.'.`);
  const key = `cwa_${randomBytes(32).toString('base64url')}`;
  const agent: AgentKeyInfo = { id: newId(), name, createdAt: tx.now() };
  await unlessTaken(
    insertAgentKey(tx.ex, { ...agent, keyHash: hashApiKey(key) }),
    () => new DomainError('name_not_unique', `An agent named '${name}' already exists.`, { type: 'field', name: 'name' }),
  );
  tx.record({ resource: 'agent_key', id: agent.id, action: 'created', gatewayIds: [] });
  return { agent, key };
}

export async function listAgentKeys(tx: Tx): Promise<AgentKeyInfo[]> {
  return (await listAgentKeyRecords(tx.ex)).map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt }));
}

/** Revokes an agent's key; false when there is no such agent. */
export async function deleteAgentKey(tx: Tx, name: string): Promise<boolean> {
  const gone = await deleteAgentKeyByName(tx.ex, name);
  if (gone) tx.record({ resource: 'agent_key', id: name, action: 'deleted', gatewayIds: [] });
  return gone;
}

/** The agent a presented key belongs to, if any. */
export async function agentOfKey(tx: Tx, key: string): Promise<AgentKeyInfo | undefined> {
  if (!key.startsWith('cwa_')) return undefined;
  const r = await findAgentKeyByHash(tx.ex, hashApiKey(key));
  return r ? { id: r.id, name: r.name, createdAt: r.createdAt } : undefined;
}
