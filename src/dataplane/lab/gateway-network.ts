import type { Cidr } from '../../domain/cidr.js';
import { deleteNamespace, ensureNamespace, ip, ipIdempotent, sysctl } from './ip-command.js';
import { ipSessionBatch as ipBatch } from './ip-session.js';
import { plugIntoInternet } from './lab-internet.js';
import { type RouteEventDrops, routeEventDrops } from './netlink-drops.js';
import { gatewayNs, privatePeer, subnetBridge, uplinkPeer, vpcNs } from './lab-names.js';
import type { GatewayLayout } from './network-layout.js';

/**
 * Builds (idempotently) a gateway's namespaces: the gateway namespace with its public leg on the lab
 * internet and its private leg into the VPC namespace; the VPC namespace with a bridge and a router
 * address per subnet, and routes for the peer CIDRs via the gateway. Level-based: stale peer routes
 * via this gateway are removed.
 */
export async function ensureGatewayNetwork(l: GatewayLayout, pool: Cidr, inet?: string): Promise<void> {
  const ns = gatewayNs(l.gatewayId);
  const vns = vpcNs(l.vpcId);
  await ensureNamespace(ns);
  await ensureNamespace(vns);
  await plugIntoInternet(ns, uplinkPeer(l.gatewayId, 0), 'pub0', l.publicIps, pool, inet);

  // Every subnet's bridge and router address in one batch (one line each, safe to repeat): a VPC of
  // 200 subnets took 600 processes and ~25 s this way before.
  const vpcLinks = await ip(['-o', 'link', 'show'], vns);
  await ipBatch(
    l.vpcSubnets.flatMap((s) => {
      const br = subnetBridge(s.id);
      return [
        ...(vpcLinks.includes(` ${br}:`) || vpcLinks.includes(` ${br}@`) ? [] : [`link add ${br} type bridge`]),
        `link set ${br} up`,
        `addr replace ${s.router}/${s.cidr.split('/')[1]} dev ${br}`,
      ];
    }),
    vns,
  );
  const peer = privatePeer(l.gatewayId);
  if (!(await ip(['-o', 'link', 'show'], ns)).includes(' priv0@')) {
    await ip(['link', 'add', 'priv0', 'type', 'veth', 'peer', 'name', peer, 'netns', vns], ns);
  }
  await ip(['link', 'set', peer, 'master', subnetBridge(l.subnetId), 'up'], vns);
  await ip(['link', 'set', 'priv0', 'up'], ns);
  await ipIdempotent(['addr', 'add', `${l.privateIp}/${l.privatePrefix}`, 'dev', 'priv0'], ns);
  // Routes back into the VPC's other subnets go via the VPC's router on the gateway's subnet.
  const router = l.vpcSubnets.find((s) => s.id === l.subnetId)?.router;
  if (router)
    await ipBatch(
      l.vpcSubnets.filter((s) => s.id !== l.subnetId).map((s) => `route replace ${s.cidr} via ${router}`),
      ns,
    );
  await sysctl(ns, 'net.ipv4.ip_forward', '1');
  await sysctl(ns, 'net.ipv4.conf.all.rp_filter', '0');
  await sysctl(ns, 'net.ipv4.conf.default.rp_filter', '0');
  await syncGatewaySelectors(l);
}

/**
 * The part of a gateway's network that follows its connections: an address inside every local
 * traffic selector (kernel-libipsec needs one) and the VPC's routes to the peer CIDRs. At most one
 * `ip -batch` per namespace, diffed against `applied` when the caller knows what it applied last
 * (else against what the kernel lists), so a new connection costs two processes, not one per CIDR.
 */
export async function syncGatewaySelectors(l: GatewayLayout, applied?: Pick<GatewayLayout, 'extraLocalAddresses' | 'peerRoutes'>): Promise<void> {
  const ns = gatewayNs(l.gatewayId);
  const want = new Set(l.extraLocalAddresses.map((a) => `${a}/32`));
  const have = applied
    ? applied.extraLocalAddresses.map((a) => `${a}/32`)
    : (await ip(['-o', '-4', 'addr', 'show', 'dev', 'lo'], ns))
        .split('\n')
        .map((x) => /inet (\S+)/.exec(x)?.[1])
        .filter((x): x is string => !!x && x !== '127.0.0.1/8');
  await ipBatch(
    [...[...want].filter((a) => !have.includes(a)).map((a) => `addr add ${a} dev lo`), ...have.filter((a) => !want.has(a)).map((a) => `addr del ${a} dev lo`)],
    ns,
  );
  await announceUntilSeen(ns, [...want]);
  await syncPeerRoutes(vpcNs(l.vpcId), l.privateIp, l.peerRoutes, applied?.peerRoutes);
}

/** Per gateway namespace: the route-event drops already answered by announcing the addresses again, and whose they were. */
const answeredDrops = new Map<string, RouteEventDrops>();
const ANNOUNCE_ATTEMPTS = 6;

/**
 * Makes sure charon has seen every address of `addresses`: when its event socket dropped events since
 * the last check (netlink-drops.ts), every address is announced again with `ip addr replace`, which
 * sends one RTM_NEWADDR and changes nothing (no route goes, no SA is touched), until nothing more is
 * dropped. Events are delivered (or dropped) while `ip` runs, so reading the counter afterwards sees
 * every loss of that batch. Counts of other sockets (a charon started since) compare as none answered.
 */
async function announceUntilSeen(ns: string, addresses: readonly string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const now = await routeEventDrops(ns);
    const last = answeredDrops.get(ns);
    const answered = last && last.sockets === now.sockets ? last.drops : 0;
    if (now.drops <= answered) {
      answeredDrops.set(ns, now);
      return;
    }
    if (attempt === ANNOUNCE_ATTEMPTS) throw new Error(`charon in ${ns} keeps losing address events (${now.drops} dropped); retrying later`);
    // Give charon's event thread a moment to drain its socket before the next burst.
    await new Promise((ok) => setTimeout(ok, 20 * 2 ** attempt));
    await ipBatch(
      addresses.map((a) => `addr replace ${a} dev lo`),
      ns,
    );
    answeredDrops.set(ns, now); // answered up to here; what the re-announcement loses is checked next
  }
}

/** Makes the VPC's routes via `via` exactly `cidrs` (against `applied` when known, else what the kernel lists). */
async function syncPeerRoutes(vns: string, via: string, cidrs: readonly string[], applied?: readonly string[]): Promise<void> {
  const norm = (c: string): string => (c.includes('/') ? c : `${c}/32`);
  const current = applied
    ? applied.map(norm)
    : (await ip(['-4', 'route', 'show', 'via', via], vns))
        .split('\n')
        .map((l) => l.split(' ')[0])
        .filter((x): x is string => !!x && /^\d/.test(x))
        .map(norm);
  const wanted = cidrs.map(norm);
  await ipBatch(
    [
      ...wanted.filter((c) => !current.includes(c)).map((c) => `route replace ${c} via ${via}`),
      ...current.filter((c) => !wanted.includes(c)).map((c) => `route del ${c} via ${via}`),
    ],
    vns,
  );
}

/** Removes a gateway's namespace (its legs go with it) and its routes in the VPC namespace. */
export async function removeGatewayNetwork(gatewayId: string, vpcId: string, privateIp: string, vpcStillUsed: boolean): Promise<void> {
  await deleteNamespace(gatewayNs(gatewayId));
  answeredDrops.delete(gatewayNs(gatewayId));
  const vns = vpcNs(vpcId);
  if (!vpcStillUsed) {
    await deleteNamespace(vns);
    return;
  }
  try {
    await syncPeerRoutes(vns, privateIp, []);
  } catch {
    /* the VPC namespace may already be gone */
  }
}
