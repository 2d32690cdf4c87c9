import { createHash } from 'node:crypto';
import {
  claimPublicAddresses,
  ensureGatewayNetwork,
  movePeerRoutes,
  retireSingleGateway,
  syncGatewaySelectors,
  syncPublicAddresses,
} from '../dataplane/lab/gateway-network.js';
import { ensureInternet } from '../dataplane/lab/lab-internet.js';
import { gatewayNamespaces, memberNs, vpcNs } from '../dataplane/lab/lab-names.js';
import type { LabState } from '../dataplane/lab/lab-state.js';
import type { GatewayLayout } from '../dataplane/lab/network-layout.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { LabSettings } from './agent-backend.js';
import { haTrace } from './failover-trace.js';
import type { GatewayMembers } from './gateway-members.js';

/** What the network passes need of the reconciler. */
export interface NetworkDeps {
  readonly lab: LabSettings;
  readonly labState: LabState;
}

/** The namespace pass is skipped while its input is unchanged, but re-verified this often (level-based). */
const NETWORK_RECHECK_MS = 60_000;

const hashOf = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/**
 * The namespaces. A full pass first when nothing is known (first reconcile, after an error); else the
 * fast steps: the public address and the VPC's routes follow the active member (failover), the
 * selectors follow the connections. What is not urgent (a member cut or back, the check every
 * minute) is returned as deferred: a full pass after the active charon's work, so a failover never
 * waits for one.
 */
export async function syncMemberNetwork(d: NetworkDeps, g: GatewayMembers, gw: VpnGateway, layout: GatewayLayout, recovered: boolean): Promise<boolean> {
  const parts = partsOf(layout);
  const net = g.network;
  if (!net) {
    await fullMemberNetwork(d, g, gw, layout);
    return false;
  }
  if (net.placement !== parts.placement) {
    await syncPublicAddresses(layout, d.lab.pools.gateways);
    haTrace(gw.id, 'public address moved');
    await movePeerRoutes(layout);
    haTrace(gw.id, 'routes moved');
  }
  if (net.placement !== parts.placement || hashOf(net.selectors) !== hashOf(parts.selectors)) await syncGatewaySelectors(layout, net.selectors);
  g.network = { ...net, selectors: parts.selectors, placement: parts.placement };
  return recovered || net.base !== parts.base || Date.now() - net.at > NETWORK_RECHECK_MS;
}

/**
 * A policy failover's network steps, before the rest of the pass: the public address onto the new
 * active member (announced), then `load` (its conns with start actions) beside the VPC's routes moving.
 * `syncMemberNetwork` afterwards finds the placement changed and finishes (the old copy of the address,
 * the selectors); moving the routes again there is a no-op.
 */
export async function claimActivePlacement(d: NetworkDeps, layout: GatewayLayout, trace: (step: string) => void, load: () => Promise<void>): Promise<void> {
  await claimPublicAddresses(layout, d.lab.pools.gateways);
  trace('public address claimed');
  // Both settle before this returns (and the gateway's lock goes): a failed load must not leave the routes moving under the next pass.
  const steps = await Promise.allSettled([movePeerRoutes(layout).then(() => trace('routes moved')), load().then(() => trace('new active conns loaded'))]);
  for (const s of steps) if (s.status === 'rejected') throw s.reason;
}

/** The full, idempotent pass over every namespace of the gateway (and its lab record first, so `lab down` knows it). */
export async function fullMemberNetwork(d: NetworkDeps, g: GatewayMembers, gw: VpnGateway, layout: GatewayLayout): Promise<void> {
  await retireSingleGateway(g.dir, gw.id);
  d.labState.noteInternet(d.lab.internetNs);
  await ensureInternet([d.lab.pools.gateways, d.lab.pools.sites], d.lab.internetNs);
  d.labState.put({
    kind: 'gateway',
    name: gw.id,
    ns: memberNs(gw.id, 1),
    namespaces: gatewayNamespaces(gw.id),
    dir: g.dir,
    charonDirs: [g.memberDir(1), g.memberDir(2)],
    vpcNs: vpcNs(gw.vpcId),
    internetNs: d.lab.internetNs,
  });
  await ensureGatewayNetwork(layout, d.lab.pools.gateways, d.lab.internetNs);
  const parts = partsOf(layout);
  g.network = { base: parts.base, selectors: parts.selectors, placement: parts.placement, at: Date.now() };
}

/** A layout split by how it changes: the gateway's own part, where the active member sits, and what follows the connections. */
function partsOf(l: GatewayLayout): { base: string; placement: string; selectors: Pick<GatewayLayout, 'extraLocalAddresses' | 'peerRoutes' | 'routeVia'> } {
  const { extraLocalAddresses, peerRoutes, routeVia, members, ...rest } = l;
  return {
    base: hashOf({ ...rest, members: members.map((m) => ({ index: m.index, privateIp: m.privateIp, cut: m.cut })) }),
    placement: hashOf({ routeVia, members: members.map((m) => ({ index: m.index, publicIps: m.cut ? [] : m.publicIps })) }),
    selectors: { extraLocalAddresses, peerRoutes, routeVia },
  };
}
