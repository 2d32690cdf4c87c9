import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pidAlive } from '../../src/dataplane/lab/lab-state.js';

const run = promisify(execFile);

/**
 * A real libreswan peer for the lab tests. Debian's libreswan conflicts with strongswan-charon, so it is
 * never installed: `apt-get download` fetches the package once and `dpkg -x` unpacks it under
 * `.tmp/libreswan/root` of the repository (its libraries are Debian packages that do not conflict,
 * installed by `scripts/install-debian-deps.sh --test`). pluto runs from there inside a lab site
 * namespace, with its own config, secrets, NSS database and run directory in a temporary directory;
 * a private mount namespace puts the root's `/usr/libexec/ipsec` where pluto looks for its helpers.
 */
export const LIBRESWAN_ROOT = resolve('.tmp/libreswan/root');
const EXEC = join(LIBRESWAN_ROOT, 'usr/libexec/ipsec');

/** Unpacks Debian's libreswan under LIBRESWAN_ROOT when it is not there yet; returns its version line. */
export async function ensureLibreswan(): Promise<string> {
  if (!existsSync(join(EXEC, 'pluto'))) {
    const dl = resolve('.tmp/libreswan/deb');
    rmSync(dl, { recursive: true, force: true });
    mkdirSync(dl, { recursive: true });
    const download = (): Promise<unknown> => run('apt-get', ['download', 'libreswan'], { cwd: dl, timeout: 120_000 });
    await download().catch(async () => {
      await run('apt-get', ['update', '-q'], { timeout: 300_000 });
      await download();
    });
    const deb = readdirSync(dl).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download libreswan left no .deb');
    rmSync(LIBRESWAN_ROOT, { recursive: true, force: true });
    mkdirSync(LIBRESWAN_ROOT, { recursive: true });
    await run('dpkg', ['-x', join(dl, deb), LIBRESWAN_ROOT]);
    rmSync(dl, { recursive: true, force: true });
  }
  const missing = (await run('ldd', [join(EXEC, 'pluto')])).stdout.split('\n').filter((l) => l.includes('not found'));
  if (missing.length > 0) throw new Error(`pluto's libraries are missing (run scripts/install-debian-deps.sh --test): ${missing.join('; ')}`);
  // `Libreswan 4.10 IKEv2 IKEv1 XFRM …`: the name and version.
  return (await run(join(EXEC, 'pluto'), ['--version'])).stdout.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** libreswan's own config checker and algorithm parser on an ipsec.conf text: what they print (empty = clean). */
export async function checkWithLibreswan(ipsecConf: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-lsw-check-'));
  try {
    const conf = join(dir, 'ipsec.conf');
    writeFileSync(conf, ipsecConf);
    const out = (e: { stdout?: string; stderr?: string; message?: string }): string => `${e.stdout ?? ''}${e.stderr ?? ''}`;
    const problems = [out(await run(join(EXEC, 'addconn'), ['--config', conf, '--checkconfig']).catch((e: { message: string }) => ({ stderr: e.message })))];
    const pfs = /^\s*pfs=yes/m.test(ipsecConf);
    for (const m of ipsecConf.matchAll(/^\s*((?:ike|esp)=\S+)/gm)) {
      const r = out(await run(join(EXEC, 'algparse'), ['-v2', ...(pfs ? ['-pfs'] : []), m[1]!]));
      if (/ERROR|ignoring/.test(r)) problems.push(r);
    }
    return problems.join('').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Pluto {
  readonly pid: number;
  readonly dir: string;
  readonly log: () => string;
  /** `whack` against this pluto. */
  readonly whack: (args: string[]) => Promise<string>;
  /** Stops pluto by its PID and removes its directory. */
  readonly stop: () => Promise<void>;
}

/**
 * Starts pluto in namespace `ns` with the given ipsec.conf and ipsec.secrets, then adds (and starts)
 * every conn of the file with `addconn --autoall`.
 */
export async function startPluto(ns: string, ipsecConf: string, ipsecSecrets: string): Promise<Pluto> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-lsw-'));
  const conf = join(dir, 'ipsec.conf');
  const secrets = join(dir, 'ipsec.secrets');
  const nss = join(dir, 'nss');
  const rundir = join(dir, 'run');
  const logFile = join(dir, 'pluto.log');
  mkdirSync(nss);
  mkdirSync(rundir);
  writeFileSync(conf, ipsecConf, { mode: 0o600 });
  writeFileSync(secrets, ipsecSecrets, { mode: 0o600 });
  await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  const pluto = [join(EXEC, 'pluto'), '--nofork', '--config', conf, '--secretsfile', secrets, '--nssdir', nss, '--rundir', rundir, '--dumpdir', rundir];
  const script = [
    'mount --make-rprivate /',
    'mount -t tmpfs cw-lsw /usr/libexec',
    'mkdir /usr/libexec/ipsec',
    `mount --bind '${EXEC}' /usr/libexec/ipsec`,
    `exec ${pluto.map((a) => `'${a}'`).join(' ')} --logfile '${logFile}'`,
  ].join(' && ');
  // `ip netns exec`, `unshare` and `sh -c exec` all exec in place: the child's PID is pluto's.
  const out = openSync(join(dir, 'pluto.out'), 'w');
  const child = spawn('ip', ['netns', 'exec', ns, 'unshare', '-m', 'sh', '-c', script], { stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  child.unref();
  const pid = child.pid!;
  const ctl = join(rundir, 'pluto.ctl');
  const log = (): string => [join(dir, 'pluto.out'), logFile].map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : '')).join('');
  const stop = async (): Promise<void> => {
    if (pidAlive(pid)) process.kill(pid, 'SIGTERM');
    const t1 = Date.now();
    while (pidAlive(pid) && Date.now() - t1 < 5_000) await new Promise((r) => setTimeout(r, 100));
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const t0 = Date.now();
  try {
    while (!existsSync(ctl)) {
      if (!pidAlive(pid) || Date.now() - t0 > 15_000) throw new Error(`pluto did not start:\n${log().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const whack = async (args: string[]): Promise<string> => {
    const r = await run(join(EXEC, 'whack'), ['--ctlsocket', ctl, ...args], { timeout: 20_000 }).catch((e: { stdout?: string; stderr?: string }) => e);
    return `${r.stdout ?? ''}${r.stderr ?? ''}`;
  };
  await run(join(EXEC, 'addconn'), ['--config', conf, '--ctlsocket', ctl, '--autoall'], { timeout: 20_000 }).catch(
    async (e: { stdout?: string; stderr?: string; message: string }) => {
      const text = `addconn failed: ${e.stderr ?? ''}${e.stdout ?? ''}${e.message}\n${log().slice(-3000)}`;
      await stop();
      throw new Error(text);
    },
  );
  return { pid, dir, log, whack, stop };
}
