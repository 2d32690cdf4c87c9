import { contentHash } from '../domain/desired-state.js';
import { DomainError } from '../domain/errors.js';
import type { IkePolicy, IpsecPolicy } from '../domain/policy.js';
import { getIkePolicy, getIpsecPolicy, ikePolicyNamed, ipsecPolicyNamed, type PolicyTable } from '../store/policy-store.js';
import { createIkePolicy, createIpsecPolicy, deletePolicyById, type IkePolicyInput, type IpsecPolicyInput } from './policy-commands.js';
import type { Tx } from './tx.js';

/**
 * Policies named by their content, for dialects whose connections carry their crypto inline
 * (Huawei's `ikepolicy`/`ipsecpolicy`, cloud.ca's `ike*`/`esp*` fields): every connection of an
 * account with the same settings uses one policy, `shared-ike-<16 hex>` / `shared-ipsec-<16 hex>`.
 * A create then reads one policy by name instead of writing one, and the native and Neutron APIs
 * see a handful of policies instead of two per connection. `release` removes such a policy once no
 * connection uses it; a policy a user named is never removed by it.
 */
export type IkeContent = Omit<IkePolicyInput, 'name' | 'accountId' | 'resourceGroupId'>;
export type IpsecContent = Omit<IpsecPolicyInput, 'name' | 'accountId' | 'resourceGroupId'>;

const PREFIX = { ike_policies: 'shared-ike-', ipsec_policies: 'shared-ipsec-' } as const;
const nameOf = (table: PolicyTable, content: IkeContent | IpsecContent): string => `${PREFIX[table]}${contentHash(content).slice(0, 16)}`;

export async function ikePolicyForContent(tx: Tx, accountId: string, content: IkeContent): Promise<IkePolicy> {
  const name = nameOf('ike_policies', content);
  return (await ikePolicyNamed(tx.ex, accountId, name)) ?? (await createIkePolicy(tx, { ...content, name, accountId })).policy;
}

export async function ipsecPolicyForContent(tx: Tx, accountId: string, content: IpsecContent): Promise<IpsecPolicy> {
  const name = nameOf('ipsec_policies', content);
  return (await ipsecPolicyNamed(tx.ex, accountId, name)) ?? (await createIpsecPolicy(tx, { ...content, name, accountId })).policy;
}

/** Removes a content-named policy no connection uses any more; anything else is left alone. */
export async function releaseContentPolicy(tx: Tx, table: PolicyTable, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const p = table === 'ike_policies' ? await getIkePolicy(tx.ex, id) : await getIpsecPolicy(tx.ex, id);
  if (!p || !p.name.startsWith(PREFIX[table])) return;
  try {
    await deletePolicyById(tx, table, id);
  } catch (e) {
    if (!(e instanceof DomainError && (e.kind === 'in_use' || e.kind === 'not_found' || e.kind === 'forbidden'))) throw e;
  }
}
