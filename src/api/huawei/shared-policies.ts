import type { ControlPlane, IkeContent, IpsecContent } from '../../control/index.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import type { Actor } from '../../domain/tenancy.js';

/**
 * Huawei's inline `ikepolicy`/`ipsecpolicy` are the account's content-named shared policies
 * (`control.ikePolicies.forContent`): a create reads one by name instead of writing two, a changed
 * inline policy moves the connection to the policy of the new content, and a policy no connection
 * uses any more is removed.
 */
export const ikePolicyFor = (cp: ControlPlane, actor: Actor, accountId: string, content: IkeContent): Promise<IkePolicy> =>
  cp.ikePolicies.forContent(actor, accountId, content);

export const ipsecPolicyFor = (cp: ControlPlane, actor: Actor, accountId: string, content: IpsecContent): Promise<IpsecPolicy> =>
  cp.ipsecPolicies.forContent(actor, accountId, content);

/** Removes the shared policies a connection let go of, where no other connection uses them. */
export async function releasePolicies(cp: ControlPlane, actor: Actor, ids: { ike?: string | null; ipsec?: string | null }): Promise<void> {
  await cp.ikePolicies.release(actor, ids.ike);
  await cp.ipsecPolicies.release(actor, ids.ipsec);
}
