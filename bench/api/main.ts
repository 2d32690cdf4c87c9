/**
 * API benchmark: starts a real causeway server (child process, SQLite store, temporary data dir) and
 * times create / get / list of IKE policies (also created through the Neutron dialect), IPsec policies and connections, first from one client,
 * then from many concurrent clients. Prints a table and PASS/FAIL against the targets.
 *
 * Exit code: 0 when every request succeeded (even if a target is missed; this is a report),
 * 1 when any request failed (non-2xx or network error), 2 when the benchmark itself could not run.
 *
 * Knobs (environment): BENCH_CREATES (2000), BENCH_CONNECTION_CREATES (= BENCH_CREATES), BENCH_GETS (2000),
 * BENCH_LISTS (500), BENCH_CLIENTS (32), BENCH_WARMUP (100 per operation), BENCH_OP_BUDGET_S (30: no new
 * request of one operation/mode starts after this many seconds, so a slow server cannot stretch the run),
 * BENCH_CPU_PROF=<dir> (run the server with --cpu-prof, profile written into <dir> when it stops).
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { cloudcaCreate, type DialectCreate, huaweiCreate } from './dialect-creates.js';
import { ApiClient, ErrorLog, percentile, runOp, type OpSpec } from './load-runner.js';
import { resultsTable, targetChecks, TARGETS, type ReportRow } from './results-table.js';
import { launchServer, type BenchServer } from './server-launcher.js';

function knob(name: string, fallback: number, min = 0, max = 1_000_000): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}: '${raw}' is not a whole number from ${min} to ${max}`);
  return n;
}

const CREATES = knob('BENCH_CREATES', 2000, 1, 100_000);
const CONNECTION_CREATES = knob('BENCH_CONNECTION_CREATES', CREATES, 1, 100_000);
const GETS = knob('BENCH_GETS', 2000, 1, 1_000_000);
const LISTS = knob('BENCH_LISTS', 500, 1, 1_000_000);
const CLIENTS = knob('BENCH_CLIENTS', 32, 2, 1024);
const WARMUP = knob('BENCH_WARMUP', 100, 0, 100_000);
const BUDGET_MS = knob('BENCH_OP_BUDGET_S', 30, 1, 3600) * 1000;
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
const LIST_LIMIT = 50;
const NATIVE_CREATE = 'create connection';

const QUOTA_ENV: Record<string, string> = {
  CAUSEWAY_QUOTA_IKE_POLICIES: '1000000',
  CAUSEWAY_QUOTA_IPSEC_POLICIES: '1000000',
  CAUSEWAY_QUOTA_CONNECTIONS_PER_GATEWAY: '1000000',
  CAUSEWAY_QUOTA_CIDRS_PER_GATEWAY: '1000000000',
};

const ikeBody = (name: string) => ({
  name,
  ike_version: 2,
  authentication_algorithm: 'sha256',
  encryption_algorithm: 'aes256',
  dh_group: 14,
  key_lifetime: 28800,
});
const ipsecBody = (name: string) => ({ name, authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', pfs: 'group_14', key_lifetime: 3600 });
const connectionBody = (name: string) => ({
  name,
  psk: 'lkj14b1oi0alcniejkso',
  local: { cidrs: ['10.240.0.0/24'] },
  peer: { address: '203.0.113.9', cidrs: ['192.168.1.0/24'] },
});

/** The same IKE policy through the Neutron dialect (the bearer token works there too). */
const neutronIkeBody = (name: string) => ({
  ikepolicy: {
    name,
    ike_version: 'v2',
    auth_algorithm: 'sha256',
    encryption_algorithm: 'aes-256',
    pfs: 'group14',
    lifetime: { units: 'seconds', value: 28800 },
  },
});
const neutronIdOf = (text: string): string => {
  const id = (JSON.parse(text) as { ikepolicy?: { id?: unknown } }).ikepolicy?.id;
  if (typeof id !== 'string') throw new Error(`a Neutron create answer without an id: ${text.slice(0, 200)}`);
  return id;
};

const idOf = (text: string): string => {
  const id = (JSON.parse(text) as { id?: unknown }).id;
  if (typeof id !== 'string') throw new Error(`a create answer without an id: ${text.slice(0, 200)}`);
  return id;
};

async function token(server: BenchServer): Promise<string> {
  const r = await fetch(`${server.origin}/identity/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: server.adminApiKey }).toString(),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`POST /identity/token answered ${r.status}: ${text.slice(0, 300)}`);
  const t = (JSON.parse(text) as { access_token?: unknown }).access_token;
  if (typeof t !== 'string') throw new Error('POST /identity/token: no access_token in the answer');
  return t;
}

/** VPC → subnet → policy-mode gateway; returns their ids. */
async function makeGateway(api: ApiClient): Promise<{ vpc: string; subnet: string; gw: string }> {
  const must = async (what: string, path: string, body: unknown): Promise<string> => {
    const r = await api.send({ method: 'POST', path, body });
    if (r.status < 200 || r.status > 299) throw new Error(`set-up: creating the ${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
    return idOf(r.text);
  };
  const vpc = await must('VPC', '/vpcs', {});
  const subnet = await must('subnet', '/subnets', { vpc: { id: vpc }, ipv4_cidr_block: '10.240.0.0/24' });
  return { vpc, subnet, gw: await must('VPN gateway', '/vpn_gateways', { subnet: { id: subnet }, mode: 'policy', name: 'bench-gateway' }) };
}

interface Pools {
  readonly ike: string[];
  readonly ipsec: string[];
  readonly connections: string[];
}

/** The ten operations for one mode; creates feed the id pools that gets draw from. */
function operations(
  tag: string,
  clients: number,
  gw: string,
  ids: Pools,
  counts: { creates: number; connectionCreates: number; gets: number; lists: number },
  dialects: readonly DialectCreate[],
  budgetMs = BUDGET_MS,
): OpSpec[] {
  const pick = (pool: string[], i: number): string => pool[(i * 7919) % pool.length] as string;
  const specs: Omit<OpSpec, 'budgetMs'>[] = [
    {
      op: 'create ike_policy',
      count: counts.creates,
      clients,
      call: (i) => ({ method: 'POST', path: '/ike_policies', body: ikeBody(`${tag}-ike-${i}`) }),
      onOk: (_i, t) => void ids.ike.push(idOf(t)),
    },
    {
      op: 'create ike (neutron)',
      count: counts.creates,
      clients,
      call: (i) => ({ method: 'POST', path: '/v2.0/vpn/ikepolicies', absolute: true, body: neutronIkeBody(`${tag}-nike-${i}`) }),
      onOk: (_i, t) => void ids.ike.push(neutronIdOf(t)),
    },
    {
      op: 'create ipsec_policy',
      count: counts.creates,
      clients,
      call: (i) => ({ method: 'POST', path: '/ipsec_policies', body: ipsecBody(`${tag}-ipsec-${i}`) }),
      onOk: (_i, t) => void ids.ipsec.push(idOf(t)),
    },
    {
      op: 'create connection',
      count: counts.connectionCreates,
      clients,
      call: (i) => ({ method: 'POST', path: `/vpn_gateways/${gw}/connections`, body: connectionBody(`${tag}-conn-${i}`) }),
      onOk: (_i, t) => void ids.connections.push(idOf(t)),
    },
    ...dialects.map((d) => ({ op: d.op, count: counts.connectionCreates, clients, call: (i: number) => d.call(tag, i) })),
    // The same three creates interleaved (native, then each dialect, in turn): every kind meets the
    // same store and heap, so their ratio does not depend on which ran first.
    {
      op: 'create ×3 interleaved',
      count: counts.connectionCreates * (dialects.length + 1),
      clients,
      call: (i: number) => {
        const k = i % (dialects.length + 1);
        const n = Math.floor(i / (dialects.length + 1));
        return k === 0
          ? { method: 'POST', path: `/vpn_gateways/${gw}/connections`, body: connectionBody(`${tag}-mix-${n}`) }
          : dialects[k - 1]!.call(`${tag}-mix`, n);
      },
      partOf: (i: number) => (i % (dialects.length + 1) === 0 ? NATIVE_CREATE : dialects[(i % (dialects.length + 1)) - 1]!.op),
    },
    { op: 'get ike_policy', count: counts.gets, clients, call: (i) => ({ method: 'GET', path: `/ike_policies/${pick(ids.ike, i)}` }) },
    { op: 'get ipsec_policy', count: counts.gets, clients, call: (i) => ({ method: 'GET', path: `/ipsec_policies/${pick(ids.ipsec, i)}` }) },
    {
      op: 'get connection',
      count: counts.gets,
      clients,
      call: (i) => ({ method: 'GET', path: `/vpn_gateways/${gw}/connections/${pick(ids.connections, i)}` }),
    },
    { op: 'list ike_policies', count: counts.lists, clients, call: () => ({ method: 'GET', path: `/ike_policies?limit=${LIST_LIMIT}` }) },
    { op: 'list ipsec_policies', count: counts.lists, clients, call: () => ({ method: 'GET', path: `/ipsec_policies?limit=${LIST_LIMIT}` }) },
    { op: 'list connections', count: counts.lists, clients, call: () => ({ method: 'GET', path: `/vpn_gateways/${gw}/connections?limit=${LIST_LIMIT}` }) },
  ];
  return specs.map((s) => ({ ...s, budgetMs }));
}

async function main(): Promise<number> {
  const began = Date.now();
  console.log(
    `causeway API benchmark: SQLite store; per operation and mode ${CREATES} policy creates, ${CONNECTION_CREATES} connection creates, ${GETS} gets, ${LISTS} lists (limit ${LIST_LIMIT}); modes: 1 client, ${CLIENTS} clients; time budget ${BUDGET_MS / 1000} s per operation and mode`,
  );
  console.log(
    `client and server share this machine (${cpus().length} CPUs, node ${process.version}); all traffic to 127.0.0.1 over keep-alive HTTP/1.1 (undici Pool)`,
  );
  const server = await launchServer({ env: QUOTA_ENV, ...(CPU_PROF_DIR ? { cpuProfDir: CPU_PROF_DIR } : {}) });
  let api: ApiClient | undefined;
  try {
    console.log(`server: pid ${server.pid}, ${server.origin}, data dir ${server.dataDir}${CPU_PROF_DIR ? `, CPU profile into ${CPU_PROF_DIR}` : ''}`);
    api = new ApiClient(server.origin, await token(server), CLIENTS);
    const { vpc, subnet, gw } = await makeGateway(api);
    const dialects = [await huaweiCreate(api, vpc, subnet), cloudcaCreate(server.adminApiKey, vpc)];
    const ids: Pools = { ike: [], ipsec: [], connections: [] };
    const errors = new ErrorLog();

    if (WARMUP > 0) {
      process.stdout.write(`warm-up: ${WARMUP} requests per operation (not reported) ... `);
      const t0 = Date.now();
      for (const spec of operations('warm', 4, gw, ids, { creates: WARMUP, connectionCreates: WARMUP, gets: WARMUP, lists: WARMUP }, dialects))
        await runOp(api, spec, errors);
      console.log(`${Date.now() - t0} ms`);
    }

    const results: ReportRow[] = [];
    for (const [tag, clients] of [
      ['seq', 1],
      ['par', CLIENTS],
    ] as const) {
      for (const spec of operations(tag, clients, gw, ids, { creates: CREATES, connectionCreates: CONNECTION_CREATES, gets: GETS, lists: LISTS }, dialects)) {
        const server0 = server.cpuMs();
        const client0 = process.cpuUsage();
        const op = await runOp(api, spec, errors);
        const client1 = process.cpuUsage(client0);
        const server1 = server.cpuMs();
        const r: ReportRow = {
          ...op,
          serverCpuMs: server0 === undefined || server1 === undefined ? undefined : server1 - server0,
          clientCpuMs: (client1.user + client1.system) / 1000,
        };
        results.push(r);
        const capped = r.requests < r.planned ? ` (time budget reached: ${r.requests} of ${r.planned} planned)` : '';
        console.log(
          `  ${r.op.padEnd(20)} ${String(clients).padStart(3)} client(s): ${r.requests} requests in ${(r.elapsedMs / 1000).toFixed(2)} s${capped}${r.errors ? `, ${r.errors} ERRORS` : ''}`,
        );
      }
    }

    console.log('');
    console.log(resultsTable(results));
    if (results.some((r) => r.requests < r.planned))
      console.log(`* stopped at the ${BUDGET_MS / 1000} s time budget before all planned requests were sent (the server was too slow)`);
    console.log('');
    console.log(
      'server CPU / client CPU: share of one core used by that process during the operation (from /proc and process.cpuUsage; 100% = one core busy).',
    );
    console.log(
      `at the end the store held ${ids.ike.length} IKE policies, ${ids.ipsec.length} IPsec policies and ${ids.connections.length} connections on one gateway (created by this run)`,
    );
    console.log('');
    console.log('targets:');
    const checks = targetChecks(results, CLIENTS);
    const main = checks.filter((c) => !c.extra);
    const extra = checks.filter((c) => c.extra);
    for (const c of main) console.log(`  ${c.line}`);
    console.log(
      `  ${main.filter((c) => c.pass).length}/${main.length} targets met (create: p50 <= ${TARGETS.createP50SequentialMs} ms with 1 client, p99 < ${TARGETS.p99ConcurrentMs} ms with ${CLIENTS} clients)`,
    );
    console.log('also measured against the same p99 bar (not a stated target):');
    for (const c of extra) console.log(`  ${c.line}`);
    console.log(`  ${extra.filter((c) => c.pass).length}/${extra.length} gets and lists under ${TARGETS.p99ConcurrentMs} ms p99 with ${CLIENTS} clients`);

    console.log('');
    console.log("each dialect's connection create against the native one, interleaved in one operation (target: ratio <= 1.5):");
    for (const r of results.filter((x) => x.parts)) {
      const native = r.parts?.get(NATIVE_CREATE);
      for (const d of dialects) {
        const mine = r.parts?.get(d.op);
        if (!native || !mine) continue;
        for (const q of [50, 99]) {
          const ratio = percentile(mine, q) / percentile(native, q);
          console.log(
            `  ${ratio <= 1.5 ? 'PASS' : 'FAIL'}  ${d.op.padEnd(22)} p${q}, ${String(r.clients).padStart(2)} client(s): ${percentile(mine, q).toFixed(3)} ms vs native ${percentile(native, q).toFixed(3)} ms = ${ratio.toFixed(2)}x`,
          );
        }
      }
    }

    console.log('');
    if (errors.total > 0) {
      console.log(`REQUEST ERRORS: ${errors.total} request(s) failed (non-2xx or network error); by operation and status, with the first answer:`);
      for (const { sample: e, count } of errors.kinds())
        console.log(`  ${String(count).padStart(6)} x [${e.op}] ${e.status}, e.g. ${e.request} -> ${e.detail}`);
    } else {
      console.log('request errors: none (every request answered 2xx)');
    }
    console.log(`total time ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return errors.total > 0 ? 1 : 0;
  } finally {
    await api?.close().catch(() => undefined);
    await server.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`bench-api: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 2;
  },
);
