import type { PeerGroup } from '../dataplane/strongswan/peer-group-translator.js';
import { BoundedMemo } from '../domain/bounded-memo.js';
import type { ViciSection } from '../dataplane/strongswan/conn-translator.js';
import {
  encodeSection,
  type ViciClient,
  ViciConnectionError,
  type ViciEncodedSection,
  type ViciNamedSection,
  type ViciSectionInput,
} from '../dataplane/vici/index.js';

/** What was loaded for one peer group: its phase-1 hash and each CHILD's hash. */
export interface AppliedGroup {
  readonly ikeHash: string;
  readonly children: Readonly<Record<string, string>>;
}

/** The VICI commands the applier uses (a ViciClient; a recorder in unit tests). */
export type GroupVici = Pick<ViciClient, 'loadShared' | 'loadConn' | 'terminate' | 'getConns' | 'unloadConn' | 'unloadShared' | 'initiate'>;

/**
 * A refused command is expected (nothing to close, a CHILD already up or refused by the peer) and is
 * ignored. A lost charon is not: it ends the pass at once, so the gateway's lock goes to the reconcile
 * (a failover) waiting for it, instead of one more command per CHILD waiting out a closed connection.
 */
const ignore = (e: unknown): undefined => {
  if (e instanceof ViciConnectionError) throw e;
  return undefined;
};

/**
 * Each CHILD's VICI encoding, by content hash (equal content, equal bytes, whichever group or charon
 * loads it): charon 5.9.8's `load-conn` takes the whole peer config, so adding the k-th connection
 * re-sends every CHILD of its group, but only the new or changed one is encoded.
 */
const encodedChildren = new BoundedMemo<string, ViciEncodedSection>(20_000);

/** The group's `load-conn` body with its CHILDs taken from (or added to) the encoding cache. */
export function connWithEncodedChildren(g: PeerGroup): ViciSectionInput {
  const children: Record<string, ViciEncodedSection> = {};
  for (const [name, section] of Object.entries((g.conn['children'] ?? {}) as Record<string, ViciSection>)) {
    const hash = g.children.get(name)?.hash;
    children[name] = hash === undefined ? encodeSection(section) : encodedChildren.get(hash, () => encodeSection(section));
  }
  return { ...g.conn, children };
}

/** How many CHILD encodings are cached (tests). */
export function encodedChildCount(): number {
  return encodedChildren.size;
}

/**
 * Loads the groups whose content changed, and only those, touching as little as charon allows
 * (fact sheet §3.4):
 * - phase 1 changed (proposals, DPD, lifetimes, key): the group's IKE_SAs are closed first, then the
 *   conn is loaded; charon starts the bidirectional CHILDs again.
 * - only some CHILDs changed: `load-conn` updates the conn and charon restarts just the changed CHILDs
 *   with start_action=start; changed or removed CHILDs without a start action (peer_only, a policy
 *   standby's) keep their old SA, so those are closed (the peer builds them again); a new one has none.
 * - new group: loaded (keys first: a conn with start_action=start initiates the moment it is loaded).
 * The pre-shared key is loaded with a new group or a changed phase 1 (the key is part of its hash).
 * Returns the connections whose CHILDs were (re)loaded.
 */
export async function applyGroups(vici: GroupVici, groups: readonly PeerGroup[], applied: Map<string, AppliedGroup>): Promise<Set<string>> {
  const touched = new Set<string>();
  for (const g of groups) {
    const before = applied.get(g.name);
    const children = Object.fromEntries([...g.children].map(([name, c]) => [name, c.hash]));
    const changedChildren = [...new Set([...Object.keys(children), ...Object.keys(before?.children ?? {})])].filter((c) => before?.children[c] !== children[c]);
    if (before && before.ikeHash === g.ikeHash && changedChildren.length === 0) continue;
    const ikeChanged = before !== undefined && before.ikeHash !== g.ikeHash;
    if (ikeChanged) await vici.terminate({ ike: g.name }, { force: true, timeoutMs: 0 }).catch(ignore);
    // The key is part of the phase-1 hash: a CHILD-only change finds charon holding it already.
    if (!before || ikeChanged) await vici.loadShared({ id: g.shared.id, type: g.shared.type, data: g.shared.data, owners: g.shared.owners });
    await vici.loadConn(g.name, connWithEncodedChildren(g));
    if (before && !ikeChanged) {
      for (const child of changedChildren) {
        if (g.children.get(child)?.start) continue; // charon restarted it
        // A CHILD new to the group has no SA to close: a policy standby's whole bring-up (its CHILDs carry
        // no start action) sent one terminate (and its control-log round trips) per new connection.
        if (before.children[child] === undefined) continue;
        await vici.terminate({ child }, { timeoutMs: -1 }).catch(ignore);
      }
    }
    for (const [name, c] of g.children) if (!before || ikeChanged || changedChildren.includes(name)) touched.add(c.connectionId);
    applied.set(g.name, { ikeHash: g.ikeHash, children });
  }
  return touched;
}

/**
 * Unloads every `cw-` conn charon has that no group wants (deleted, admin down, from an earlier life).
 * `swept`: this was done since the VICI connection opened, so only a group that is loaded and no longer
 * wanted can be left: without one, no `get-conns` round trip.
 */
export async function unloadUnwanted(vici: GroupVici, groups: readonly PeerGroup[], applied: Map<string, AppliedGroup>, swept = false): Promise<void> {
  const wanted = new Set(groups.map((g) => g.name));
  // Charon was swept since this agent connected, and every group loaded since is still wanted: nothing to ask it.
  if (swept && [...applied.keys()].every((name) => wanted.has(name))) return;
  for (const name of await vici.getConns()) {
    if (!name.startsWith('cw-') || wanted.has(name)) continue;
    // Forgotten first: a pass cut short below must not leave it recorded as loaded (with its key).
    applied.delete(name);
    await vici.unloadConn(name).catch(ignore);
    await vici.terminate({ ike: name }, { force: true, timeoutMs: -1 }).catch(ignore);
    await vici.unloadShared(`psk-${name}`).catch(ignore);
  }
  for (const name of [...applied.keys()]) if (!wanted.has(name)) applied.delete(name);
}

type ChildSa = { name?: string; state?: string };
const childSas = (sa: ViciNamedSection): ChildSa[] => Object.values((sa.value['child-sas'] ?? {}) as Record<string, ChildSa>);

/** Every installed CHILD_SA in a `list-sas` answer, with all its fields (name, counters, SPIs). */
export function installedChildSas(sas: readonly ViciNamedSection[]): Record<string, string>[] {
  return sas.flatMap((sa) => childSas(sa) as Record<string, string>[]).filter((c) => c['state'] === 'INSTALLED');
}

/**
 * Initiates the bidirectional CHILDs that charon does not have. A refused or unanswered attempt ends
 * with no SA at all (charon does not retry after NO_PROPOSAL_CHOSEN, a missing key, or a CHILD the
 * peer refused), so this is the retry. A group whose IKE_SA is still being negotiated is left alone,
 * and so are the connections `justLoaded` (what applyGroups returned in this pass, and those loaded
 * within the agent's grace, GatewayRuntime.loadedRecently): charon starts their
 * CHILDs itself on `load-conn`, and initiating them too, before list-sas shows them, built a second
 * CHILD_SA for each (both requests in flight at once). Returns whether anything is missing (initiated
 * now, or left to charon's own start), so the caller looks again soon.
 */
export async function initiateMissing(
  vici: GroupVici,
  groups: readonly PeerGroup[],
  sas: readonly ViciNamedSection[],
  justLoaded: ReadonlySet<string> = new Set(),
): Promise<boolean> {
  let any = false;
  for (const g of groups) {
    const mine = sas.filter((sa) => sa.name === g.name);
    if (mine.some((sa) => sa.value['state'] !== 'ESTABLISHED')) continue;
    const present = new Set(mine.flatMap(childSas).map((c) => c.name));
    for (const [child, c] of g.children) {
      if (!c.start || present.has(child)) continue;
      any = true;
      if (justLoaded.has(c.connectionId)) continue;
      await vici.initiate({ child, ike: g.name, timeoutMs: -1 }).catch(ignore);
    }
  }
  return any;
}

/** The connections with an installed CHILD_SA (CHILD names carry the connection id). */
export function connectionsUp(sas: readonly ViciNamedSection[], idOf: (name: string) => string | undefined): Set<string> {
  const up = new Set<string>();
  for (const c of installedChildSas(sas)) {
    const id = c['name'] ? idOf(c['name']) : undefined;
    if (id) up.add(id);
  }
  return up;
}

/**
 * Per connection with an installed CHILD_SA, the gateway members whose charons hold one: its tunnels
 * that are up (ascending). `seen` is each charon's list-sas, keyed by a runtime that knows its member.
 */
export function membersUp(
  seen: ReadonlyMap<{ readonly memberIndex: 1 | 2 }, readonly ViciNamedSection[]>,
  idOf: (name: string) => string | undefined,
): Map<string, (1 | 2)[]> {
  const out = new Map<string, Set<1 | 2>>();
  for (const [rt, sas] of seen) for (const id of connectionsUp(sas, idOf)) out.set(id, (out.get(id) ?? new Set()).add(rt.memberIndex));
  return new Map([...out].map(([id, members]) => [id, [...members].sort((a, b) => a - b)]));
}
