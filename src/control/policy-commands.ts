import type { Cipher, DhGroup, Integrity, PfsGroup } from '../domain/crypto-catalogue.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { checkIkeCrypto, checkIkeV1Pairing, checkIpsecCrypto, type IkePolicy, type IpsecPolicy } from '../domain/policy.js';
import type { Actor, ResourceGroup } from '../domain/tenancy.js';
import {
  countPolicies, deletePolicy, getIkePolicy, getIpsecPolicy, insertIkePolicy, insertIpsecPolicy, type PolicyTable,
  policyNameTaken, saveIkePolicy, saveIpsecPolicy,
} from '../store/policy-store.js';
import type { Executor } from '../store/schema.js';
import { visible } from './access.js';
import type { ControlDeps } from './control-deps.js';
import { freeName } from './free-name.js';
import { resolveGroup } from './resolve-group.js';

export interface IkePolicyInput {
  readonly name?: string;
  readonly resourceGroupId?: string;
  readonly ikeVersion: 1 | 2;
  readonly encryption: readonly Cipher[];
  readonly integrity: readonly Integrity[];
  readonly dhGroups: readonly DhGroup[];
  readonly lifetimeSeconds: number;
  readonly negotiationMode?: 'main' | 'aggressive';
  readonly description?: string;
}
export type IkePolicyPatch = Partial<Omit<IkePolicyInput, 'resourceGroupId'>>;

export interface IpsecPolicyInput {
  readonly name?: string;
  readonly resourceGroupId?: string;
  readonly encryption: readonly Cipher[];
  readonly integrity: readonly Integrity[];
  readonly pfs: readonly PfsGroup[];
  readonly lifetimeSeconds: number;
  readonly description?: string;
}
export type IpsecPolicyPatch = Partial<Omit<IpsecPolicyInput, 'resourceGroupId'>>;

const LABEL: Record<PolicyTable, string> = { ike_policies: 'IKE policy', ipsec_policies: 'IPsec policy' };

async function checkName(ex: Executor, table: PolicyTable, accountId: string, name: string, exceptId?: string): Promise<void> {
  if (await policyNameTaken(ex, table, accountId, name, exceptId)) {
    throw new DomainError('name_not_unique', `An ${LABEL[table]} named '${name}' already exists.`, { type: 'field', name: 'name', value: name });
  }
}

async function checkQuota(deps: ControlDeps, ex: Executor, table: PolicyTable, accountId: string): Promise<void> {
  const max = table === 'ike_policies' ? deps.settings.quotas.ikePolicies : deps.settings.quotas.ipsecPolicies;
  if ((await countPolicies(ex, table, accountId)) >= max) {
    throw new DomainError('over_quota', `The account already has ${max} ${LABEL[table]} objects, the quota.`);
  }
}

const touchesCrypto = (p: object): boolean => Object.keys(p).some((k) => k !== 'name');

/** Connections that use the policy on either side, with their other policy, for the IKEv1 pairing rule. */
async function usersOf(deps: ControlDeps, ex: Executor, column: 'ike_policy_id' | 'ipsec_policy_id', id: string) {
  const refs = await deps.connections.refsUsingPolicy(ex, column, id);
  return Promise.all(refs.map((r) => deps.connections.get(ex, r.id)));
}

function announce(deps: ControlDeps, resource: 'ike_policy' | 'ipsec_policy', id: string, gatewayIds: string[]): void {
  deps.changes.publish({ resource, id, action: 'updated', gatewayIds: [...new Set(gatewayIds)] });
}

/** A new policy and its resource group (a new policy has no connections yet). */
export interface Created<P> {
  readonly policy: P;
  readonly resourceGroup: ResourceGroup;
}

export async function createIkePolicy(deps: ControlDeps, actor: Actor, input: IkePolicyInput): Promise<Created<IkePolicy>> {
  checkIkeCrypto(input, deps.settings.legacyCrypto);
  return deps.db.transaction().execute(async (trx) => {
    const group = await resolveGroup(trx, actor, input.resourceGroupId);
    await checkQuota(deps, trx, 'ike_policies', group.accountId);
    const name = input.name ?? (await freeName((n) => policyNameTaken(trx, 'ike_policies', group.accountId, n)));
    await checkName(trx, 'ike_policies', group.accountId, name);
    const now = deps.clock.now();
    const p: IkePolicy = {
      id: newId(), accountId: group.accountId, resourceGroupId: group.id, name, ikeVersion: input.ikeVersion, negotiationMode: input.negotiationMode ?? 'main', description: input.description ?? '',
      encryption: input.encryption, integrity: input.integrity, dhGroups: input.dhGroups, lifetimeSeconds: input.lifetimeSeconds,
      revision: 1, createdAt: now, updatedAt: now,
    };
    await insertIkePolicy(trx, p);
    return { policy: p, resourceGroup: group };
  });
}

export async function updateIkePolicy(deps: ControlDeps, actor: Actor, id: string, patch: IkePolicyPatch): Promise<IkePolicy> {
  const { policy, gatewayIds } = await deps.db.transaction().execute(async (trx) => {
    const cur = visible(actor, await getIkePolicy(trx, id), 'ike_policy_not_found', id);
    const next: IkePolicy = { ...cur, ...patch, revision: cur.revision + 1, updatedAt: deps.clock.now() };
    checkIkeCrypto(next, touchesCrypto(patch) ? deps.settings.legacyCrypto : 'allow');
    if (patch.name !== undefined) await checkName(trx, 'ike_policies', cur.accountId, patch.name, id);
    const users = (await usersOf(deps, trx, 'ike_policy_id', id)).filter((c) => c !== undefined);
    for (const c of users) checkIkeV1Pairing(next, c.ipsecPolicyId ? await getIpsecPolicy(trx, c.ipsecPolicyId) : undefined);
    await saveIkePolicy(trx, next);
    return { policy: next, gatewayIds: users.map((c) => c.gatewayId) };
  });
  announce(deps, 'ike_policy', id, gatewayIds);
  return policy;
}

export async function createIpsecPolicy(deps: ControlDeps, actor: Actor, input: IpsecPolicyInput): Promise<Created<IpsecPolicy>> {
  checkIpsecCrypto(input, deps.settings.legacyCrypto);
  return deps.db.transaction().execute(async (trx) => {
    const group = await resolveGroup(trx, actor, input.resourceGroupId);
    await checkQuota(deps, trx, 'ipsec_policies', group.accountId);
    const name = input.name ?? (await freeName((n) => policyNameTaken(trx, 'ipsec_policies', group.accountId, n)));
    await checkName(trx, 'ipsec_policies', group.accountId, name);
    const now = deps.clock.now();
    const p: IpsecPolicy = {
      id: newId(), accountId: group.accountId, resourceGroupId: group.id, name, encryption: input.encryption, integrity: input.integrity, description: input.description ?? '',
      pfs: input.pfs, lifetimeSeconds: input.lifetimeSeconds, transform: 'esp', encapsulation: 'tunnel', revision: 1, createdAt: now, updatedAt: now,
    };
    await insertIpsecPolicy(trx, p);
    return { policy: p, resourceGroup: group };
  });
}

export async function updateIpsecPolicy(deps: ControlDeps, actor: Actor, id: string, patch: IpsecPolicyPatch): Promise<IpsecPolicy> {
  const { policy, gatewayIds } = await deps.db.transaction().execute(async (trx) => {
    const cur = visible(actor, await getIpsecPolicy(trx, id), 'ipsec_policy_not_found', id);
    const next: IpsecPolicy = { ...cur, ...patch, revision: cur.revision + 1, updatedAt: deps.clock.now() };
    checkIpsecCrypto(next, touchesCrypto(patch) ? deps.settings.legacyCrypto : 'allow');
    if (patch.name !== undefined) await checkName(trx, 'ipsec_policies', cur.accountId, patch.name, id);
    const users = (await usersOf(deps, trx, 'ipsec_policy_id', id)).filter((c) => c !== undefined);
    for (const c of users) checkIkeV1Pairing(c.ikePolicyId ? await getIkePolicy(trx, c.ikePolicyId) : undefined, next);
    await saveIpsecPolicy(trx, next);
    return { policy: next, gatewayIds: users.map((c) => c.gatewayId) };
  });
  announce(deps, 'ipsec_policy', id, gatewayIds);
  return policy;
}

/** A policy that any connection uses cannot be deleted. */
export async function deletePolicyById(deps: ControlDeps, actor: Actor, table: PolicyTable, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const column = table === 'ike_policies' ? 'ike_policy_id' : 'ipsec_policy_id';
    const cur = table === 'ike_policies' ? await getIkePolicy(trx, id) : await getIpsecPolicy(trx, id);
    visible(actor, cur, table === 'ike_policies' ? 'ike_policy_not_found' : 'ipsec_policy_not_found', id);
    const users = await deps.connections.refsUsingPolicy(trx, column, id);
    if (users.length > 0) {
      const names = users.slice(0, 3).map((u) => `'${u.name}'`).join(', ');
      throw new DomainError(table === 'ike_policies' ? 'ike_policy_in_use' : 'ipsec_policy_in_use',
        `The ${LABEL[table]} is used by ${users.length} connection(s) (${names}${users.length > 3 ? ', …' : ''}); detach it from them first.`);
    }
    await deps.connections.releasePolicy(trx, column, id);
    await deletePolicy(trx, table, id);
  });
}
