import { type Cidr, formatAddress } from '../../domain/cidr.js';
import { ensureNamespace, ip, ipIdempotent, sysctl } from './ip-command.js';
import { INTERNET_BRIDGE, INTERNET_NS } from './lab-names.js';

/** The first host of a pool: the lab internet's own address in it (never handed out). */
export function poolRouter(pool: Cidr): string {
  return formatAddress(pool.network + 1n, pool.family);
}

/**
 * The lab internet: one namespace with a bridge that every gateway's public leg and every site's
 * uplink plug into, routing between the pools it serves (gateway pool, site pool). It is never
 * connected to the host's own network. Its name is configurable so that separate labs (tests
 * running side by side) never share one.
 */
export async function ensureInternet(pools: readonly Cidr[], inet = INTERNET_NS): Promise<void> {
  await ensureNamespace(inet);
  await ipIdempotent(['link', 'add', INTERNET_BRIDGE, 'type', 'bridge'], inet);
  await ip(['link', 'set', INTERNET_BRIDGE, 'up'], inet);
  for (const pool of pools) {
    await ipIdempotent(['addr', 'add', `${poolRouter(pool)}/${pool.prefix}`, 'dev', INTERNET_BRIDGE], inet);
  }
  // A router between networks, never a redirector: a host that heeds an ICMP redirect sends to the
  // other network's address straight over the bridge, where no one answers its ARP (a route gateway
  // member steers a site's packets to a tunnel namespace by their source address, ARP included), and
  // the site loses its gateways whenever that neighbour entry goes stale.
  await sysctl(inet, {
    'net.ipv4.ip_forward': '1',
    'net.ipv4.conf.all.send_redirects': '0',
    'net.ipv4.conf.default.send_redirects': '0',
    [`net.ipv4.conf.${INTERNET_BRIDGE}.send_redirects`]: '0',
  });
}

/**
 * A veth from the internet bridge into `ns`, named `inner` there, holding `addresses` (with the
 * pool's prefix; added, never removed) and a default route via the pool's router.
 */
export async function plugIntoInternet(
  ns: string,
  peerName: string,
  inner: string,
  addresses: readonly string[],
  pool: Cidr,
  inet = INTERNET_NS,
): Promise<void> {
  const links = await ip(['-o', 'link', 'show'], ns);
  if (!links.includes(` ${inner}@`) && !links.includes(` ${inner}:`)) {
    await ip(['link', 'add', peerName, 'type', 'veth', 'peer', 'name', inner, 'netns', ns], inet);
  }
  await ip(['link', 'set', peerName, 'master', INTERNET_BRIDGE, 'up'], inet);
  await ip(['link', 'set', inner, 'up'], ns);
  for (const a of addresses) await ipIdempotent(['addr', 'add', `${a}/${pool.prefix}`, 'dev', inner], ns);
  // onlink: a leg that holds no address yet (a policy gateway's standby member) keeps its route too.
  await ipIdempotent(['route', 'replace', 'default', 'via', poolRouter(pool), 'dev', inner, 'onlink'], ns);
}

/** IKE and ESP-in-UDP (ports 500, 4500) always go by the main table, never by kernel-libipsec's table 220. */
