import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lab settings a server (or agent) drives this lab with, recorded in `<data-dir>/lab/settings.json`
 * when its agent starts, so `causeway lab …` run later on the same data directory puts sites on the
 * same lab internet and in the same pools without being told again. `lab down` keeps it: it is about
 * the server, not about what the lab made.
 */
export interface RecordedLabSettings {
  readonly publicPool: string;
  readonly sitePool: string;
  readonly labInternet: string;
}

const fileOf = (labRoot: string): string => join(labRoot, 'settings.json');

export function recordLabSettings(labRoot: string, s: RecordedLabSettings): void {
  mkdirSync(labRoot, { recursive: true, mode: 0o700 });
  const rec: RecordedLabSettings = { publicPool: s.publicPool, sitePool: s.sitePool, labInternet: s.labInternet };
  writeFileSync(fileOf(labRoot), `${JSON.stringify(rec, null, 2)}\n`, { mode: 0o600 });
}

/** What was recorded, if anything (an unreadable record counts as none). */
export function recordedLabSettings(labRoot: string): RecordedLabSettings | undefined {
  const f = fileOf(labRoot);
  if (!existsSync(f)) return undefined;
  try {
    const r = JSON.parse(readFileSync(f, 'utf8')) as Partial<RecordedLabSettings>;
    if (typeof r.publicPool === 'string' && typeof r.sitePool === 'string' && typeof r.labInternet === 'string')
      return { publicPool: r.publicPool, sitePool: r.sitePool, labInternet: r.labInternet };
  } catch {
    /* unreadable: as if none */
  }
  return undefined;
}
