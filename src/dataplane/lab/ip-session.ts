import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { readFileSync } from 'node:fs';

/** Raised when lines of a batch failed (the others ran: the session runs with -force). */
export class IpBatchError extends Error {
  constructor(
    readonly ns: string,
    readonly lines: readonly string[],
    readonly output: string,
  ) {
    super(`ip -n ${ns} -batch (${lines.length} line(s), e.g. '${lines[0] ?? ''}'): ${output.trim() || 'failed'}`);
  }
}

/** `link show dev lo` answers with these two lines: the end of every batch. */
const SENTINEL = 'link show dev lo';
const SENTINEL_END = /^\s+link\/loopback /m;
const TIMEOUT_MS = 15_000;
/**
 * An idle session goes after this: its process holds the namespace open (a deleted namespace lives on
 * while it runs; deleteNamespace closes it first). Long enough that the first change after a quiet
 * spell finds it running: a new process blocks the agent's thread 20–40 ms per namespace (fork of a
 * large process), and a gateway's first connection touches three namespaces.
 */
const IDLE_MS = 60_000;

interface Pending {
  readonly lines: readonly string[];
  readonly ok: () => void;
  readonly fail: (e: Error) => void;
}

/**
 * One long-lived `ip -n <ns> -force -batch -` per namespace: a change of many lines costs a write to a
 * pipe instead of a process (30–50 ms each on a loaded machine). Batches run one after another; each
 * ends with a sentinel command whose output marks it done, and any other output (stderr is merged in
 * order) is that batch's errors. The process lives inside the namespace, so its /proc entry shows the
 * namespace's netlink sockets without another process. It exits after 60 s idle, on {@link closeIpSession}
 * (which deleteNamespace calls first), and with the agent.
 */
class IpSession {
  readonly #child: ChildProcessByStdio<Writable, Readable, null>;
  #queue: Pending[] = [];
  #current: Pending | undefined;
  #out = '';
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly exited: Promise<void>;

  constructor(
    readonly ns: string,
    private readonly onGone: (s: IpSession) => void,
  ) {
    // sh only to merge stderr into stdout in order; it execs ip at once (ns is an argument, never parsed by sh).
    // No stderr pipe: ip's stderr is its stdout, and a pipe it closed at once would collect a 'connect'
    // listener on every ref()/unref() below (Node defers those on a socket without a handle).
    this.#child = spawn('sh', ['-c', 'exec ip -n "$0" -force -batch - 2>&1', ns], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.#hold(false);
    this.#child.stdout.setEncoding('utf8');
    this.#child.stdout.on('data', (d: string) => this.#onData(d));
    this.#child.stdin.on('error', () => undefined); // EPIPE after an exit: the exit handler reports it
    this.exited = new Promise((ok) =>
      this.#child.once('close', () => {
        this.#gone(new IpBatchError(ns, this.#current?.lines ?? [], `ip exited: ${this.#out.trim()}`));
        ok();
      }),
    );
    this.#child.once('error', (e) => this.#gone(e));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  run(lines: readonly string[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`ip session for ${this.ns} is closed`));
    return new Promise((ok, fail) => {
      this.#queue.push({ lines, ok, fail });
      this.#next();
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#child.stdin.end();
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#child.kill('SIGKILL'), 1000).unref();
  }

  /**
   * While a batch runs, the session keeps the process alive (a CLI awaiting it must not exit); idle, it
   * does not. A closed pipe is skipped: Node would queue the call on it until a 'connect' that never comes.
   */
  #hold(busy: boolean): void {
    const pipes = [this.#child.stdin, this.#child.stdout].filter((p) => !p.destroyed) as unknown as { ref?: () => void; unref?: () => void }[];
    for (const h of [this.#child as unknown as { ref?: () => void; unref?: () => void }, ...pipes]) {
      if (busy) h.ref?.();
      else h.unref?.();
    }
  }

  #next(): void {
    if (this.#current || this.#closed) return;
    const p = this.#queue.shift();
    clearTimeout(this.#timer);
    if (!p) {
      this.#hold(false);
      this.#timer = setTimeout(() => this.#idle(), IDLE_MS).unref();
      return;
    }
    this.#hold(true);
    this.#current = p;
    this.#out = '';
    this.#timer = setTimeout(() => {
      this.#gone(new IpBatchError(this.ns, p.lines, `no answer within ${TIMEOUT_MS / 1000} s`));
      this.#child.kill('SIGKILL');
    }, TIMEOUT_MS).unref();
    this.#child.stdin.write(`${[...p.lines, SENTINEL].join('\n')}\n`);
  }

  #onData(d: string): void {
    if (!this.#current) return;
    this.#out += d;
    if (!SENTINEL_END.test(this.#out)) return;
    const p = this.#current;
    // Whatever precedes the sentinel's own answer is what the batch's lines printed: errors.
    const errors = this.#out
      .split('\n')
      .filter((l) => l.trim() && !/^\d+: lo: /.test(l) && !SENTINEL_END.test(l))
      .join('\n');
    this.#current = undefined;
    this.#out = '';
    clearTimeout(this.#timer);
    if (errors) p.fail(new IpBatchError(this.ns, p.lines, errors));
    else p.ok();
    this.#next();
  }

  #idle(): void {
    if (!this.#current && this.#queue.length === 0) {
      this.onGone(this);
      this.close();
    }
  }

  #gone(e: Error): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#hold(false);
    this.onGone(this);
    const all = [...(this.#current ? [this.#current] : []), ...this.#queue];
    this.#current = undefined;
    this.#queue = [];
    for (const p of all) p.fail(e);
  }
}

const sessions = new Map<string, IpSession>();

function sessionFor(ns: string): IpSession {
  let s = sessions.get(ns);
  if (!s) {
    s = new IpSession(ns, (gone) => {
      if (sessions.get(ns) === gone) sessions.delete(ns);
    });
    sessions.set(ns, s);
  }
  return s;
}

/**
 * Runs `ip` batch lines in namespace `ns` through its long-lived session (lines built from validated
 * CIDRs and addresses only; each must be safe to repeat, as -force goes on past a failing line).
 * Rejects with {@link IpBatchError} when a line failed.
 */
export async function ipSessionBatch(lines: readonly string[], ns: string): Promise<void> {
  if (lines.length === 0) return;
  await sessionFor(ns).run(lines);
}

/** `/proc/<pid>/net/netlink` as seen from inside `ns` (through the session's process), or undefined. */
export async function procNetNetlink(ns: string): Promise<string | undefined> {
  const s = sessionFor(ns);
  await s.run([]).catch(() => undefined);
  const pid = sessionFor(ns).pid;
  try {
    return pid === undefined ? undefined : readFileSync(`/proc/${pid}/net/netlink`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Ends the session of `ns`, if any, and waits for its process: before the namespace is deleted. */
export async function closeIpSession(ns: string): Promise<void> {
  const s = sessions.get(ns);
  if (!s) return;
  sessions.delete(ns);
  s.close();
  await s.exited;
}
