import type { Cipher, DhGroup, Integrity, PfsGroup } from '../domain/crypto-catalogue.js';
import { DomainError, inUse, type ResourceType } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { checkIkeCrypto, checkIkeV1Pairing, checkIpsecCrypto, type IkePolicy, type IpsecPolicy } from '../domain/policy.js';
import { deleteExtrasOf } from '../store/extras-store.js';
import {
  countPolicies,
  deletePolicy,
  getIkePolicies,
  getIkePolicy,
  getIpsecPolicies,
  getIpsecPolicy,
  insertIkePolicy,
  insertIpsecPolicy,
  type PolicyTable,
  policyNameTaken,
  saveIkePolicy,
  saveIpsecPolicy,
} from '../store/policy-store.js';
import { visibleTo } from './access.js';
import { type WriteOptions, writeExtras } from './extras.js';
import { freeName } from './free-name.js';
import { policyView, type PolicyView } from './policy-queries.js';
import { resolveGroup } from './resolve-group.js';
import { recordEvents } from './connection-events.js';
import type { Tx } from './tx.js';

export interface IkePolicyInput {
  readonly name?: string;
  readonly resourceGroupId?: string;
  /** The account it goes into (admin only; default: the resource group's, else the actor's). */
  readonly accountId?: string;
  readonly ikeVersion: 1 | 2;
  readonly encryption: readonly Cipher[];
  readonly integrity: readonly Integrity[];
  readonly dhGroups: readonly DhGroup[];
  readonly lifetimeSeconds: number;
  readonly negotiationMode?: 'main' | 'aggressive';
}
export type IkePolicyPatch = Partial<Omit<IkePolicyInput, 'resourceGroupId' | 'accountId'>>;

export interface IpsecPolicyInput {
  readonly name?: string;
  readonly resourceGroupId?: string;
  readonly accountId?: string;
  readonly encryption: readonly Cipher[];
  readonly integrity: readonly Integrity[];
  readonly pfs: readonly PfsGroup[];
  readonly lifetimeSeconds: number;
}
export type IpsecPolicyPatch = Partial<Omit<IpsecPolicyInput, 'resourceGroupId' | 'accountId'>>;

export interface PolicyUpdateOptions extends WriteOptions {
  /** Refuse the update (any field, a rename too) while a connection uses the policy (Neutron). */
  readonly onlyIfUnused?: boolean;
}

const LABEL: Record<PolicyTable, string> = { ike_policies: 'IKE policy', ipsec_policies: 'IPsec policy' };
const RESOURCE: Record<PolicyTable, 'ike_policy' | 'ipsec_policy'> = { ike_policies: 'ike_policy', ipsec_policies: 'ipsec_policy' };
const COLUMN = { ike_policies: 'ike_policy_id', ipsec_policies: 'ipsec_policy_id' } as const;

async function checkQuota(tx: Tx, table: PolicyTable, accountId: string): Promise<void> {
  const max = table === 'ike_policies' ? tx.settings.quotas.ikePolicies : tx.settings.quotas.ipsecPolicies;
  if ((await countPolicies(tx.ex, table, accountId)) >= max) {
    throw new DomainError('over_quota', `The account already has ${max} ${LABEL[table]} objects, the quota.`);
  }
}

const touchesCrypto = (p: object): boolean => Object.keys(p).some((k) => k !== 'name');

/** The connections using a policy (not being deleted), loaded in full (the IKEv1 pairing rule reads their other policy). */
async function usersOf(tx: Tx, table: PolicyTable, id: string) {
  return tx.deps.connections.usingPolicy(tx.ex, COLUMN[table], id);
}

function refuseInUse(table: PolicyTable, id: string, users: readonly { name: string }[], what: string): void {
  if (users.length === 0) return;
  const names = users
    .slice(0, 3)
    .map((u) => `'${u.name}'`)
    .join(', ');
  throw inUse(RESOURCE[table], id, `The ${LABEL[table]} is used by ${users.length} connection(s) (${names}${users.length > 3 ? ', …' : ''}); ${what}.`);
}

/** A policy's change reaches the gateways of the connections that use it, which then reconfigure. */
async function announce(
  tx: Tx,
  table: PolicyTable,
  id: string,
  users: readonly { id: string; accountId: string; gatewayId: string }[],
  crypto: boolean,
): Promise<void> {
  if (crypto && tx.settings.dataplane !== 'none')
    await tx.deps.connections.markUpdating(
      tx.ex,
      users.map((c) => c.id),
    );
  // The connections' effective configuration changed with their policy: their timelines say so.
  if (crypto)
    await recordEvents(
      tx,
      users.map((c) => ({
        connection: c,
        type: 'configuration_changed' as const,
        details: { fields: [table === 'ike_policies' ? 'ikePolicy' : 'ipsecPolicy'], policy: id },
      })),
    );
  tx.record({
    resource: RESOURCE[table],
    id,
    action: 'updated',
    gatewayIds: [...new Set(users.map((c) => c.gatewayId))],
    connectionIds: users.map((c) => c.id),
  });
}

export async function createIkePolicy(tx: Tx, input: IkePolicyInput, opts: WriteOptions = {}): Promise<PolicyView<IkePolicy>> {
  checkIkeCrypto(input, tx.settings.legacyCrypto);
  const group = await resolveGroup(tx, input.resourceGroupId, input.accountId);
  await checkQuota(tx, 'ike_policies', group.accountId);
  const name = input.name ?? (await freeName((n) => policyNameTaken(tx.ex, 'ike_policies', group.accountId, n)));
  const now = tx.now();
  const p: IkePolicy = {
    id: newId(),
    accountId: group.accountId,
    resourceGroupId: group.id,
    name,
    ikeVersion: input.ikeVersion,
    negotiationMode: input.negotiationMode ?? 'main',
    encryption: input.encryption,
    integrity: input.integrity,
    dhGroups: input.dhGroups,
    lifetimeSeconds: input.lifetimeSeconds,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  await insertIkePolicy(tx.ex, p);
  await writeExtras(tx, 'ike_policy', p.id, opts.extras, true);
  tx.record({ resource: 'ike_policy', id: p.id, action: 'created', gatewayIds: [] });
  return policyView(tx, p, 'ike_policies', opts.extras?.data, true);
}

export async function updateIkePolicy(tx: Tx, id: string, patch: IkePolicyPatch, opts: PolicyUpdateOptions = {}): Promise<PolicyView<IkePolicy>> {
  const cur = visibleTo(tx.actor, await getIkePolicy(tx.ex, id), 'ike_policy', id);
  const users = await usersOf(tx, 'ike_policies', id);
  if (opts.onlyIfUnused) refuseInUse('ike_policies', id, users, "it can't be updated");
  const next: IkePolicy = { ...cur, ...patch, revision: cur.revision + 1, updatedAt: tx.now() };
  checkIkeCrypto(next, touchesCrypto(patch) ? tx.settings.legacyCrypto : 'allow');
  const partners = new Map((await getIpsecPolicies(tx.ex, [...new Set(users.flatMap((c) => c.ipsecPolicyId ?? []))])).map((p) => [p.id, p]));
  for (const c of users) checkIkeV1Pairing(next, c.ipsecPolicyId ? partners.get(c.ipsecPolicyId) : undefined);
  await saveIkePolicy(tx.ex, next, cur.revision);
  await writeExtras(tx, 'ike_policy', id, opts.extras);
  await announce(tx, 'ike_policies', id, users, touchesCrypto(patch));
  return policyView(tx, next, 'ike_policies', opts.extras?.data);
}

export async function createIpsecPolicy(tx: Tx, input: IpsecPolicyInput, opts: WriteOptions = {}): Promise<PolicyView<IpsecPolicy>> {
  checkIpsecCrypto(input, tx.settings.legacyCrypto);
  const group = await resolveGroup(tx, input.resourceGroupId, input.accountId);
  await checkQuota(tx, 'ipsec_policies', group.accountId);
  const name = input.name ?? (await freeName((n) => policyNameTaken(tx.ex, 'ipsec_policies', group.accountId, n)));
  const now = tx.now();
  const p: IpsecPolicy = {
    id: newId(),
    accountId: group.accountId,
    resourceGroupId: group.id,
    name,
    encryption: input.encryption,
    integrity: input.integrity,
    pfs: input.pfs,
    lifetimeSeconds: input.lifetimeSeconds,
    transform: 'esp',
    encapsulation: 'tunnel',
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  await insertIpsecPolicy(tx.ex, p);
  await writeExtras(tx, 'ipsec_policy', p.id, opts.extras, true);
  tx.record({ resource: 'ipsec_policy', id: p.id, action: 'created', gatewayIds: [] });
  return policyView(tx, p, 'ipsec_policies', opts.extras?.data, true);
}

export async function updateIpsecPolicy(tx: Tx, id: string, patch: IpsecPolicyPatch, opts: PolicyUpdateOptions = {}): Promise<PolicyView<IpsecPolicy>> {
  const cur = visibleTo(tx.actor, await getIpsecPolicy(tx.ex, id), 'ipsec_policy', id);
  const users = await usersOf(tx, 'ipsec_policies', id);
  if (opts.onlyIfUnused) refuseInUse('ipsec_policies', id, users, "it can't be updated");
  const next: IpsecPolicy = { ...cur, ...patch, revision: cur.revision + 1, updatedAt: tx.now() };
  checkIpsecCrypto(next, touchesCrypto(patch) ? tx.settings.legacyCrypto : 'allow');
  const partners = new Map((await getIkePolicies(tx.ex, [...new Set(users.flatMap((c) => c.ikePolicyId ?? []))])).map((p) => [p.id, p]));
  for (const c of users) checkIkeV1Pairing(c.ikePolicyId ? partners.get(c.ikePolicyId) : undefined, next);
  await saveIpsecPolicy(tx.ex, next, cur.revision);
  await writeExtras(tx, 'ipsec_policy', id, opts.extras);
  await announce(tx, 'ipsec_policies', id, users, touchesCrypto(patch));
  return policyView(tx, next, 'ipsec_policies', opts.extras?.data);
}

/** A policy that any connection (not being deleted) uses cannot be deleted. */
export async function deletePolicyById(tx: Tx, table: PolicyTable, id: string): Promise<void> {
  const resource: ResourceType = RESOURCE[table];
  visibleTo(tx.actor, table === 'ike_policies' ? await getIkePolicy(tx.ex, id) : await getIpsecPolicy(tx.ex, id), resource, id);
  refuseInUse(table, id, await tx.deps.connections.refsUsingPolicy(tx.ex, COLUMN[table], id), 'detach it from them first');
  await tx.deps.connections.releasePolicy(tx.ex, COLUMN[table], id);
  await deleteExtrasOf(tx.ex, resource, [id]);
  await deletePolicy(tx.ex, table, id);
  tx.record({ resource, id, action: 'deleted', gatewayIds: [] });
}
