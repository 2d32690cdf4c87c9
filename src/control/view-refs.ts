import type { ResourceGroup } from '../domain/tenancy.js';
import { listResourceGroups } from '../store/account-store.js';
import type { ControlDeps } from './control-deps.js';
import type { Tx } from './tx.js';

/** A reference as views carry it: what a dialect needs to render a link. */
export interface Ref {
  readonly id: string;
  readonly name: string;
}
export interface ConnectionRef extends Ref {
  readonly gatewayId: string;
}

export const byId = <T extends { id: string }>(list: readonly T[]): Map<string, T> => new Map(list.map((x) => [x.id, x]));
export const refOf = (x: { id: string; name: string } | undefined, id: string): Ref => ({ id, name: x?.name ?? '' });

/** Resource groups never change once made, so their references are cached (bounded), per control plane. */
const groupCache = new WeakMap<ControlDeps, Map<string, ResourceGroup>>();

export async function groupRefs(tx: Tx, ids: readonly string[]): Promise<(id: string) => Ref> {
  let cache = groupCache.get(tx.deps);
  if (!cache) groupCache.set(tx.deps, (cache = new Map<string, ResourceGroup>()));
  const missing = [...new Set(ids)].filter((id) => !cache.has(id));
  if (missing.length > 0) {
    if (cache.size > 10_000) cache.clear();
    for (const g of await listResourceGroups(tx.ex, missing)) cache.set(g.id, g);
  }
  const c = cache;
  return (id) => refOf(c.get(id), id);
}
