import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which process drives this lab now: an agent (in `causeway serve --dataplane lab` or `causeway
 * agent`) records its PID in `<data-dir>/lab/serving.json` while it runs and removes it when it stops.
 * `causeway lab down` refuses while that process lives, since its agent would rebuild what lab down
 * removes. The process's start time is recorded too, so a PID reused by another process after a crash
 * does not count.
 */
const fileOf = (labRoot: string): string => join(labRoot, 'serving.json');

/** The process's start time in clock ticks since boot (/proc/<pid>/stat, field 22), if it runs. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); the start time is field 22. A zombie has exited.
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** Records this process as the one driving the lab. */
export function claimServing(labRoot: string): void {
  mkdirSync(labRoot, { recursive: true, mode: 0o700 });
  writeFileSync(fileOf(labRoot), `${JSON.stringify({ pid: process.pid, started: startTimeOf(process.pid) })}\n`, { mode: 0o600 });
}

/** Removes the record, if it is this process's. */
export function releaseServing(labRoot: string): void {
  if (readServing(labRoot)?.pid === process.pid) rmSync(fileOf(labRoot), { force: true });
}

function readServing(labRoot: string): { pid: number; started?: string } | undefined {
  const f = fileOf(labRoot);
  if (!existsSync(f)) return undefined;
  try {
    const r = JSON.parse(readFileSync(f, 'utf8')) as { pid?: unknown; started?: unknown };
    if (typeof r.pid === 'number' && Number.isInteger(r.pid) && r.pid > 0)
      return { pid: r.pid, ...(typeof r.started === 'string' ? { started: r.started } : {}) };
  } catch {
    /* unreadable: as if none */
  }
  return undefined;
}

/** The PID of the live process driving the lab, if one is; a record whose process is gone is ignored. */
export function servingPid(labRoot: string): number | undefined {
  const r = readServing(labRoot);
  if (!r) return undefined;
  const started = startTimeOf(r.pid);
  if (started === undefined || (r.started !== undefined && started !== r.started)) return undefined;
  return r.pid;
}
