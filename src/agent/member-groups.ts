import { translateGateway, type PeerGroup } from '../dataplane/strongswan/peer-group-translator.js';
import type { ViciSection } from '../dataplane/strongswan/conn-translator.js';
import { BoundedMemo } from '../domain/bounded-memo.js';
import { contentHash } from '../domain/content-hash.js';
import type { DesiredConnection } from '../domain/desired-state.js';
import type { GatewayMode } from '../domain/gateway.js';

/**
 * What one member's charon loads. Route mode: no route-based connection (each of its tunnels runs in
 * its own tunnel namespace, see `tunnelGroups` and route-tunnels.ts). Policy mode: every connection on both members (the public IP
 * moves with the active role, so the bodies are the same on both), the standby's CHILDs without a
 * start action (hot, but never initiating without the address; see `standbyGroups`).
 */
export function memberGroups(connections: readonly DesiredConnection[], mode: GatewayMode, index: 1 | 2, role: 'active' | 'standby'): PeerGroup[] {
  const mine = mode === 'policy' ? connections : connections.filter((d) => d.kind === 'policy').map((d) => tunnelOf(d, index));
  const groups = translateGateway(mine);
  return role === 'standby' ? standbyGroups(groups) : groups;
}

/**
 * A policy standby's groups: the same conns and keys, every CHILD with `start_action=none` (phase 1,
 * keyingtries included, untouched, so the IKE hash is the active one's). When the standby is promoted,
 * loading the active groups changes exactly those CHILDs, and charon runs their new start action at
 * once: the new active initiates every start-able CHILD without waiting for DPD (fact sheet §3.4).
 */
export function standbyGroups(groups: readonly PeerGroup[]): PeerGroup[] {
  return groups.map((g) => {
    const sections = (g.conn['children'] ?? {}) as Record<string, ViciSection>;
    const children = Object.fromEntries(Object.entries(sections).map(([name, c]) => [name, { ...c, start_action: 'none' }]));
    const meta = new Map([...g.children].map(([name, c]) => [name, { ...c, hash: standbyHash(c.hash, children[name]), start: false }]));
    return { ...g, conn: { ...g.conn, children }, children: meta };
  });
}

/** A standby CHILD's hash by its active form's hash (its section is that one with no start action): hashed once. */
const standbyHashes = new BoundedMemo<string, string>(20_000);

const standbyHash = (activeHash: string, section: unknown): string => standbyHashes.get(activeHash, () => contentHash(section));

const tunnelOf = (d: DesiredConnection, index: 1 | 2): DesiredConnection => ({ ...d, tunnels: d.tunnels.filter((t) => t.memberIndex === index) });

/** What a route tunnel's own charon loads: its connection's conn for that one member. */
export function tunnelGroups(d: DesiredConnection, index: 1 | 2): PeerGroup[] {
  return translateGateway([tunnelOf(d, index)]);
}
