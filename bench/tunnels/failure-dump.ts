import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { memberNs } from '../../src/dataplane/lab/lab-names.js';

const run = promisify(execFile);

/** Where a failed run leaves its evidence: BENCH_TUNNELS_DUMP (a directory), or nowhere. */
export function dumpDir(): string | undefined {
  return process.env['BENCH_TUNNELS_DUMP'] || undefined;
}

async function capture(argv: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 << 20 });
    return stdout + (stderr ? `\n--- stderr\n${stderr}` : '');
  } catch (e) {
    return `failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * Before a failed API run is torn down: each gateway's charon log, `swanctl --list-sas` and `--stats`,
 * and its namespace's table 220 and lo addresses, copied to `dir/<label>/gateway-<id>/`. For finding
 * why a tunnel never came up (charon's side of it), not for the figures.
 */
export async function dumpLab(labRoot: string, dir: string, label: string): Promise<string> {
  const out = join(dir, label);
  for (const entry of existsSync(labRoot) ? readdirSync(labRoot) : []) {
    if (!entry.startsWith('gateway-')) continue;
    for (const index of [1, 2] as const) {
      const gwDir = join(labRoot, entry, `member-${index}`);
      if (!existsSync(gwDir)) continue;
      const dest = join(out, entry, `member-${index}`);
      mkdirSync(dest, { recursive: true });
      for (const f of ['charon.log', 'strongswan.conf', 'applied.json']) if (existsSync(join(gwDir, f))) copyFileSync(join(gwDir, f), join(dest, f));
      const uri = `unix://${join(gwDir, 'charon.vici')}`;
      const ns = memberNs(entry.slice('gateway-'.length), index);
      writeFileSync(join(dest, 'list-sas.txt'), await capture(['swanctl', '--list-sas', '--noblock', '--uri', uri]));
      writeFileSync(join(dest, 'stats.txt'), await capture(['swanctl', '--stats', '--uri', uri]));
      writeFileSync(join(dest, 'list-conns.txt'), await capture(['swanctl', '--list-conns', '--uri', uri]));
      writeFileSync(join(dest, 'table-220.txt'), await capture(['ip', '-n', ns, 'route', 'show', 'table', '220']));
      writeFileSync(join(dest, 'addresses.txt'), await capture(['ip', '-n', ns, '-4', 'addr', 'show']));
    }
  }
  return out;
}
