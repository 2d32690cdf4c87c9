import { contentHash } from '../domain/content-hash.js';
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

/** The content fields of a stored policy, as a content hash compares them. */
const ikeContentOf = (p: IkePolicy): IkeContent => ({
  ikeVersion: p.ikeVersion,
  encryption: p.encryption,
  integrity: p.integrity,
  dhGroups: p.dhGroups,
  lifetimeSeconds: p.lifetimeSeconds,
  negotiationMode: p.negotiationMode,
});
const ipsecContentOf = (p: IpsecPolicy): IpsecContent => ({ encryption: p.encryption, integrity: p.integrity, pfs: p.pfs, lifetimeSeconds: p.lifetimeSeconds });

/**
 * The policy named for `content`, if its content still is that (the native API may have changed it,
 * or a user may have taken the name): else the next name, `…-2`, `…-3`, is tried.
 */
async function forContent<P>(
  base: string,
  wanted: string,
  named: (name: string) => Promise<P | undefined>,
  contentOf: (p: P) => unknown,
  create: (name: string) => Promise<P>,
): Promise<P> {
  for (let n = 1; n <= 20; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const p = await named(name);
    if (!p) return create(name);
    if (contentHash(contentOf(p)) === wanted) return p;
  }
  throw new DomainError('name_not_unique', `Too many policies are named ${base}-…; rename some of them.`);
}

export async function ikePolicyForContent(tx: Tx, accountId: string, content: IkeContent): Promise<IkePolicy> {
  const c: IkeContent = { ...content, negotiationMode: content.negotiationMode ?? 'main' };
  return forContent(
    nameOf('ike_policies', c),
    contentHash(c),
    (name) => ikePolicyNamed(tx.ex, accountId, name),
    ikeContentOf,
    async (name) => (await createIkePolicy(tx, { ...c, name, accountId })).policy,
  );
}

export async function ipsecPolicyForContent(tx: Tx, accountId: string, content: IpsecContent): Promise<IpsecPolicy> {
  const c: IpsecContent = { encryption: content.encryption, integrity: content.integrity, pfs: content.pfs, lifetimeSeconds: content.lifetimeSeconds };
  return forContent(
    nameOf('ipsec_policies', c),
    contentHash(c),
    (name) => ipsecPolicyNamed(tx.ex, accountId, name),
    ipsecContentOf,
    async (name) => (await createIpsecPolicy(tx, { ...c, name, accountId })).policy,
  );
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
