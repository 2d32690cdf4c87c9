import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ip } from './ip-command.js';
import { memberNs } from './lab-names.js';
import { isCharonPid, LabState, pidAlive } from './lab-state.js';

/**
 * A gateway member's failure, made on purpose (`causeway lab member fail`, for tests and demos): its
 * charon (and, route mode, its tunnel namespaces' charons) is killed by the PID its supervisor recorded, its links go down, and a marker in its charon
 * directory tells the agent (a separate process) not to start it again until `recover` removes it.
 */

/** A member's charon directory inside its gateway's lab directory. */
export const memberDir = (gatewayDir: string, index: 1 | 2): string => join(gatewayDir, `member-${index}`);

const markerOf = (dir: string): string => join(dir, 'failed');

/** Whether `lab member fail` holds this member down. */
export function memberCut(memberDirectory: string): boolean {
  return existsSync(markerOf(memberDirectory));
}

/** Links a member's namespace has toward the lab internet and the VPC. */
const LEGS = ['pub0', 'priv0'] as const;

/** Fails member `index` of the gateway whose lab directory is `gatewayDir`; returns the PID killed, if one ran. */
export async function failMember(gatewayDir: string, gatewayId: string, index: 1 | 2): Promise<number | undefined> {
  const dir = memberDir(gatewayDir, index);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The marker first: the agent sees the charon die and must find it held down, not restart it.
  writeFileSync(markerOf(dir), `${new Date().toISOString()}\n`, { mode: 0o600 });
  const killed = killCharon(dir);
  // Route mode: the member's tunnel namespaces (one charon each) fail with it.
  for (const r of new LabState(dirname(gatewayDir)).all()) {
    if (r.kind === 'tunnel' && r.gateway === gatewayId && r.memberIndex === index) killCharon(r.dir);
  }
  for (const leg of LEGS) await ip(['link', 'set', leg, 'down'], memberNs(gatewayId, index)).catch(() => undefined);
  return killed;
}

/** SIGKILLs the charon recorded in `dir` (a crash, not a shutdown: no DELETE reaches the peer); returns its PID. */
function killCharon(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, 'charon.pid'), 'utf8').trim());
    if (pid > 0 && pidAlive(pid) && isCharonPid(pid)) {
      process.kill(pid, 'SIGKILL');
      return pid;
    }
  } catch {
    /* no charon recorded */
  }
  return undefined;
}

/** Brings a failed member's links up and lifts the marker: the agent restarts its charon. */
export async function recoverMember(gatewayDir: string, gatewayId: string, index: 1 | 2): Promise<boolean> {
  const dir = memberDir(gatewayDir, index);
  const was = memberCut(dir);
  for (const leg of LEGS) await ip(['link', 'set', leg, 'up'], memberNs(gatewayId, index)).catch(() => undefined);
  rmSync(markerOf(dir), { force: true });
  return was;
}
