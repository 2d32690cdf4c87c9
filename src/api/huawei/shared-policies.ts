import type { ControlPlane, IkePolicyInput, IpsecPolicyInput } from '../../control/index.js';
import { contentHash } from '../../domain/desired-state.js';
import { DomainError } from '../../domain/errors.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import type { Actor } from '../../domain/tenancy.js';

/**
 * Huawei's inline `ikepolicy`/`ipsecpolicy` as shared policies of the account, named by their content
 * (`huawei-ike-<16 hex>`): every connection with the same settings uses one policy, so a create
 * reads one policy by name instead of writing two (most connections keep Huawei's defaults), and
 * the native and Neutron APIs see a handful of policies, not two per connection. Changing a
 * connection's inline policy moves it to the policy of the new content; a policy no connection uses
 * any more is removed.
 */
type Ike = Omit<IkePolicyInput, 'name' | 'accountId'>;
type Ipsec = Omit<IpsecPolicyInput, 'name' | 'accountId'>;

const nameOf = (kind: 'ike' | 'ipsec', input: Ike | Ipsec): string => `huawei-${kind}-${contentHash(input).slice(0, 16)}`;

/** Finds by name or creates; a concurrent create of the same name (another server) is read back. */
async function findOrCreate<P>(named: () => Promise<P | undefined>, create: () => Promise<P>): Promise<P> {
  const found = await named();
  if (found) return found;
  try {
    return await create();
  } catch (e) {
    const again = e instanceof DomainError && e.code === 'name_not_unique' ? await named() : undefined;
    if (again) return again;
    throw e;
  }
}

export function ikePolicyFor(cp: ControlPlane, actor: Actor, accountId: string, input: Ike): Promise<IkePolicy> {
  const name = nameOf('ike', input);
  return findOrCreate(
    () => cp.ikePolicies.named(actor, accountId, name),
    async () => (await cp.ikePolicies.create(actor, { ...input, name, accountId })).policy,
  );
}

export function ipsecPolicyFor(cp: ControlPlane, actor: Actor, accountId: string, input: Ipsec): Promise<IpsecPolicy> {
  const name = nameOf('ipsec', input);
  return findOrCreate(
    () => cp.ipsecPolicies.named(actor, accountId, name),
    async () => (await cp.ipsecPolicies.create(actor, { ...input, name, accountId })).policy,
  );
}

/** Removes the shared policies a connection let go of, where no other connection uses them. */
export async function releasePolicies(cp: ControlPlane, actor: Actor, ids: { ike?: string | null; ipsec?: string | null }): Promise<void> {
  const inUse = (e: unknown): undefined => {
    if (e instanceof DomainError && (e.kind === 'in_use' || e.kind === 'not_found')) return undefined;
    throw e;
  };
  if (ids.ike) await cp.ikePolicies.remove(actor, ids.ike).catch(inUse);
  if (ids.ipsec) await cp.ipsecPolicies.remove(actor, ids.ipsec).catch(inUse);
}
