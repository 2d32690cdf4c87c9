import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from './harness.js';

export const BIN = resolve(__dirname, '..', 'bin', 'causeway');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A listening test server and the environment that points the causeway CLI at it: its own
 * CAUSEWAY_HOME (no profile unless a test logs in), and CAUSEWAY_URL / CAUSEWAY_APIKEY for the admin.
 */
export interface CliServer {
  readonly t: TestServer;
  readonly home: string;
  readonly apikey: string;
  readonly env: Record<string, string>;
  /** bin/causeway with these arguments (no shell). Asynchronous: the server answers from this process. */
  run(args: string[], o?: { env?: Record<string, string>; input?: string }): Promise<CliRun>;
  /** A command line through bash (so its quotes mean what they mean in a terminal), `causeway` being bin/causeway. */
  sh(line: string, o?: { env?: Record<string, string>; input?: string }): Promise<CliRun>;
  close(): Promise<void>;
}

export async function startCliServer(flags: Record<string, string> = {}): Promise<CliServer> {
  const t = await startTestServer(flags, { listen: true });
  const home = mkdtempSync(join(tmpdir(), 'cw-cli-home-'));
  const apikey = readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim();
  const env = { CAUSEWAY_HOME: home, CAUSEWAY_URL: t.server.url, CAUSEWAY_APIKEY: apikey };
  const exec = (file: string, args: string[], o: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> =>
    new Promise((ok, fail) => {
      const child = spawn(file, args, { cwd: home, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, ...env, ...(o.env ?? {}) } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
      child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', fail);
      child.on('close', (status) => {
        clearTimeout(timer);
        ok({ status, stdout, stderr });
      });
      child.stdin.end(o.input ?? '');
    });
  return {
    t,
    home,
    apikey,
    env,
    run: (args, o) => exec(BIN, args, o),
    sh: (line, o) => exec('bash', ['-c', `causeway() { "${BIN}" "$@"; }\n${line}`], o),
    async close() {
      rmSync(home, { recursive: true, force: true });
      await t.close();
    },
  };
}

/** The words bash makes of a command line (its quotes and `${…}` resolved with `env`). */
export function shellWords(line: string, env: Record<string, string> = {}): string[] {
  const r = spawnSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env } });
  return r.stdout.split('\0').slice(0, -1);
}
