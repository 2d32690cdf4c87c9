import { inNamespace } from './ip-command.js';
import { procNetNetlink } from './ip-session.js';

/**
 * How many RTNETLINK events a namespace's event listeners (charon's kernel-netlink) have lost.
 *
 * charon learns the namespace's addresses only from RTM_NEWADDR events, and kernel-libipsec needs an
 * address it knows inside every local_ts. Its event socket has the kernel's default receive buffer
 * (charon 5.9.8 sizes only its request sockets with `receive_buffer_size`), room for about 250 events:
 * a burst of address changes while charon's event thread cannot run (CPU starvation) overflows it,
 * the kernel drops the events (ENOBUFS; charon logs `unable to receive from RT event socket`), charon
 * never learns those addresses, and every CHILD_SA for them fails for good with `error installing
 * route with policy … out`. The kernel counts each drop per socket (`Drops` of /proc/net/netlink).
 */

/** The route event listeners of a namespace: their drops summed, and which sockets they are (a restarted charon has new ones). */
export interface RouteEventDrops {
  readonly drops: number;
  /** The listening sockets' inodes, sorted and joined. */
  readonly sockets: string;
}

/** Sums `Drops` over the NETLINK_ROUTE sockets (Eth 0) that listen to multicast groups, from /proc/net/netlink text. */
export function routeEventDropsOf(procNetNetlink: string): RouteEventDrops {
  let drops = 0;
  const inodes: string[] = [];
  for (const line of procNetNetlink.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[1] !== '0' || /^0+$/.test(f[3] ?? '0')) continue;
    drops += Number(f[8]) || 0;
    inodes.push(f[9]!);
  }
  return { drops, sockets: inodes.sort().join(',') };
}

/** The RTNETLINK events dropped so far in namespace `ns`, and by which listeners. */
export async function routeEventDrops(ns: string): Promise<RouteEventDrops> {
  // Read through the namespace's ip session (no process); a process of its own if that fails.
  return routeEventDropsOf((await procNetNetlink(ns)) ?? (await inNamespace(ns, ['cat', '/proc/net/netlink'])));
}
