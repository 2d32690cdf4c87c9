import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { closeIpSession } from './ip-session.js';

const run = promisify(execFile);

export class LabCommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')}: ${stderr.trim() || 'failed'}`);
  }
}

/** Runs a command (argv, never a shell string) and returns stdout; throws LabCommandError. */
export async function sh(argv: readonly string[], opts: { timeoutMs?: number } = {}): Promise<string> {
  try {
    const { stdout } = await run(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: opts.timeoutMs ?? 15_000 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    throw new LabCommandError(argv, err.stderr ?? err.message ?? '');
  }
}

/** `ip [-n ns] …`. */
export function ip(args: readonly string[], ns?: string): Promise<string> {
  return sh(['ip', ...(ns ? ['-n', ns] : []), ...args]);
}

/** `ip …` where "already exists" / "not found" (per `tolerate`) counts as done: idempotent steps. */
export async function ipIdempotent(
  args: readonly string[],
  ns: string | undefined,
  tolerate: RegExp = /File exists|already exists|already assigned/,
): Promise<void> {
  try {
    await ip(args, ns);
  } catch (e) {
    if (!(e instanceof LabCommandError) || !tolerate.test(e.stderr)) throw e;
  }
}

/**
 * `ip -n ns -force -batch -`: many commands in one process (lines built from validated CIDRs and
 * addresses only). -force goes on past a failing line, so each line must be safe to repeat; the
 * first error is still reported.
 */
export async function ipBatch(lines: readonly string[], ns: string): Promise<void> {
  if (lines.length === 0) return;
  await new Promise<void>((ok, fail) => {
    const child = execFile('ip', ['-n', ns, '-force', '-batch', '-'], { encoding: 'utf8', timeout: 15_000 }, (err, _out, stderr) => {
      if (err) fail(new LabCommandError(['ip', '-n', ns, '-batch', ...lines], stderr || err.message));
      else ok();
    });
    child.stdin?.end(`${lines.join('\n')}\n`);
  });
}

/** Runs argv inside a namespace. */
export function inNamespace(ns: string, argv: readonly string[], timeoutMs?: number): Promise<string> {
  return sh(['ip', 'netns', 'exec', ns, ...argv], timeoutMs === undefined ? {} : { timeoutMs });
}

/** Sets kernel settings in `ns`, all in one `sysctl` process. */
export async function sysctl(ns: string, settings: Readonly<Record<string, string>>): Promise<void> {
  await inNamespace(ns, ['sysctl', '-q', '-w', ...Object.entries(settings).map(([key, value]) => `${key}=${value}`)]);
}

export async function listNamespaces(): Promise<string[]> {
  const out = await ip(['netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((n) => n.length > 0);
}

export async function ensureNamespace(ns: string): Promise<void> {
  if (!(await listNamespaces()).includes(ns)) await ipIdempotent(['netns', 'add', ns], undefined);
  await ip(['link', 'set', 'lo', 'up'], ns);
}

export async function deleteNamespace(ns: string): Promise<void> {
  await closeIpSession(ns); // its process would keep the namespace (and its links) alive
  await ipIdempotent(['netns', 'del', ns], undefined, /No such file|Invalid netns|not found/i);
}
