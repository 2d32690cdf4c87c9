import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteNamespace, listNamespaces } from './ip-command.js';
import { isCharonPid, LabState, pidAlive } from './lab-state.js';

async function stopPid(pid: number): Promise<void> {
  if (!pidAlive(pid) || !isCharonPid(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 60 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * `causeway lab down`: removes exactly what this lab recorded under <data-dir>/lab — stops the
 * charons it started (by PID, only if that PID is still a charon), deletes the gateway, VPC, site
 * and internet namespaces it made — and returns what it removed.
 */
export async function labDown(labRoot: string): Promise<{ namespaces: string[]; charons: number[] }> {
  const state = new LabState(labRoot);
  const records = state.all();
  const charons: number[] = [];
  for (const r of records) {
    for (const dir of [r.dir, ...(r.charonDirs ?? [])]) {
      let pid: number | undefined;
      try {
        pid = Number(readFileSync(join(dir, 'charon.pid'), 'utf8').trim()) || (dir === r.dir ? r.charonPid : undefined);
      } catch {
        pid = dir === r.dir ? r.charonPid : undefined;
      }
      if (pid && pidAlive(pid) && isCharonPid(pid)) {
        await stopPid(pid);
        charons.push(pid);
      }
    }
  }
  const present = new Set(await listNamespaces());
  const wanted = new Set<string>();
  for (const r of records) for (const ns of [r.ns, ...(r.namespaces ?? []), r.vpcNs, r.internetNs]) if (ns?.startsWith('cw-')) wanted.add(ns);
  for (const ns of state.internets()) if (ns.startsWith('cw-')) wanted.add(ns);
  const removed: string[] = [];
  for (const ns of wanted) {
    if (!present.has(ns)) continue;
    await deleteNamespace(ns);
    removed.push(ns);
  }
  for (const r of records) state.remove(r.kind, r.name);
  state.forgetInternets();
  return { namespaces: removed, charons };
}
