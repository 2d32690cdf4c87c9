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
  /** Stops every pinger (by PID). Idempotent. */
  stop(): void;
}

const INTERVAL_S = '0.02';
const RESPAWN_MS = 200;

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
 * keeps the probe's own cost and its timing error small; both runs of the benchmark use it alike.
 * A pinger that exits early (e.g. "network unreachable" before a route exists) is started again.
 */
export function watchPings(targets: readonly PingTarget[], cleanup: CleanupRegistry, timeoutMs: number, respawnMs = RESPAWN_MS): PingWatch {
  const live = new Set<ChildProcess>();
  const at: (number | undefined)[] = targets.map(() => undefined);
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
    child.stdout.on('data', (chunk: Buffer) => {
      if (at[i] !== undefined || !/bytes from/.test(chunk.toString('utf8'))) return;
      at[i] = Date.now();
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
  })();
  return { ready, replies, pending: () => at.filter((x) => x === undefined).length, stop };
}
