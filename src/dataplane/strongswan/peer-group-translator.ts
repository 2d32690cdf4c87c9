import { createHash } from 'node:crypto';
import { BoundedMemo } from '../../domain/bounded-memo.js';
import { contentHash } from '../../domain/content-hash.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { type LoadSharedBody, type ViciSection, sharedKeyId, translate } from './conn-translator.js';
import { textOf } from '../../domain/text.js';

/**
 * A gateway's connections → the IKE conns its charon loads, one per *peer group*.
 *
 * Why groups: charon 5.9.8, as responder, picks a peer config by addresses and identities alone, before
 * it sees any traffic selector, and then looks for a CHILD only inside that config. Two conns with the
 * same (IKE version, local address, local id, peer address, peer id) cannot be told apart, so the
 * second connection to the same peer would be answered with TS_UNACCEPTABLE; and as initiator charon
 * puts a CHILD into any IKE_SA whose config is equal to its own. PSKs are chosen by identity pair too
 * (SW §3.9). So every connection (or route tunnel) toward the same peer identity becomes one CHILD
 * set of one IKE conn: one IKE_SA per peer, one CHILD_SA per connection and CIDR pair.
 *
 * Phase-1 settings (proposals, DPD, lifetimes, PSK, mode) are per group. They are taken from the
 * member with the lowest connection id; differing phase-1 settings of the other members cannot be
 * honoured by one IKE_SA and are ignored. CHILD names stay per connection (`cw-<id>-…`), so a CHILD
 * always tells which connection it carries.
 */

export interface GroupChild {
  readonly connectionId: string;
  /** Content hash of the CHILD's section: a change restarts just this CHILD. */
  readonly hash: string;
  /** Whether charon starts (and we re-initiate) it: bidirectional connections. */
  readonly start: boolean;
}

export interface PeerGroup {
  /** The IKE conn name: `cw-peer-<16 hex>` from the peer identity. */
  readonly name: string;
  /** The `load-conn` body: the leader's phase 1, every member's CHILDs. */
  readonly conn: ViciSection;
  /** `psk-<name>`, owned by both identities, with the leader's key. */
  readonly shared: LoadSharedBody;
  /** Hash of the phase-1 part and the key: a change replaces the group's IKE_SAs. */
  readonly ikeHash: string;
  readonly children: ReadonlyMap<string, GroupChild>;
  /** The connections with a CHILD here, in id order (the first is the leader). */
  readonly connectionIds: readonly string[];
  /** Members whose own phase 1 or pre-shared key differs from the leader's, which the group uses instead. */
  readonly overridden: readonly string[];
}

/** The peer identity of one IKE conn body: what a charon responder tells conns apart by. */
function peerKey(body: ViciSection): string {
  const id = (side: unknown): string => textOf((side as ViciSection | undefined)?.['id'] ?? '');
  return JSON.stringify([body['version'], body['local_addrs'], body['remote_addrs'], id(body['local']), id(body['remote'])]);
}

/** `cw-peer-` and 16 hex digits of the peer identity's SHA-256. */
export function peerGroupName(body: ViciSection): string {
  return `cw-peer-${createHash('sha256').update(peerKey(body)).digest('hex').slice(0, 16)}`;
}

interface Draft {
  name: string;
  ike: ViciSection;
  shared: LoadSharedBody;
  children: Record<string, ViciSection>;
  meta: Map<string, GroupChild>;
  ids: string[];
  /** Hash of the leader's phase 1 and key, to tell which members it overrides. */
  leaderHash: string;
  overridden: string[];
  /** The members' reset counts summed: a reset of any member replaces the group's IKE_SA. */
  resets: number;
}

/** One IKE conn of one connection's translation, with what grouping needs of it, hashes included. */
interface ConnPart {
  readonly name: string;
  readonly ike: ViciSection;
  readonly key: LoadSharedBody;
  /** Hash of this connection's own phase 1 and key. */
  readonly mine: string;
  readonly children: readonly (readonly [string, ViciSection, GroupChild])[];
}

/**
 * Each connection's parts by its content hash and tunnels (the hash covers every field `translate`
 * reads; a route member's copy differs only in its tunnels): an agent translates every connection of
 * a gateway on each reconcile, and hashing the sections was most of that. Shared, so never mutated.
 */
const parts = new BoundedMemo<string, readonly ConnPart[]>(20_000);

function partsOf(d: DesiredConnection): readonly ConnPart[] {
  return parts.get(`${d.hash}|${JSON.stringify(d.tunnels)}`, () => {
    const t = translate(d);
    return Object.entries(t.conns).map(([ikeName, body]): ConnPart => {
      const { children, ...ike } = body;
      const key = t.shared.find((s) => s.id === sharedKeyId(ikeName))!;
      return {
        name: peerGroupName(body),
        ike,
        key,
        mine: contentHash({ ike, psk: key.data }),
        children: Object.entries(children as Record<string, ViciSection>).map(
          ([child, section]) =>
            [child, section, { connectionId: d.connectionId, hash: contentHash(section), start: section['start_action'] === 'start' }] as const,
        ),
      };
    });
  });
}

/**
 * Groups the admin-up connections of one gateway by peer identity. Pure and deterministic: the same
 * connections give the same groups, names, bodies and hashes, whatever their order.
 */
export function translateGateway(connections: readonly DesiredConnection[]): PeerGroup[] {
  const drafts = new Map<string, Draft>();
  const sorted = [...connections].sort((a, b) => (a.connectionId < b.connectionId ? -1 : a.connectionId > b.connectionId ? 1 : 0));
  for (const d of sorted) {
    if (!d.adminStateUp) continue;
    for (const { name, ike, key, mine, children } of partsOf(d)) {
      let g = drafts.get(name);
      if (!g) {
        g = { name, ike, shared: { ...key, id: sharedKeyId(name) }, children: {}, meta: new Map(), ids: [], leaderHash: mine, overridden: [], resets: 0 };
        drafts.set(name, g);
      } else if (mine !== g.leaderHash && !g.overridden.includes(d.connectionId)) {
        g.overridden.push(d.connectionId);
      }
      for (const [child, section, meta] of children) {
        g.children[child] = section;
        g.meta.set(child, meta);
      }
      if (!g.ids.includes(d.connectionId)) {
        g.ids.push(d.connectionId);
        g.resets += d.resets;
      }
    }
  }
  return [...drafts.values()].map((g) => {
    // A bidirectional member's restart actions need charon to keep trying, whoever leads the group.
    const ike = [...g.meta.values()].some((c) => c.start) ? { ...g.ike, keyingtries: '0' } : g.ike;
    return {
      name: g.name,
      conn: { ...ike, children: g.children },
      shared: g.shared,
      ikeHash: contentHash({ ike, psk: g.shared.data, owners: g.shared.owners, ...(g.resets ? { resets: g.resets } : {}) }),
      children: g.meta,
      connectionIds: g.ids,
      overridden: g.overridden,
    };
  });
}
