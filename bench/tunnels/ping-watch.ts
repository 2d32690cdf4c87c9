import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CleanupRegistry } from './cleanup-registry.js';

/** One tunnel's probe: from `src` (an address `ns` holds) to `dst` on the far side. */
export interface PingTarget {
  readonly ns: string;
  readonly src: string;
  readonly dst: string;
}

export interface PingWatch {
  /** Resolves once every pinger runs ping (at most 10 s): start the clock after this. */
  readonly ready: Promise<void>;
  /** Resolves with the time (ms since the epoch) of each target's first echo reply, in target order. */
  readonly replies: Promise<number[]>;
  /** Targets still without a reply. */
  pending(): number;
  /**
   * The echo requests sent from `ready` to the last first reply, counted by the kernel of each target's
   * namespace (its ICMP OutEchos): the probe's own size. Undefined before the last reply, or when unread.
   */
  echoRequests(): number | undefined;
  /** Lets a held target's pinger send (SIGCONT); a target not held, or released already, is left as it is. */
  release(index: number): void;
  /** Stops every pinger (by PID). Idempotent. */
  stop(): void;
}

export interface PingWatchOptions {
  /** Wait before a pinger that exited without a reply is started again, ms. */
  readonly respawnMs?: number;
  /**
   * Each pinger is started, then stopped (SIGSTOP) until `release(i)`: a tunnel is probed from the
   * moment it can exist (its connections created), with no process start in the timed window.
   */
  readonly held?: boolean;
}

const INTERVAL_S = '0.02';
const RESPAWN_MS = 200;

/** ICMP echo requests sent in the network namespace of `pid` (/proc/<pid>/net/snmp), or undefined. */
export function outEchos(pid: number): number | undefined {
  try {
    const lines = readFileSync(`/proc/${pid}/net/snmp`, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Icmp: '));
    const [names, values] = lines.map((l) => l.split(' '));
    const v = Number(values?.[names?.indexOf('OutEchos') ?? -1]);
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * One continuous `ping` per target, each started inside its namespace and stopped at its first
 * reply: a tunnel "passes" at that moment. Pinging continuously (every 20 ms) instead of polling
 * keeps the probe's timing error small; both runs of the benchmark use it alike. Its cost is not
 * small: at N=200 the 200 ping processes took about a fifth of this machine's 2 cores while tunnels
 * were pending (perf: mostly their own recvmsg and sendto calls, and their exits), though they sent
 * only some 3,000 echo requests a second. So a caller that makes its tunnels one by one holds each
 * pinger until that tunnel can exist (`held`): a stopped ping costs nothing. A pinger that exits early
 * ("network unreachable" before a route exists) is started again, and stays held if its target is.
 */
export function watchPings(targets: readonly PingTarget[], cleanup: CleanupRegistry, timeoutMs: number, opts: PingWatchOptions = {}): PingWatch {
  const respawnMs = opts.respawnMs ?? RESPAWN_MS;
  const live = new Set<ChildProcess>();
  const at: (number | undefined)[] = targets.map(() => undefined);
  /** Per target: its pinger now, and whether it may send. */
  const pinger: (ChildProcess | undefined)[] = targets.map(() => undefined);
  const released: boolean[] = targets.map(() => !opts.held);
  const holding = new Set<Promise<void>>();
  /** Per namespace: its echo requests when the probe was ready, and when the last reply came. */
  const echoes = new Map<string, { at0?: number; at1?: number }>();
  const readEchoes = (key: 'at0' | 'at1'): void => {
    targets.forEach((t, i) => {
      const pid = pinger[i]?.pid;
      const e = echoes.get(t.ns) ?? {};
      if (pid !== undefined && e[key] === undefined) e[key] = outEchos(pid);
      echoes.set(t.ns, e);
    });
  };
  let stopped = false;
  let settle: { ok: (v: number[]) => void; fail: (e: Error) => void } | undefined;
  const replies = new Promise<number[]>((ok, fail) => {
    settle = { ok, fail };
  });
  replies.catch(() => undefined); // a rejection nobody waits for (the run already failed) must not crash the process

  const killAll = (): void => {
    for (const c of live) {
      if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    live.clear();
  };
  const stop = (): void => {
    stopped = true;
    clearTimeout(timer);
    killAll();
  };
  const unregister = cleanup.add('pingers', async () => stop(), killAll);

  const start = (i: number): void => {
    if (stopped || at[i] !== undefined) return;
    const t = targets[i]!;
    const child = spawn('ip', ['netns', 'exec', t.ns, 'ping', '-n', '-i', INTERVAL_S, '-W', '1', '-I', t.src, t.dst], { stdio: ['ignore', 'pipe', 'ignore'] });
    live.add(child);
    pinger[i] = child;
    if (!released[i]) hold(i, child);
    child.stdout.on('data', (chunk: Buffer) => {
      if (at[i] !== undefined || !/bytes from/.test(chunk.toString('utf8'))) return;
      at[i] = Date.now();
      if (at.every((x) => x !== undefined)) readEchoes('at1'); // this pinger still runs: its namespace can be read
      child.kill('SIGKILL');
      if (at.every((x) => x !== undefined)) {
        stop();
        void unregister();
        settle?.ok(at);
      }
    });
    child.once('exit', () => {
      live.delete(child);
      if (!stopped && at[i] === undefined) setTimeout(() => start(i), respawnMs).unref();
    });
  };

  /** SIGSTOP once the pinger runs ping (`ip netns exec` execs it in the same process), unless released meanwhile. */
  const hold = (i: number, child: ChildProcess): void => {
    const p = (async () => {
      const until = Date.now() + 10_000;
      while (!stopped && !released[i] && child.exitCode === null && child.signalCode === null && Date.now() < until) {
        if (child.pid !== undefined && comm(child.pid) === 'ping') {
          child.kill('SIGSTOP');
          return;
        }
        await sleep(5);
      }
    })();
    holding.add(p);
    void p.finally(() => holding.delete(p));
  };
  const release = (i: number): void => {
    if (released[i]) return;
    released[i] = true;
    const c = pinger[i];
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGCONT');
  };

  const timer = setTimeout(() => {
    const missing = targets.flatMap((t, i) => (at[i] === undefined ? [`${t.src} -> ${t.dst}`] : []));
    stop();
    void unregister();
    settle?.fail(
      new Error(
        `no echo reply within ${timeoutMs / 1000} s for ${missing.length} of ${targets.length} tunnels (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''})`,
      ),
    );
  }, timeoutMs);
  targets.forEach((_, i) => start(i));
  // `ip netns exec` execs ping in the same process: ready once every pinger's PID runs ping.
  const ready = (async () => {
    const until = Date.now() + 10_000;
    while (!stopped && Date.now() < until && ![...live].every((c) => c.pid !== undefined && comm(c.pid) === 'ping')) await sleep(5);
    while (holding.size > 0) await Promise.all([...holding]);
    readEchoes('at0');
  })();
  const echoRequests = (): number | undefined => {
    const all = [...echoes.values()];
    return all.length > 0 && all.every((e) => e.at0 !== undefined && e.at1 !== undefined) ? all.reduce((n, e) => n + e.at1! - e.at0!, 0) : undefined;
  };
  return { ready, replies, pending: () => at.filter((x) => x === undefined).length, echoRequests, release, stop };
}
