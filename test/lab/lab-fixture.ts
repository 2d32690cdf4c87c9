import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { LocalBackend } from '../../src/agent/local-backend.js';
import { LabAgent } from '../../src/agent/lab-agent.js';
import { vpcNs } from '../../src/dataplane/lab/lab-names.js';
import { tunnelRecordName } from '../../src/dataplane/lab/tunnel-network.js';
import { labDown } from '../../src/dataplane/lab/lab-teardown.js';
import { ViciClient, type ViciNamedSection } from '../../src/dataplane/vici/index.js';
import { parseCidr } from '../../src/domain/cidr.js';
import { startTestServer, type TestServer } from '../harness.js';
import { pingAnswered } from './ping-echoes.js';

/**
 * Shared pieces of the lab end-to-end tests (real charon in namespaces). Same pattern as
 * two-vpcs.test.ts: one lab internet per test file, and on the way out the agent stops, then
 * `labDown` removes exactly what this lab made (charons by PID, `cw-` namespaces), then the server
 * and its data directory go.
 */

/** Runs where namespaces can be made: as root, and always in CI (where a missing root fails loudly). */
export const labRuns = process.getuid?.() === 0 || !!process.env['CI'];

/** The lab internet of a test file: its tag and the worker's PID keep it apart from every other. */
export const labInternet = (tag: string): string => `cw-inet-${tag}${process.pid}`;

const BIN = resolve('bin/causeway');

/** `bin/causeway ARGS` (`lab site create`, `lab site connect`, …) on the test server's data directory and the lab internet of `tag`; its stdout. */
export async function labCli(t: TestServer, tag: string, args: readonly string[]): Promise<string> {
  const env = { ...process.env, CAUSEWAY_LAB_INTERNET: labInternet(tag) };
  return (await promisify(execFile)(BIN, [...args, '--data-dir', t.dataDir], { timeout: 60_000, env })).stdout;
}

/** A lab server on the test file's own lab internet; quotas raised for many gateways. */
export function startLab(tag: string, flags: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    dataplane: 'lab',
    labInternet: labInternet(tag),
    'quota.gatewaysPerZone': '20',
    'quota.gatewaysPerAccount': '20',
    'quota.vpcs': '20',
    ...flags,
  });
}

/** Stops the agent, removes the lab, closes the server (in that order). Safe on a half-started lab. LAB_DEBUG=<file> keeps the charon logs. */
export async function stopLab(t: TestServer | undefined): Promise<void> {
  if (!t) return;
  // Stopped, and done with the reconcile in flight: one still running (a standby sync, a charon restart)
  // would start a charon after `labDown` and outlive the test.
  const agents = [...(t.server.agent ? [t.server.agent] : []), ...(extraAgents.get(t) ?? [])];
  for (const agent of agents) agent.stop();
  await Promise.race([Promise.all(agents.map((a) => a.idle())), new Promise((r) => setTimeout(r, 60_000))]);
  const debug = process.env['LAB_DEBUG'];
  if (debug && existsSync(join(t.dataDir, 'lab'))) {
    const root = join(t.dataDir, 'lab');
    // Sites keep their charon in their own directory, gateways one per member (member-1, member-2).
    for (const d of readdirSync(root))
      for (const sub of ['', 'member-1', 'member-2']) {
        const f = join(root, d, sub, 'charon.log');
        if (existsSync(f)) appendFileSync(debug, `==== ${join(d, sub)}\n${readFileSync(f, 'utf8')}\n`);
      }
  }
  await labDown(join(t.dataDir, 'lab'));
  await t.close();
}

const extraAgents = new WeakMap<TestServer, LabAgent[]>();

/**
 * A new agent for the server, built the way src/cli/server.ts builds it (stop the old one first):
 * it adopts the running charons. `stopLab` stops it too.
 */
export async function startAgent(t: TestServer, labInternet: string): Promise<LabAgent> {
  const { control } = t.server;
  const sites = parseCidr('203.0.113.0/24');
  if (!sites.ok) throw new Error('site pool');
  const agent = new LabAgent({
    backend: new LocalBackend(control),
    labRoot: join(t.dataDir, 'lab'),
    lab: { pools: { gateways: control.settings.publicPool, sites: sites.cidr }, internetNs: labInternet },
  });
  extraAgents.set(t, [...(extraAgents.get(t) ?? []), agent]);
  await agent.start();
  return agent;
}

/** A gateway on a VPC of its own whose one subnet is `cidr` (the VPC's router is the first host). */
export interface LabGateway {
  readonly id: string;
  readonly vpc: string;
  readonly ip: string;
  readonly cidr: string;
  readonly router: string;
}

export async function vpcGateway(t: TestServer, cidr: string, name: string): Promise<LabGateway> {
  const vpc = (await t.call('POST', '/v1/vpcs', { body: { name: `vpc-${name}` } })).json();
  const sn = (await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc.id }, name: `sn-${name}`, ipv4_cidr_block: cidr } })).json();
  const r = await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: sn.id }, mode: 'policy', name: `gw-${name}` } });
  if (r.statusCode !== 201) throw new Error(`gateway ${name}: ${r.body}`);
  const g = r.json();
  return { id: g.id, vpc: vpc.id, ip: g.members[0].public_ip.address, cidr, router: cidr.replace(/0\/\d+$/, '1') };
}

/** Polls until the gateway is `stable`: the agent has built its namespaces and charons. */
export async function waitGatewayStable(t: TestServer, gw: { readonly id: string }, timeout = 30_000): Promise<void> {
  await expect.poll(async () => (await t.call('GET', `/v1/vpn_gateways/${gw.id}`)).json().lifecycle_state, { timeout, interval: 250 }).toBe('stable');
}

export interface Connection {
  readonly id: string;
  readonly gw: LabGateway;
}

/** A policy connection from `from` toward `to` (mirroring CIDRs unless `extra` says otherwise). */
export async function connect(t: TestServer, from: LabGateway, to: LabGateway, extra: Record<string, unknown> = {}): Promise<Connection> {
  const r = await t.call('POST', `/v1/vpn_gateways/${from.id}/connections`, {
    body: { name: `to-${to.id.slice(0, 8)}`, psk: 'lab-secret-123', local: { cidrs: [from.cidr] }, peer: { address: to.ip, cidrs: [to.cidr] }, ...extra },
  });
  if (r.statusCode !== 201) throw new Error(`connection ${from.cidr} → ${to.cidr}: ${r.body}`);
  return { id: r.json().id, gw: from };
}

/** A connection on each side, each mirroring the other. */
export async function connectPair(t: TestServer, a: LabGateway, b: LabGateway, extra: Record<string, unknown> = {}): Promise<[Connection, Connection]> {
  return [await connect(t, a, b, extra), await connect(t, b, a, extra)];
}

export async function getConnection(
  t: TestServer,
  c: Connection,
): Promise<{ status: string; status_reasons: { code: string; message: string }[]; admin_state_up: boolean }> {
  return (await t.call('GET', `/v1/vpn_gateways/${c.gw.id}/connections/${c.id}`)).json();
}

export async function patchConnection(t: TestServer, c: Connection, body: Record<string, unknown>): Promise<void> {
  const r = await t.call('PATCH', `/v1/vpn_gateways/${c.gw.id}/connections/${c.id}`, { body, headers: { 'content-type': 'application/merge-patch+json' } });
  if (r.statusCode !== 200) throw new Error(`patch ${c.id}: ${r.body}`);
}

/** Polls the connection's status until it is `status`; returns how long that took. */
export async function waitStatus(t: TestServer, c: Connection, status: 'up' | 'down', timeout = 20_000): Promise<number> {
  const t0 = Date.now();
  await expect.poll(async () => (await getConnection(t, c)).status, { timeout, interval: 100 }).toBe(status);
  return Date.now() - t0;
}

/** Polls until the connection is down with a reason of `code`. */
export async function waitReason(t: TestServer, c: Connection, code: string, timeout = 20_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const x = await getConnection(t, c);
        return `${x.status} ${x.status_reasons.map((r) => r.code).join(',')}`;
      },
      { timeout, interval: 200 },
    )
    .toMatch(new RegExp(`^down .*\\b${code}\\b`));
}

/** A ping from `from`'s VPC to the router address of `to`'s VPC: `count` replies expected. */
export async function ping(from: LabGateway, to: LabGateway, count = 3): Promise<void> {
  await pingAnswered(vpcNs(from.vpc), to.router, { count });
}

/**
 * A member's charon directory (charon.pid, charon.vici, charon.log): by default the active member's
 * (the agent records which in the gateway's `active.json`; member 1 until a failover).
 */
export function gatewayDir(t: TestServer, gw: LabGateway, member?: 1 | 2): string {
  const root = join(t.dataDir, 'lab', `gateway-${gw.id}`);
  let active = member ?? 1;
  if (member === undefined)
    try {
      active = (JSON.parse(readFileSync(join(root, 'active.json'), 'utf8')) as { active: 1 | 2 }).active;
    } catch {
      /* no failover yet */
    }
  return join(root, `member-${active}`);
}

/** The charon directory of a route connection's tunnel namespace on member `m` (route mode). */
export function tunnelDir(t: TestServer, connectionId: string, m: 1 | 2): string {
  return join(t.dataDir, 'lab', `tunnel-${tunnelRecordName(connectionId, m)}`);
}

export function charonPid(t: TestServer, gw: LabGateway, member?: 1 | 2): number {
  return Number(readFileSync(join(gatewayDir(t, gw, member), 'charon.pid'), 'utf8').trim());
}

/** Runs `fn` with a VICI client of the gateway's charon (its own socket). */
async function withVici<T>(t: TestServer, gw: LabGateway, fn: (vici: ViciClient) => Promise<T>): Promise<T> {
  const vici = new ViciClient({ socketPath: join(gatewayDir(t, gw), 'charon.vici') });
  try {
    await vici.connect(5_000);
    return await fn(vici);
  } finally {
    vici.close();
  }
}

/** What the gateway's charon lists (`list-sas`). */
export const listSas = (t: TestServer, gw: LabGateway): Promise<ViciNamedSection[]> => withVici(t, gw, (v) => v.listSas({ noblock: true }));

/** One event of a connection's timeline, as the API shows it. */
export type ConnectionEvent = { id: string; created_at: string; type: string; message: string; cause?: string; details?: Record<string, unknown> };

/** The connection's events (its last 100), oldest first (the API pages newest first). */
export async function timeline(t: TestServer, c: Connection): Promise<ConnectionEvent[]> {
  const r = await t.call('GET', `/v1/vpn_gateways/${c.gw.id}/connections/${c.id}/events?limit=100`);
  if (r.statusCode !== 200) throw new Error(`events of ${c.id}: ${r.statusCode} ${r.body}`);
  return (r.json() as { events: ConnectionEvent[] }).events.reverse();
}

/** The conns the gateway's charon has loaded (`list-conns`). */
export const listConns = (t: TestServer, gw: LabGateway): Promise<ViciNamedSection[]> => withVici(t, gw, (v) => v.listConns());

type ChildSa = Record<string, string>;
const childrenOf = (sa: ViciNamedSection): ChildSa[] => Object.values((sa.value['child-sas'] ?? {}) as Record<string, ChildSa>);

/** The first CHILD of a policy connection in charon (IKEv2: the only one). */
export const childOf = (c: Connection, n = 1): string => `cw-${c.id}-${n}`;

/** The IKE_SA that carries the connection's installed CHILD_SA (with that CHILD_SA), if any. */
export async function saOf(t: TestServer, c: Connection): Promise<{ ike: Record<string, unknown>; child: ChildSa } | undefined> {
  for (const sa of await listSas(t, c.gw)) {
    const child = childrenOf(sa).find((x) => x['name'] === childOf(c) && x['state'] === 'INSTALLED');
    if (child) return { ike: sa.value, child };
  }
  return undefined;
}

/** CHILD name → `<IKE_SA uniqueid>/<CHILD_SA uniqueid>:<state>` of every CHILD_SA by that name (sorted). */
export type ChildSaIds = Map<string, string[]>;

export async function childSaIds(t: TestServer, gw: LabGateway): Promise<ChildSaIds> {
  const out: ChildSaIds = new Map();
  for (const sa of await listSas(t, gw)) {
    for (const c of childrenOf(sa))
      out.set(c['name']!, [...(out.get(c['name']!) ?? []), `${sa.value['uniqueid'] as string}/${c['uniqueid']}:${c['state']}`].sort());
  }
  return out;
}
