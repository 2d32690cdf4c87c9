import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHARON, charonConf, type CharonOptions, viciSocketPath } from './charon-process.js';
import { isCharonPid, pidAlive } from './lab-state.js';

export interface SupervisorHooks {
  /** A charon this supervisor started (or adopted) died and a new one was started in its place. */
  readonly onRestart?: () => void;
}

/**
 * Owns one charon per gateway. charon runs detached and its PID is recorded, so when the agent
 * restarts it adopts the running daemon (no tunnel is torn down). If charon dies, `ensure` starts a
 * new one; the caller then re-applies the configuration.
 */
export class CharonSupervisor {
  #opts: CharonOptions;
  readonly #pidFile: string;

  constructor(
    opts: CharonOptions,
    private readonly hooks: SupervisorHooks = {},
  ) {
    this.#opts = opts;
    this.#pidFile = join(opts.dir, 'charon.pid');
  }

  /** charon's own directory: strongswan.conf, socket, log, pid file. */
  get dir(): string {
    return this.#opts.dir;
  }

  #confFile(): string {
    return join(this.#opts.dir, 'strongswan.conf');
  }

  /**
   * Changes the instance settings (IKEv2 retransmit schedule, aggressive-mode PSK) and rewrites
   * strongswan.conf. Returns whether the file changed: a running charon then needs `reload-settings`
   * (it applies both to new IKE_SAs; fact sheet §2.1), never a restart.
   */
  configure(settings: Pick<CharonOptions, 'retransmit' | 'aggressivePsk'>): boolean {
    const { retransmit: _r, aggressivePsk: _a, ...rest } = this.#opts;
    this.#opts = { ...rest, ...(settings.retransmit ? { retransmit: settings.retransmit } : {}), ...(settings.aggressivePsk ? { aggressivePsk: true } : {}) };
    const text = charonConf(this.#opts);
    if (existsSync(this.#confFile()) && readFileSync(this.#confFile(), 'utf8') === text) return false;
    mkdirSync(this.#opts.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.#confFile(), text, { mode: 0o600 });
    return true;
  }

  get socket(): string {
    return viciSocketPath(this.#opts.dir);
  }

  get logFile(): string {
    return join(this.#opts.dir, 'charon.log');
  }

  /** The PID of the charon this supervisor started (or adopted), if it is alive. */
  pid(): number | undefined {
    if (!existsSync(this.#pidFile)) return undefined;
    const pid = Number(readFileSync(this.#pidFile, 'utf8').trim());
    return pidAlive(pid) && isCharonPid(pid) ? pid : undefined;
  }

  /** Whether a charon this supervisor started (or adopted) has died since (its pid file outlived it). */
  died(): boolean {
    return existsSync(this.#pidFile) && this.pid() === undefined;
  }

  /** Starts charon unless one of ours is alive; returns whether a new one was started (a restart when one had been started before). */
  async ensure(): Promise<boolean> {
    if (this.pid() !== undefined) return false;
    const restart = existsSync(this.#pidFile);
    mkdirSync(this.#opts.dir, { recursive: true, mode: 0o700 });
    const conf = this.#confFile();
    writeFileSync(conf, charonConf(this.#opts), { mode: 0o600 });
    rmSync(this.socket, { force: true });
    const child = spawn('ip', ['netns', 'exec', this.#opts.ns, 'unshare', '-m', 'sh', '-c', `mount -t tmpfs none /run && exec ${CHARON}`], {
      env: { ...process.env, STRONGSWAN_CONF: conf },
      stdio: 'ignore',
      detached: true,
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start charon in ${this.#opts.ns}`);
    writeFileSync(this.#pidFile, `${child.pid}\n`, { mode: 0o600 });
    await waitFor(() => existsSync(this.socket), 10_000, `charon in ${this.#opts.ns} did not open ${this.socket}`);
    if (restart) this.hooks.onRestart?.();
    return true;
  }

  /** Stops our charon (SIGTERM, then SIGKILL), by PID. */
  async stop(graceMs = 3000): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    process.kill(pid, 'SIGTERM');
    try {
      await waitFor(() => !pidAlive(pid), graceMs, '');
    } catch {
      if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
      await waitFor(() => !pidAlive(pid), 2000, `charon ${pid} did not stop`);
    }
    rmSync(this.#pidFile, { force: true });
  }
}

export async function waitFor(ok: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(message || 'timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
