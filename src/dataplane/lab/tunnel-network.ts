import type { CharonOptions } from './charon-process.js';
import { CharonSupervisor } from './charon-supervisor.js';
import { deleteNamespace, ensureNamespace, ip, ipBatch, LabCommandError, sysctl } from './ip-command.js';
import { LabState } from './lab-state.js';

/**
 * Route mode, data path: a *tunnel namespace* per (member, route connection), with a charon of its
 * own. kernel-libipsec has one TUN device and matches policies by selectors only (SW §5.3), so two
 * 0.0.0.0/0 CHILDs in one charon cannot be told apart; alone in its namespace, a CHILD's table-220
 * route `default dev ipsec0` (and the `throw <peer>` route charon adds so IKE and ESP bypass it)
 * is exactly right.
 *
 * No NAT: the tunnel namespace holds the member's public IP on `lo`, so its charon keeps the member's
 * public IP as `local_addrs`, as the peer expects. In the member namespace, the `local` rule moves to
 * priority 100, and `from <peer> iif <public leg> lookup <1000+slot>` (priority 10) sends that peer's
 * packets (IKE, ESP-in-UDP) over a veth to the tunnel namespace; what the tunnel namespace sends back
 * (source: the public IP) is accepted on that veth (`accept_local`, no rp_filter) and forwarded out.
 * Cleartext from the VPC reaches the tunnel namespace by the member's routes (route-table-sync.ts);
 * decrypted packets leave it by `iif ipsec0 lookup main` (priority 100, before table 220).
 *
 * Each tunnel has a slot: its veth pair holds 169.254.0.0/16's /30 number `slot` (member side .1,
 * tunnel side .2) and the member's table 1000+slot. Slots are read back from the member namespace,
 * so a tunnel keeps its slot across agent restarts. Not safe to run concurrently for one member.
 */

/** The tunnel namespace of a connection on a member: `cw-tn-<12 hex of the connection id>-<member>`. */
export const tunnelNs = (connectionId: string, memberIndex: number): string => `cw-tn-${short(connectionId)}-${memberIndex}`;
/** The member-side end of the tunnel's veth (the tunnel side is `up0`). */
export const tunnelLink = (connectionId: string): string => `tn${short(connectionId)}`;
/** The lab record (and directory) name of a tunnel namespace's charon. */
export const tunnelRecordName = (connectionId: string, memberIndex: number): string => `${short(connectionId)}-${memberIndex}`;

const short = (id: string): string => id.replace(/-/g, '').slice(0, 12);

export const TUNNEL_PEER_RULE_PRIORITY = 10;
export const MEMBER_LOCAL_RULE_PRIORITY = 100;
export const TUNNEL_TABLE_BASE = 1000;
const MAX_SLOTS = 16384;

export interface TunnelNetworkSpec {
  /** <data-dir>/lab: the tunnel's charon directory and lab record go under it. */
  readonly labRoot: string;
  /** The member namespace that holds the member's public IP on `publicDev`. */
  readonly memberNs: string;
  readonly memberIndex: 1 | 2;
  readonly connectionId: string;
  readonly publicIp: string;
  /** The peer's IKE address (an IP: resolve an FQDN first). */
  readonly peerIp: string;
  /** The member's public leg (default `pub0`). */
  readonly publicDev?: string;
  /** The gateway the member belongs to (recorded, so `lab member fail` finds the member's tunnels). */
  readonly gatewayId?: string;
  /** The tunnel charon's instance settings (DPD as retransmit schedule, aggressive PSK). */
  readonly charon?: Pick<CharonOptions, 'retransmit' | 'aggressivePsk'>;
}

export interface TunnelNetwork {
  readonly ns: string;
  readonly slot: number;
  /** The tunnel side of the veth: the member's next hop for the tunnel's destinations. */
  readonly tunnelSideIp: string;
  readonly memberSideIp: string;
  /** The tunnel's charon (started): load the connection's conn for this member over `charon.socket`. */
  readonly charon: CharonSupervisor;
}

/** The veth address of a slot: host 1 on the member side, 2 on the tunnel side. */
export const linkIp = (slot: number, host: 1 | 2): string => `169.254.${Math.floor((slot * 4) / 256)}.${((slot * 4) % 256) + host}`;

/** The slots used in a member namespace, by member-side veth name (read from the kernel). */
export async function tunnelSlots(memberNs: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const links = JSON.parse(await ip(['-j', '-4', 'addr', 'show'], memberNs)) as { ifname: string; addr_info?: { local: string; prefixlen: number }[] }[];
  for (const l of links) {
    if (!/^tn[0-9a-f]{12}$/.test(l.ifname)) continue;
    const a = (l.addr_info ?? []).find((x) => x.local.startsWith('169.254.') && x.prefixlen === 30);
    if (!a) continue;
    const [, , c, d] = a.local.split('.').map(Number);
    out.set(l.ifname, (c! * 256 + d!) >> 2);
  }
  return out;
}

/** Moves the member's `local` rule behind the peer rules (adds priority 100 before dropping 0). */
async function ensureLocalRuleMoved(memberNs: string): Promise<void> {
  const rules = JSON.parse(await ip(['-j', 'rule', 'show'], memberNs)) as { priority: number; table: string; src?: string; iif?: string }[];
  const local = rules.filter((r) => r.table === 'local' && r.src === 'all' && !r.iif);
  const lines: string[] = [];
  if (!local.some((r) => r.priority === MEMBER_LOCAL_RULE_PRIORITY)) lines.push(`rule add pref ${MEMBER_LOCAL_RULE_PRIORITY} lookup local`);
  if (local.some((r) => r.priority === 0)) lines.push('rule del pref 0 lookup local');
  await ipBatch(lines, memberNs);
}

/**
 * Builds (idempotently) the tunnel namespace of `spec.connectionId` on a member and starts its
 * charon; returns where it is. Throws when another tunnel of the member already takes the peer's
 * packets (routeTunnels in route-plan.ts keeps that from being asked).
 */
export async function ensureTunnelNamespace(spec: TunnelNetworkSpec): Promise<TunnelNetwork> {
  const pub = spec.publicDev ?? 'pub0';
  const ns = tunnelNs(spec.connectionId, spec.memberIndex);
  const link = tunnelLink(spec.connectionId);
  const slots = await tunnelSlots(spec.memberNs);
  let slot = slots.get(link);
  if (slot === undefined) {
    const used = new Set(slots.values());
    slot = 0;
    while (used.has(slot)) slot++;
    if (slot >= MAX_SLOTS) throw new Error(`member namespace ${spec.memberNs} has no free tunnel slot`);
  }
  const table = TUNNEL_TABLE_BASE + slot;
  const rules = JSON.parse(await ip(['-j', 'rule', 'show'], spec.memberNs)) as { priority: number; table: string; src?: string; iif?: string }[];
  const taken = rules.find((r) => r.priority === TUNNEL_PEER_RULE_PRIORITY && r.src === spec.peerIp && r.table !== String(table));
  if (taken) throw new Error(`member namespace ${spec.memberNs} already sends ${spec.peerIp}'s packets to table ${taken.table}`);

  // Recorded before anything is made, so `lab down` and the teardown find whatever a failure leaves.
  const state = new LabState(spec.labRoot);
  const name = tunnelRecordName(spec.connectionId, spec.memberIndex);
  const dir = state.dirFor('tunnel', name);
  const charon = new CharonSupervisor({ ns, dir, ...(spec.charon ?? {}) });
  const rec = {
    kind: 'tunnel' as const,
    name,
    ns,
    dir,
    publicIp: spec.publicIp,
    memberIndex: spec.memberIndex,
    connectionId: spec.connectionId,
    ...(spec.gatewayId ? { gateway: spec.gatewayId } : {}),
  };
  state.put({ ...state.get('tunnel', name), ...rec });
  await ensureNamespace(ns);
  const present = (await ip(['-o', 'link', 'show'], spec.memberNs)).includes(` ${link}@`);
  if (!present) {
    await ipBatch([`link del ${link}`], spec.memberNs).catch(() => undefined);
    await ip(['link', 'add', link, 'type', 'veth', 'peer', 'name', 'up0', 'netns', ns], spec.memberNs);
  }
  const memberSideIp = linkIp(slot, 1);
  const tunnelSideIp = linkIp(slot, 2);
  await sysctl(spec.memberNs, {
    'net.ipv4.ip_forward': '1',
    'net.ipv4.conf.all.rp_filter': '0',
    [`net.ipv4.conf.${link}.rp_filter`]: '0',
    [`net.ipv4.conf.${link}.accept_local`]: '1',
  });
  await ipBatch(
    [
      `addr replace ${memberSideIp}/30 dev ${link}`,
      `link set ${link} up`,
      `route replace default via ${tunnelSideIp} dev ${link} table ${table}`,
      // A rule for another peer into this table (the connection's peer address changed) goes.
      ...rules
        .filter((r) => r.priority === TUNNEL_PEER_RULE_PRIORITY && r.table === String(table) && r.src !== undefined && r.src !== spec.peerIp)
        .map((r) => `rule del pref ${TUNNEL_PEER_RULE_PRIORITY} from ${r.src} lookup ${table}`),
      ...(rules.some((r) => r.priority === TUNNEL_PEER_RULE_PRIORITY && r.src === spec.peerIp)
        ? []
        : [`rule add pref ${TUNNEL_PEER_RULE_PRIORITY} from ${spec.peerIp} iif ${pub} lookup ${table}`]),
    ],
    spec.memberNs,
  );
  await ensureLocalRuleMoved(spec.memberNs);

  await sysctl(ns, { 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.rp_filter': '0', 'net.ipv4.conf.default.rp_filter': '0' });
  const tunnelRules = await ip(['rule', 'show'], ns);
  await ipBatch(
    [
      `addr replace ${spec.publicIp}/32 dev lo`,
      `addr replace ${tunnelSideIp}/30 dev up0`,
      'link set up0 up',
      `route replace default via ${memberSideIp} dev up0 src ${spec.publicIp}`,
      // `iif ipsec0 [detached] lookup main` while no charon holds the TUN device (one died): present all the same.
      ...(/iif ipsec0 (\[detached\] )?lookup main/.test(tunnelRules) ? [] : [`rule add pref ${MEMBER_LOCAL_RULE_PRIORITY} iif ipsec0 lookup main`]),
    ],
    ns,
  );

  await charon.ensure();
  state.put({ ...rec, ...(charon.pid() ? { charonPid: charon.pid()! } : {}) });
  return { ns, slot, tunnelSideIp, memberSideIp, charon };
}

/**
 * Removes a tunnel namespace: stops its charon (by PID), deletes the namespace (its veth goes with
 * it) and the member's peer rule and table for it. Safe to repeat; the member namespace may be gone.
 */
export async function removeTunnelNamespace(labRoot: string, memberNs: string, connectionId: string, memberIndex: 1 | 2): Promise<void> {
  const state = new LabState(labRoot);
  const name = tunnelRecordName(connectionId, memberIndex);
  await new CharonSupervisor({ ns: tunnelNs(connectionId, memberIndex), dir: state.dirFor('tunnel', name) }).stop();
  let slot: number | undefined;
  try {
    slot = (await tunnelSlots(memberNs)).get(tunnelLink(connectionId));
  } catch (e) {
    if (!(e instanceof LabCommandError)) throw e;
  }
  await deleteNamespace(tunnelNs(connectionId, memberIndex));
  if (slot !== undefined) {
    const table = TUNNEL_TABLE_BASE + slot;
    const rules = JSON.parse(await ip(['-j', 'rule', 'show'], memberNs)) as { priority: number; table: string; src?: string }[];
    const lines = rules
      .filter((r) => r.priority === TUNNEL_PEER_RULE_PRIORITY && r.table === String(table))
      .map((r) => `rule del pref ${r.priority} from ${r.src} lookup ${table}`);
    // The table's one route went with the veth; a leftover is removed, an absent one is fine.
    await ipBatch([...lines, `route del default table ${table}`], memberNs).catch(() => undefined);
  }
  state.remove('tunnel', name);
}
