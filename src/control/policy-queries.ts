import type { IkePolicy, IpsecPolicy } from '../domain/policy.js';
import type { Page, PageRequest } from '../store/page-query.js';
import { getIkePolicy, getIpsecPolicy, listIkePolicies, listIpsecPolicies, type PolicyTable } from '../store/policy-store.js';
import { listScope, visibleTo } from './access.js';
import { type ExtrasData, extrasOf, type ReadOptions } from './extras.js';
import type { Tx } from './tx.js';
import { type ConnectionRef, groupRefs, type Ref } from './view-refs.js';

/** A policy with its resource group and the connections that use it. */
export interface PolicyView<P> {
  readonly policy: P;
  readonly resourceGroup: Ref;
  readonly connections: readonly ConnectionRef[];
  readonly extras?: ExtrasData;
}

const RESOURCE = { ike_policies: 'ike_policy', ipsec_policies: 'ipsec_policy' } as const;
const COLUMN = { ike_policies: 'ike_policy_id', ipsec_policies: 'ipsec_policy_id' } as const;

async function policyViews<P extends { id: string; resourceGroupId: string }>(
  tx: Tx,
  list: readonly P[],
  table: PolicyTable,
  dialect?: string,
): Promise<PolicyView<P>[]> {
  const g = await groupRefs(
    tx,
    list.map((p) => p.resourceGroupId),
  );
  const users = await tx.deps.connections.refsUsingPolicies(
    tx.ex,
    COLUMN[table],
    list.map((p) => p.id),
  );
  const extras = await extrasOf(
    tx,
    dialect,
    RESOURCE[table],
    list.map((p) => p.id),
  );
  return list.map((policy) => {
    const x = extras.get(policy.id);
    return { policy, resourceGroup: g(policy.resourceGroupId), connections: users.get(policy.id) ?? [], ...(x ? { extras: x } : {}) };
  });
}

/** The view of a policy just written (its extras are the ones written with it); a new one has no connections yet. */
export async function policyView<P extends { id: string; resourceGroupId: string }>(
  tx: Tx,
  p: P,
  table: PolicyTable,
  extras?: ExtrasData,
  created = false,
): Promise<PolicyView<P>> {
  if (created)
    return { policy: p, resourceGroup: (await groupRefs(tx, [p.resourceGroupId]))(p.resourceGroupId), connections: [], ...(extras ? { extras } : {}) };
  const [v] = await policyViews(tx, [p], table);
  return { ...v!, ...(extras ? { extras } : {}) };
}

export async function getIkePolicyView(tx: Tx, id: string, opts: ReadOptions = {}): Promise<PolicyView<IkePolicy>> {
  const p = visibleTo(tx.actor, await getIkePolicy(tx.ex, id), 'ike_policy', id);
  return (await policyViews(tx, [p], 'ike_policies', opts.extras))[0]!;
}
export async function listIkePolicyViews(tx: Tx, req: PageRequest, opts: ReadOptions = {}): Promise<Page<PolicyView<IkePolicy>>> {
  const page = await listIkePolicies(tx.ex, listScope(tx.actor), req);
  return { ...page, items: await policyViews(tx, page.items, 'ike_policies', opts.extras) };
}
export async function getIpsecPolicyView(tx: Tx, id: string, opts: ReadOptions = {}): Promise<PolicyView<IpsecPolicy>> {
  const p = visibleTo(tx.actor, await getIpsecPolicy(tx.ex, id), 'ipsec_policy', id);
  return (await policyViews(tx, [p], 'ipsec_policies', opts.extras))[0]!;
}
export async function listIpsecPolicyViews(tx: Tx, req: PageRequest, opts: ReadOptions = {}): Promise<Page<PolicyView<IpsecPolicy>>> {
  const page = await listIpsecPolicies(tx.ex, listScope(tx.actor), req);
  return { ...page, items: await policyViews(tx, page.items, 'ipsec_policies', opts.extras) };
}

/** A policy the actor may see, without a view (no connection references): constant cost however many use it. */
export async function ikePolicyRecord(tx: Tx, id: string): Promise<IkePolicy> {
  return visibleTo(tx.actor, await getIkePolicy(tx.ex, id), 'ike_policy', id);
}
export async function ipsecPolicyRecord(tx: Tx, id: string): Promise<IpsecPolicy> {
  return visibleTo(tx.actor, await getIpsecPolicy(tx.ex, id), 'ipsec_policy', id);
}
