import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Cidr } from '../../domain/cidr.js';
import { deleteNamespace, ensureNamespace, ip, ipIdempotent, listNamespaces, sysctl } from './ip-command.js';
import { ipSessionBatch as ipBatch } from './ip-session.js';
import { plugIntoInternet } from './lab-internet.js';
import { type RouteEventDrops, routeEventDrops } from './netlink-drops.js';
import { gatewayNamespaces, memberNs, privatePeer, singleGatewayNs, subnetBridge, uplinkPeer, vpcNs } from './lab-names.js';
import { isCharonPid, pidAlive } from './lab-state.js';
import type { GatewayLayout, MemberLayout } from './network-layout.js';

/**
 * Builds (idempotently) a gateway's namespaces: one per member, each with its public leg on the lab
 * internet and its private leg (its own private IP) into the VPC namespace; the VPC namespace with a
 * bridge and a router address per subnet, and routes for the peer CIDRs via the active member.
 * Members cut by `lab member fail` are left alone (their links stay down). Level-based: stale peer
 * routes and public addresses a member no longer holds are removed.
 */
export async function ensureGatewayNetwork(l: GatewayLayout, pool: Cidr, inet?: string): Promise<void> {
  const vns = vpcNs(l.vpcId);
  await ensureNamespace(vns);
  // Every subnet's bridge and router address in one batch (one line each, safe to repeat): a VPC of
  // 200 subnets took 600 processes and ~25 s one by one.
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
  for (const m of l.members) if (!m.cut) await ensureMemberNetwork(l, m, pool, inet);
  await syncPublicAddresses(l, pool);
  await syncGatewaySelectors(l);
}

async function ensureMemberNetwork(l: GatewayLayout, m: MemberLayout, pool: Cidr, inet?: string): Promise<void> {
  const ns = memberNs(l.gatewayId, m.index);
  const vns = vpcNs(l.vpcId);
  await ensureNamespace(ns);
  await plugIntoInternet(ns, uplinkPeer(l.gatewayId, m.index), 'pub0', [], pool, inet);
  const peer = privatePeer(l.gatewayId, m.index);
  if (!(await ip(['-o', 'link', 'show'], ns)).includes(' priv0@')) {
    await ip(['link', 'add', 'priv0', 'type', 'veth', 'peer', 'name', peer, 'netns', vns], ns);
  }
  await ip(['link', 'set', peer, 'master', subnetBridge(l.subnetId), 'up'], vns);
  await ip(['link', 'set', 'priv0', 'up'], ns);
  await ipIdempotent(['addr', 'add', `${m.privateIp}/${l.privatePrefix}`, 'dev', 'priv0'], ns);
  // Routes back into the VPC's other subnets go via the VPC's router on the gateway's subnet.
  const router = l.vpcSubnets.find((s) => s.id === l.subnetId)?.router;
  if (router)
    await ipBatch(
      l.vpcSubnets.filter((s) => s.id !== l.subnetId).map((s) => `route replace ${s.cidr} via ${router}`),
      ns,
    );
  await sysctl(ns, { 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.rp_filter': '0', 'net.ipv4.conf.default.rp_filter': '0' });
}

/**
 * Makes each member's public leg hold exactly its public addresses (one `ip -batch` per member that
 * differs). An address that arrives on a member is announced with gratuitous ARP, so the lab
 * internet's neighbour cache follows it at once (a few, spaced past Linux's ARP locktime).
 * Returns the members that took an address.
 */
export async function syncPublicAddresses(l: GatewayLayout, pool: Cidr): Promise<number[]> {
  const present = new Set(await listNamespaces());
  const took: number[] = [];
  // Removals first: an address never sits on two members.
  const plans = await Promise.all(
    l.members.map(async (m) => {
      const ns = memberNs(l.gatewayId, m.index);
      if (!present.has(ns)) return { m, ns, add: [] as string[] };
      const have = (await ip(['-o', '-4', 'addr', 'show', 'dev', 'pub0'], ns).catch(() => ''))
        .split('\n')
        .map((x) => /inet (\S+)\//.exec(x)?.[1])
        .filter((x): x is string => !!x);
      const want = m.cut ? [] : m.publicIps;
      await ipBatch(
        have.filter((a) => !want.includes(a)).map((a) => `addr del ${a}/${pool.prefix} dev pub0`),
        ns,
      );
      return { m, ns, add: want.filter((a) => !have.includes(a)) };
    }),
  );
  for (const p of plans) {
    if (p.add.length === 0) continue;
    await ipBatch(
      p.add.map((a) => `addr add ${a}/${pool.prefix} dev pub0`),
      p.ns,
    );
    for (const a of p.add) announce(p.ns, a);
    took.push(p.m.index);
  }
  return took;
}

/**
 * The failover step: each live member that is to hold public addresses gets them in one `ip -batch`
 * of `addr replace` (idempotent, no listing first), announced with gratuitous ARP. What another member
 * still holds is left to `syncPublicAddresses` after the new active member has initiated: a member
 * that failed has its links down, so its copy answers nothing meanwhile.
 */
export async function claimPublicAddresses(l: Pick<GatewayLayout, 'gatewayId' | 'members'>, pool: Cidr): Promise<void> {
  await Promise.all(
    l.members
      .filter((m) => !m.cut && m.publicIps.length > 0)
      .map(async (m) => {
        const ns = memberNs(l.gatewayId, m.index);
        await ipBatch(
          m.publicIps.map((a) => `addr replace ${a}/${pool.prefix} dev pub0`),
          ns,
        );
        for (const a of m.publicIps) announce(ns, a);
      }),
  );
}

/** Gratuitous ARP for `address` from the member's public leg (iputils-arping), in the background. */
function announce(ns: string, address: string): void {
  for (const delayMs of [0, 300, 1200, 2500]) {
    const t = setTimeout(() => {
      const child = spawn('ip', ['netns', 'exec', ns, 'arping', '-q', '-U', '-c', '1', '-I', 'pub0', address], { stdio: 'ignore' });
      child.on('error', () => undefined);
    }, delayMs);
    t.unref();
  }
}

/**
 * The part of a gateway's network that follows its connections: an address inside every local
 * traffic selector (kernel-libipsec needs one) in every live member, and the VPC's routes to the peer
 * CIDRs via the active member. At most one `ip -batch` per namespace, diffed against `applied` when
 * the caller knows what it applied last (else against what the kernel lists), so a new connection
 * costs a few processes, not one per CIDR.
 */
export async function syncGatewaySelectors(l: GatewayLayout, applied?: Pick<GatewayLayout, 'extraLocalAddresses' | 'peerRoutes' | 'routeVia'>): Promise<void> {
  const want = new Set(l.extraLocalAddresses.map((a) => `${a}/32`));
  const vns = vpcNs(l.vpcId);
  const others = l.members.map((m) => m.privateIp).filter((a) => a !== l.routeVia);
  const same = applied !== undefined && applied.routeVia === l.routeVia;
  // The members' addresses and the VPC's routes are in different namespaces and do not wait for each
  // other: each `ip` round trip waits behind whatever else the event loop has (a burst of API requests).
  const routes = (async () => {
    // `route replace` moves a route from another member first; then whatever is left via the others goes.
    await syncPeerRoutes(vns, l.routeVia, l.peerRoutes, same ? applied.peerRoutes : undefined);
    if (!same) for (const via of others) await syncPeerRoutes(vns, via, []);
  })();
  const addresses = Promise.all(
    l.members
      .filter((m) => !m.cut)
      .map(async (m) => {
        const ns = memberNs(l.gatewayId, m.index);
        const have = applied
          ? applied.extraLocalAddresses.map((a) => `${a}/32`)
          : (await ip(['-o', '-4', 'addr', 'show', 'dev', 'lo'], ns))
              .split('\n')
              .map((x) => /inet (\S+)/.exec(x)?.[1])
              .filter((x): x is string => !!x && x !== '127.0.0.1/8');
        await ipBatch(
          [
            ...[...want].filter((a) => !have.includes(a)).map((a) => `addr add ${a} dev lo`),
            ...have.filter((a) => !want.has(a)).map((a) => `addr del ${a} dev lo`),
          ],
          ns,
        );
        await announceUntilSeen(ns, [...want]);
      }),
  );
  // Both settle before this returns: a failed half must not leave the other running under the next pass.
  const steps = await Promise.allSettled([addresses, routes]);
  for (const step of steps) if (step.status === 'rejected') throw step.reason;
}

/** Per member namespace: the route-event drops already answered by announcing the addresses again, and whose they were. */
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

/**
 * Moves the VPC's routes to the peer CIDRs onto `l.routeVia` in one `ip -batch` (`route replace`
 * moves a route whatever its old next hop): the failover step, before any full pass.
 */
export async function movePeerRoutes(l: Pick<GatewayLayout, 'vpcId' | 'routeVia' | 'peerRoutes'>): Promise<void> {
  await ipBatch(
    l.peerRoutes.map((c) => `route replace ${c.includes('/') ? c : `${c}/32`} via ${l.routeVia}`),
    vpcNs(l.vpcId),
  );
}

/** Removes a gateway's member namespaces (their legs go with them) and its routes in the VPC namespace. */
export async function removeGatewayNetwork(gatewayId: string, vpcId: string, privateIps: readonly string[], vpcStillUsed: boolean): Promise<void> {
  for (const ns of gatewayNamespaces(gatewayId)) {
    await deleteNamespace(ns);
    answeredDrops.delete(ns);
  }
  const vns = vpcNs(vpcId);
  if (!vpcStillUsed) {
    await deleteNamespace(vns);
    return;
  }
  try {
    for (const via of privateIps) await syncPeerRoutes(vns, via, []);
  } catch {
    /* the VPC namespace may already be gone */
  }
}

/**
 * A lab built before each member had its own namespace: one charon in the gateway's directory and one
 * namespace holding the public IP. Both go (charon by its recorded PID), so the address is free for
 * the members and nothing is left behind.
 */
export async function retireSingleGateway(gatewayDir: string, gatewayId: string): Promise<void> {
  const pidFile = join(gatewayDir, 'charon.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (pid > 0 && pidAlive(pid) && isCharonPid(pid)) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 60 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
  await deleteNamespace(singleGatewayNs(gatewayId));
}
