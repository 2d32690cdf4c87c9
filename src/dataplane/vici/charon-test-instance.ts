/**
 * A real charon for tests (fact sheet §5.1/§5.2): its own network namespace `cw-vt-<random>` (only `lo`,
 * nothing leaves it), its own temp dir holding strongswan.conf, the vici socket and a file log, and a
 * private `/run` so it never meets another charon's pid file.
 *
 * ```ts
 * const skip = charonTestSkipReason();
 * describe.skipIf(skip !== undefined)(`… ${skip ?? ''}`, () => {
 *   let charon: CharonTestInstance;
 *   beforeAll(async () => (charon = await CharonTestInstance.start()));
 *   afterAll(() => charon?.dispose());
 *   it('…', async () => { const vici = new ViciClient({ socketPath: charon.socketPath }); … });
 * });
 * ```
 *
 * It only ever signals the PID it spawned (`ip netns exec` and `unshare` exec, so that PID is charon's),
 * and deletes only its own namespace and dir, also when the test process exits early.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian installs charon (package strongswan-charon). */
export const CHARON_BINARY = '/usr/lib/ipsec/charon';

/**
 * Why the real-charon tests cannot run here, or undefined when they must run. Root runs them (and fails
 * loudly if charon is missing: `make debian-deps` installs it); in CI (`CI` set) they always run, so a CI
 * that is not root fails instead of silently skipping; elsewhere a non-root user gets a skip.
 */
export function charonTestSkipReason(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): string | undefined {
  if (uid === 0 || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false')) return undefined;
  return 'skipped: needs root (network namespaces and charon); run as root, or set CI=true to make this a failure';
}

/** Options of {@link CharonTestInstance.start}. */
export interface CharonTestInstanceOptions {
  /** Extra strongswan.conf lines inside `charon { … }`, one setting per line. */
  readonly extraConf?: string;
  /** How long to wait for the vici socket to accept connections. */
  readonly startTimeoutMs?: number;
}

/**
 * The per-instance strongswan.conf. One setting per line: strongswan.conf values run to the end of the
 * line, so the one-line `main { path = … time_format = … }` of the fact sheet makes a log file named
 * `charon.log time_format = …` and ignores the levels.
 */
export function charonTestConf(dir: string, extraConf = ''): string {
  return `charon {
  load_modular = yes
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec {
      load = yes
    }
    vici {
      socket = unix://${join(dir, 'charon.vici')}
    }
    stroke {
      load = no
    }
  }
  filelog {
    main {
      path = ${join(dir, 'charon.log')}
      time_format = %F %T
      default = 1
      flush_line = yes
      ike_name = yes
    }
  }
${extraConf}
}
`;
}

/** One charon in its own namespace and temp dir; see the file comment. */
export class CharonTestInstance {
  readonly confPath: string;
  readonly socketPath: string;
  readonly logPath: string;
  #child: ChildProcess | undefined;
  #stderr = '';
  #disposed = false;
  readonly #onExit = (): void => this.#disposeSync();

  private constructor(
    /** The network namespace, `cw-vt-<8 hex>`. */
    readonly ns: string,
    /** The temp dir holding conf, socket and log. */
    readonly dir: string,
    readonly startTimeoutMs: number,
  ) {
    this.confPath = join(dir, 'strongswan.conf');
    this.socketPath = join(dir, 'charon.vici');
    this.logPath = join(dir, 'charon.log');
  }

  /** Creates the namespace and dir, starts charon and waits for its vici socket. Cleans up if that fails. */
  static async start(options: CharonTestInstanceOptions = {}): Promise<CharonTestInstance> {
    if (!existsSync(CHARON_BINARY)) {
      throw new Error(`${CHARON_BINARY} is missing: install strongswan-charon strongswan-swanctl libcharon-extra-plugins (make debian-deps)`);
    }
    const ns = `cw-vt-${randomBytes(4).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), `${ns}-`));
    const instance = new CharonTestInstance(ns, dir, options.startTimeoutMs ?? 15_000);
    process.once('exit', instance.#onExit);
    try {
      writeFileSync(instance.confPath, charonTestConf(dir, options.extraConf), { mode: 0o600 });
      execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe' });
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
      await instance.startCharon();
      return instance;
    } catch (e) {
      await instance.dispose();
      throw e;
    }
  }

  /** charon's PID while it runs. */
  get pid(): number | undefined {
    const c = this.#child;
    return c && c.exitCode === null && c.signalCode === null ? c.pid : undefined;
  }

  /** Starts charon (again) and waits until its vici socket accepts a connection. */
  async startCharon(): Promise<void> {
    if (this.#disposed) throw new Error('charon test instance disposed');
    if (this.pid !== undefined) throw new Error(`charon already running as PID ${this.pid}`);
    rmSync(this.socketPath, { force: true }); // a killed charon leaves its socket file behind
    this.#stderr = '';
    const child = spawn('ip', ['netns', 'exec', this.ns, 'unshare', '-m', 'sh', '-c', `mount -t tmpfs none /run && exec ${CHARON_BINARY}`], {
      env: { ...process.env, STRONGSWAN_CONF: this.confPath },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (b: Buffer) => (this.#stderr = (this.#stderr + b.toString()).slice(-4000)));
    this.#child = child;
    const deadline = Date.now() + this.startTimeoutMs;
    while (!(await canConnect(this.socketPath))) {
      if (this.pid === undefined)
        throw new Error(`charon exited during start-up (${child.exitCode ?? child.signalCode}): ${this.#stderr}\n${this.readLog().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`charon's vici socket not ready after ${this.startTimeoutMs} ms\n${this.readLog().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const comm = readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim();
    if (comm !== 'charon') throw new Error(`PID ${child.pid} is '${comm}', not charon`);
  }

  /** Stops the charon this instance started: `signal` to its PID, SIGKILL after `graceMs`. */
  async stopCharon(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', graceMs = 5000): Promise<void> {
    const child = this.#child;
    if (!child || this.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** The file log so far ('' before charon wrote one). */
  readLog(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** Stops charon, deletes the namespace and the temp dir. Idempotent; safe after a failed start. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    await this.stopCharon().catch(() => undefined);
    this.#disposeSync();
  }

  #disposeSync(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    process.off('exit', this.#onExit);
    const pid = this.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    try {
      execFileSync('ip', ['netns', 'del', this.ns], { stdio: 'pipe' });
    } catch {
      // never created, or already deleted
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
