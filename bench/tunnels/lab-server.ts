import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteNamespace } from '../../src/dataplane/lab/ip-command.js';
import { labDown } from '../../src/dataplane/lab/lab-teardown.js';
import { freePort } from '../api/server-launcher.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import { sampleMemory } from './heap-probe.js';
import { deleteNamespacesSync, labDownSync } from './sync-teardown.js';
import { waitForHealthz } from '../api/server-launcher.js';

/**
 * A causeway server with the lab data plane, as a child process on a temporary data directory (the
 * pattern of bench/api/server-launcher.ts, with the lab added). Stopping it is: the server (SIGTERM by
 * PID, SIGKILL after a grace period; its agent leaves charon running), then `labDown` on its lab
 * (charons by their recorded PIDs, the `cw-` namespaces), then the data directory.
 */
export interface LabServer {
  readonly origin: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly labRoot: string;
  readonly internetNs: string;
  readonly adminApiKey: string;
  /** The server's memory after a full GC (through its inspector); VmRSS alone if that fails. */
  memory(): Promise<ServerMemory | undefined>;
  /** Stops everything it made. Idempotent. */
  stop(): Promise<void>;
}

const SERVER_BIN = fileURLToPath(new URL('../../../bin/causeway', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const STARTUP_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 10_000;

/** VmRSS of a process in KiB, from /proc/<pid>/status. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface ServerMemory {
  /** V8 heap in use after a full GC; undefined when only VmRSS could be read. */
  readonly heapUsedKiB: number | undefined;
  readonly rssKiB: number;
}

export async function launchLabServer(
  cleanup: CleanupRegistry,
  /** `dataplane: 'none'`: the same server with no data plane (no agent, no namespaces): the API's own cost. */
  opts: { internetNs: string; env: Record<string, string>; dataplane?: 'lab' | 'none' },
): Promise<LabServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'causeway-bench-tunnels-'));
  const labRoot = join(dataDir, 'lab');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // The inspector (loopback, a port of its own) lets the benchmark force a GC before reading memory.
  const inspectPort = await freePort();
  const nodeOptions = `${process.env['NODE_OPTIONS'] ?? ''} --inspect=127.0.0.1:${inspectPort}`.trim();
  // BENCH_TUNNELS_CPU_PROF=<dir>: the server runs under node --cpu-prof, its profile written there when it stops.
  const profDir = process.env['BENCH_TUNNELS_CPU_PROF'];
  const child = spawn(
    profDir ? process.execPath : SERVER_BIN,
    [
      ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, SERVER_MAIN] : []),
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--log-level',
      'warn',
      '--dataplane',
      opts.dataplane ?? 'lab',
      '--lab-internet',
      opts.internetNs,
    ],
    { env: { ...process.env, ...opts.env, NODE_OPTIONS: nodeOptions }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid === undefined) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error('could not start the server child process');
  }
  const pid = child.pid;
  let tail = '';
  // BENCH_TUNNELS_SERVER_LOG=<file>: the server's whole output there too (its warnings: failed reconciles).
  const logFile = process.env['BENCH_TUNNELS_SERVER_LOG'];
  const keepTail = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const stopServer = async (): Promise<void> => {
    if (exited) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    if (!(await Promise.race([exitedPromise.then(() => true), sleep(STOP_GRACE_MS).then(() => false)])) && !exited) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await Promise.race([exitedPromise, sleep(STOP_GRACE_MS)]);
    }
  };
  const stop = cleanup.add(
    `the API lab (server ${pid}, ${dataDir})`,
    async () => {
      await stopServer();
      await labDown(labRoot); // before the data directory (and the lab's records) goes
      await deleteNamespace(opts.internetNs); // in case no gateway record named it yet
      rmSync(dataDir, { recursive: true, force: true });
    },
    () => {
      if (!exited) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      labDownSync(labRoot);
      deleteNamespacesSync([opts.internetNs]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  );

  try {
    await waitForHealthz(
      origin,
      () => (exited ? `the server exited during start-up (code ${child.exitCode}):\n${tail}` : undefined),
      STARTUP_TIMEOUT_MS,
      () => tail,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const adminApiKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
  const memory = async (): Promise<ServerMemory | undefined> => {
    try {
      return await sampleMemory(inspectPort);
    } catch {
      const rss = rssKiB(pid);
      return rss === undefined ? undefined : { heapUsedKiB: undefined, rssKiB: rss };
    }
  };
  return { origin, pid, dataDir, labRoot, internetNs: opts.internetNs, adminApiKey, memory, stop };
}

const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;

/** Server memory (the agent runs inside it) before and after the connections, and the growth per 100 connections. */
export function memoryLine(before: ServerMemory | undefined, after: ServerMemory | undefined, connections: number): string {
  if (!before || !after) return 'agent memory: could not be read';
  const per100 = (a: number, b: number): string => `${(((b - a) * 100) / connections / 1024).toFixed(2)} MiB per 100 connections`;
  const rss = `VmRSS ${mib(before.rssKiB)} -> ${mib(after.rssKiB)} (${per100(before.rssKiB, after.rssKiB)})`;
  if (before.heapUsedKiB === undefined || after.heapUsedKiB === undefined) return `agent memory (server process, no forced GC): ${rss}`;
  return `agent memory (server process after a full GC; 2 gateways and no connection -> ${connections} connections up): JS heap ${mib(before.heapUsedKiB)} -> ${mib(after.heapUsedKiB)} (${per100(before.heapUsedKiB, after.heapUsedKiB)}); ${rss}`;
}
