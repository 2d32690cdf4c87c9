import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** A causeway server running as a child process on a fresh temporary data dir. */
export interface BenchServer {
  readonly origin: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  readonly adminApiKey: string;
  /** CPU time (user + system) the server process has used so far, in ms; undefined where /proc is unavailable. */
  cpuMs(): number | undefined;
  /** Stops the child (SIGTERM by PID, SIGKILL after a grace period) and removes the data dir. Idempotent. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** Extra environment for the child (quotas and the like). */
  readonly env: Record<string, string>;
  /** When set, the child runs with --cpu-prof and writes its profile into this directory. */
  readonly cpuProfDir?: string;
}

// The real entry point (bin/causeway execs node, so the child PID is the server's own).
const SERVER_BIN = fileURLToPath(new URL('../../../bin/causeway', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

/** A free TCP port on the loopback interface (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** Linux clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream kernel). */
const CLOCK_TICKS = 100;

/** utime + stime of a process from /proc, in milliseconds. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

export async function launchServer(opts: LaunchOptions): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'causeway-bench-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const args = ['serve', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'];
  // Node refuses --cpu-prof in NODE_OPTIONS: a profiled server runs node itself, with bin/causeway's flags.
  const [command, argv] = opts.cpuProfDir
    ? ['node', ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`, '--max-semi-space-size=32', SERVER_MAIN, ...args]]
    : [SERVER_BIN, args];
  const child: ChildProcess = spawn(command, argv, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error('could not start the server child process');
  }
  const pid = child.pid;
  let stderrTail = '';
  const keepTail = (chunk: Buffer): void => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  let exited = child.exitCode !== null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  // Backstop: never leave the child running if this process ends abruptly.
  const killOnExit = (): void => {
    if (!exited) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  // Interrupted (Ctrl-C, kill): stop the child and clean up before leaving; 'exit' alone does not run on signals.
  const onSignal = (signal: NodeJS.Signals): void => {
    killOnExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const graceful = await Promise.race([exitedPromise.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      if (!graceful && !exited) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await Promise.race([exitedPromise, sleep(STOP_GRACE_MS)]);
      }
    }
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealthz(
      origin,
      () => (exited ? `the server exited during start-up (code ${child.exitCode}):\n${stderrTail}` : undefined),
      STARTUP_TIMEOUT_MS,
      () => stderrTail,
    );
    const adminApiKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    return { origin, port, pid, dataDir, adminApiKey, stop, cpuMs: () => processCpuMs(pid) };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Waits until a freshly started server answers /healthz. `failed` returns a message once the child
 * has died; `tail` is its recent stderr for the time-out message.
 */
export async function waitForHealthz(origin: string, failed: () => string | undefined, timeoutMs: number, tail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = failed();
    if (dead) throw new Error(dead);
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within ${timeoutMs} ms:\n${tail()}`);
    try {
      const r = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
}
