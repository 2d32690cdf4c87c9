import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCharonPid, LabState, pidAlive } from '../../src/dataplane/lab/lab-state.js';

/**
 * Synchronous teardown, for the one moment only synchronous code runs (process 'exit'). The normal
 * path uses labDown and the async helpers; this is the backstop. Only `cw-` namespaces, only PIDs
 * that are still a charon.
 */

/** SIGKILL to `pid` if it is still a charon (PIDs get reused). */
export function killCharonSync(pid: number | undefined): void {
  if (pid && pidAlive(pid) && isCharonPid(pid)) process.kill(pid, 'SIGKILL');
}

/** `ip netns del` for each `cw-` namespace in `names` that exists. */
export function deleteNamespacesSync(names: Iterable<string>): void {
  let present: string[];
  try {
    present = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(/\s+/)[0] ?? '');
  } catch {
    return;
  }
  for (const ns of new Set(names)) {
    if (!ns.startsWith('cw-') || !present.includes(ns)) continue;
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      /* best effort */
    }
  }
}

/** What `labDown` does, synchronously: stop the recorded charons, delete the recorded namespaces. */
export function labDownSync(labRoot: string): void {
  const state = new LabState(labRoot);
  const records = state.all();
  for (const r of records) {
    // A site's charon in its own directory; a gateway's one per member.
    for (const dir of [r.dir, ...(r.charonDirs ?? [])]) {
      let pid: number | undefined = dir === r.dir ? r.charonPid : undefined;
      try {
        pid = Number(readFileSync(join(dir, 'charon.pid'), 'utf8').trim()) || pid;
      } catch {
        /* no pid file */
      }
      killCharonSync(pid);
    }
  }
  deleteNamespacesSync([
    ...records.flatMap((r) => [r.ns, ...(r.namespaces ?? []), r.vpcNs, r.internetNs].filter((x): x is string => !!x)),
    ...state.internets(),
  ]);
}
