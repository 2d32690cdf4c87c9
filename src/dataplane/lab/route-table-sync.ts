import { ip, ipBatch, LabCommandError } from './ip-command.js';
import type { KernelRoute, KernelRule, MemberRoute, VpcRoutePlan } from './route-plan.js';
import { VPC_TABLE_BASE, VPC_TABLE_SPAN } from './route-plan.js';
import { linkIp, tunnelLink, tunnelSlots } from './tunnel-network.js';

/**
 * Route mode, applying route-plan.ts: level-based and idempotent. Each call reads what the
 * namespace holds, diffs it against what is wanted and sends the difference in one `ip -batch`.
 * Routes and rules this data plane makes carry protocol 77, so nothing else is ever touched.
 */

export const ROUTE_PROTO = 77;
/** Member namespace: traffic from the VPC (`iif <private leg>`) looks the tunnels' destinations up here first. */
export const MEMBER_VPC_TABLE = 200;
export const MEMBER_VPC_RULE_PRIORITY = 50;
/** VPC namespace: main without its default route first (the VPC's own subnets win), then the routing tables. */
export const VPC_MAIN_RULE_PRIORITY = 900;
export const VPC_TABLE_RULE_PRIORITY = 1000;

interface JsonRoute {
  /** Absent for unicast. */
  type?: string;
  dst: string;
  gateway?: string;
  table?: string;
  metric?: number;
  nexthops?: { gateway?: string }[];
}
interface JsonRule {
  priority: number;
  src?: string;
  srclen?: number;
  iif?: string;
  table: string;
  protocol?: string;
  suppress_prefixlen?: number;
}

const norm = (dst: string): string => (dst === 'default' ? '0.0.0.0/0' : dst.includes('/') ? dst : `${dst}/32`);
const viaOf = (r: JsonRoute): string[] => (r.nexthops ? r.nexthops.flatMap((n) => (n.gateway ? [n.gateway] : [])) : r.gateway ? [r.gateway] : []).sort();
const routeKey = (table: number, destination: string, metric: number): string => `${table}|${destination}|${metric}`;

function routeLine(r: KernelRoute): string {
  if (r.type) return `route replace ${r.type} ${r.destination} table ${r.table} proto ${ROUTE_PROTO} metric ${r.metric}`;
  const hops = r.via.length === 1 ? `via ${r.via[0]!}` : r.via.map((v) => `nexthop via ${v}`).join(' ');
  return `route replace ${r.destination} table ${r.table} proto ${ROUTE_PROTO} metric ${r.metric} ${hops}`;
}

/** A typed route as the kernel shows it (`blackhole`, `throw`), or undefined for unicast (and types this data plane never makes). */
const typeOf = (r: JsonRoute): KernelRoute['type'] => (r.type === 'blackhole' || r.type === 'throw' ? r.type : undefined);

async function ourRoutes(ns: string, table: string): Promise<JsonRoute[]> {
  try {
    return JSON.parse(await ip(['-j', '-4', 'route', 'show', 'table', table, 'proto', String(ROUTE_PROTO)], ns)) as JsonRoute[];
  } catch (e) {
    if (e instanceof LabCommandError && /FIB table does not exist/.test(e.stderr)) return []; // a table is made by its first route
    throw e;
  }
}

const rules = async (ns: string): Promise<JsonRule[]> => JSON.parse(await ip(['-j', '-4', 'rule', 'show'], ns)) as JsonRule[];

/**
 * A member's routes toward its tunnel namespaces: table 200, used by traffic from the VPC
 * (`iif privateDev`). Each connection's next hop is the tunnel side of its veth; a route whose
 * connections have no tunnel namespace on this member is left out.
 */
export async function syncMemberRoutes(memberNs: string, routes: readonly MemberRoute[], privateDev = 'priv0'): Promise<void> {
  const slots = await tunnelSlots(memberNs);
  const hop = (id: string): string | undefined => {
    const s = slots.get(tunnelLink(id));
    return s === undefined ? undefined : linkIp(s, 2);
  };
  const wanted: KernelRoute[] = routes.flatMap((r) => {
    const via = r.connectionIds.flatMap((id) => hop(id) ?? []).sort();
    return via.length ? [{ table: MEMBER_VPC_TABLE, destination: r.destination, metric: r.metric, via }] : [];
  });
  const have = await ourRoutes(memberNs, String(MEMBER_VPC_TABLE));
  const lines = diffRoutes(
    have.map((r) => ({ table: MEMBER_VPC_TABLE, destination: norm(r.dst), metric: r.metric ?? 0, via: viaOf(r) })),
    wanted,
  );
  const rule = (await rules(memberNs)).some((r) => r.priority === MEMBER_VPC_RULE_PRIORITY && r.iif === privateDev && r.table === String(MEMBER_VPC_TABLE));
  if (!rule) lines.push(`rule add pref ${MEMBER_VPC_RULE_PRIORITY} iif ${privateDev} lookup ${MEMBER_VPC_TABLE} protocol ${ROUTE_PROTO}`);
  await ipBatch(lines, memberNs);
}

const routeDelLine = (r: KernelRoute): string => `route del ${r.destination} table ${r.table} proto ${ROUTE_PROTO} metric ${r.metric}`;

/** `route replace` for new or changed routes, `route del` for those no longer wanted. */
function diffRoutes(have: readonly KernelRoute[], want: readonly KernelRoute[]): string[] {
  const h = new Map(have.map((r) => [routeKey(r.table, r.destination, r.metric), r]));
  const w = new Map(want.map((r) => [routeKey(r.table, r.destination, r.metric), r]));
  const lines: string[] = [];
  for (const [k, r] of w) if (h.get(k)?.via.join(',') !== r.via.join(',')) lines.push(routeLine(r));
  for (const [k, r] of h) if (!w.has(k)) lines.push(routeDelLine(r));
  return lines;
}

const inVpcRange = (table: string): boolean => Number(table) >= VPC_TABLE_BASE && Number(table) < VPC_TABLE_BASE + VPC_TABLE_SPAN;

/** syncVpcRoutes calls per VPC namespace, one after another: each reads the routes, merges and writes them. */
const vpcChains = new Map<string, Promise<unknown>>();

/**
 * The VPC namespace's routing-table routes: this gateway's next hops (`ours`, its members' private
 * IPs) made exactly `plan`, beside other gateways' next hops. Routes of one table, destination and
 * priority are one kernel route, so two gateways' routes to one destination at one priority are one
 * ECMP route over both (IBM spreads equal-priority routes alike), each gateway adding and removing
 * only its own hops. A routing table's `from <subnet>` rules follow the plan while this gateway
 * routes in it, and go when the table is left empty. Serialized per namespace within this process.
 */
export function syncVpcRoutes(vpcNs: string, plan: VpcRoutePlan, ours: readonly string[]): Promise<void> {
  const run = (vpcChains.get(vpcNs) ?? Promise.resolve()).then(() => syncVpcRoutesNow(vpcNs, plan, ours));
  const tail = run.catch(() => undefined);
  vpcChains.set(vpcNs, tail);
  void tail.then(() => {
    if (vpcChains.get(vpcNs) === tail) vpcChains.delete(vpcNs);
  });
  return run;
}

async function syncVpcRoutesNow(vpcNs: string, plan: VpcRoutePlan, ours: readonly string[]): Promise<void> {
  const mine = new Set(ours);
  const all = (await ourRoutes(vpcNs, 'all')).filter((r) => r.table !== undefined && inVpcRange(r.table));
  const current = all.map((r): KernelRoute => {
    const type = typeOf(r);
    return { table: Number(r.table), destination: norm(r.dst), metric: r.metric ?? 0, via: type ? [] : viaOf(r), ...(type ? { type } : {}) };
  });
  const key = (r: KernelRoute): string => routeKey(r.table, r.destination, r.metric);
  const have = new Map(current.map((r) => [key(r), r]));
  const want = new Map(plan.routes.map((r) => [key(r), r]));
  const lines: string[] = [];
  const kept: KernelRoute[] = [];
  for (const k of new Set([...have.keys(), ...want.keys()])) {
    const cur = have.get(k);
    const wanted = want.get(k);
    // Drop and delegate routes: every route gateway's plan has them all, so a plan that speaks for them
    // is the whole truth (a teardown's does not: the others still hold them).
    if (wanted?.type && !plan.leaveTyped) {
      kept.push(wanted);
      if (cur?.type !== wanted.type) lines.push(routeLine(wanted));
      continue;
    }
    if (cur?.type && (plan.leaveTyped || !wanted)) {
      if (plan.leaveTyped) kept.push(cur);
      else lines.push(routeDelLine(cur));
      continue;
    }
    // Unicast: this gateway's hops made the plan's, beside the others' (a typed route gives way to it).
    const base = (wanted ?? cur)!;
    const via = [...new Set([...(cur?.via.filter((v) => !mine.has(v)) ?? []), ...(wanted?.via ?? [])])].sort();
    if (via.length === 0) {
      if (cur) lines.push(routeDelLine(cur));
      continue;
    }
    // `base` is unicast here (every typed case went above); a typed route of its key is replaced.
    kept.push({ ...base, via });
    if (cur?.type || cur?.via.join(',') !== via.join(',')) lines.push(routeLine({ ...base, via }));
  }

  const used = new Set(kept.map((r) => r.table));
  const planned = new Set(plan.routes.map((r) => r.table));
  const wantedRules = new Map(plan.rules.filter((r) => planned.has(r.table)).map((r) => [`${r.table}|${r.from}`, r]));
  const present = (await rules(vpcNs)).filter((r) => r.priority === VPC_TABLE_RULE_PRIORITY && inVpcRange(r.table));
  const presentKeys = new Set(present.map((r) => `${r.table}|${r.src}/${r.srclen ?? 32}`));
  for (const r of present) {
    const from = `${r.src}/${r.srclen ?? 32}`;
    const table = Number(r.table);
    const stale = !used.has(table) || (planned.has(table) && !wantedRules.has(`${table}|${from}`));
    if (stale) lines.push(`rule del pref ${VPC_TABLE_RULE_PRIORITY} from ${from} lookup ${table}`);
  }
  for (const [k, r] of wantedRules) if (!presentKeys.has(k)) lines.push(ruleLine(r));
  const main = (await rules(vpcNs)).some((r) => r.priority === VPC_MAIN_RULE_PRIORITY && r.table === 'main' && r.suppress_prefixlen === 0);
  if (!main && plan.routes.length > 0) lines.push(`rule add pref ${VPC_MAIN_RULE_PRIORITY} lookup main suppress_prefixlength 0 protocol ${ROUTE_PROTO}`);
  await ipBatch(lines, vpcNs);
}

function ruleLine(r: KernelRule): string {
  return `rule add pref ${VPC_TABLE_RULE_PRIORITY} from ${r.from} lookup ${r.table} protocol ${ROUTE_PROTO}`;
}
