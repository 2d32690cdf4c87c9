import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabState } from '../../src/dataplane/lab/lab-state.js';
import { memberDir } from '../../src/dataplane/lab/member-fault.js';

/**
 * Where a run's CPU time went, from /proc: the whole machine (every process and the kernel's own
 * packet work), and within it the processes a run names (the server, the charons). On a machine this
 * small a run can be CPU-bound, and then no change in timing order makes it faster than its CPU time
 * spread over every core: that bound is what this measures, so a missed ratio says what it would take.
 */
export interface CpuSample {
  readonly at: number;
  /** Machine-wide busy time (user, nice, system, irq, softirq), ms. */
  readonly busyMs: number;
  /** Per named process group: its processes' user + system time, ms (processes gone by then count 0). */
  readonly groups: Readonly<Record<string, number>>;
}

export interface CpuUse {
  readonly wallMs: number;
  /** Busy core-time of the whole machine over the window, ms. */
  readonly busyMs: number;
  readonly groups: Readonly<Record<string, number>>;
}

/** USER_HZ: /proc reports in these ticks; 100 on every Linux this runs on. */
const TICK_MS = 10;

/** Busy ticks from /proc/stat's first (`cpu`) line: user nice system idle iowait irq softirq steal … */
export function busyTicks(procStat: string): number {
  const f = procStat.split('\n', 1)[0]!.trim().split(/\s+/);
  if (f[0] !== 'cpu') throw new Error('/proc/stat: no cpu line');
  const [user, nice, system, , , irq, softirq] = f.slice(1, 8).map(Number);
  return user! + nice! + system! + irq! + softirq!;
}

/** utime + stime ticks from /proc/<pid>/stat (fields 14 and 15; the command name may hold spaces). */
export function processTicks(pidStat: string): number {
  const rest = pidStat.slice(pidStat.lastIndexOf(')') + 2).split(' ');
  // `rest` starts at field 3 (state): utime is field 14, stime 15.
  return Number(rest[11]) + Number(rest[12]);
}

function ticksOf(pid: number): number {
  try {
    return processTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * The PIDs of member `index`'s charon of every gateway a lab recorded, found where the agent keeps
 * them (`memberDir`). In the benchmark's policy gateways member 1 is the active one, member 2 the standby.
 */
export function memberCharonPids(labRoot: string, index: 1 | 2): number[] {
  return new LabState(labRoot).all().flatMap((r) => {
    try {
      const pid = Number(readFileSync(join(memberDir(r.dir, index), 'charon.pid'), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? [pid] : [];
    } catch {
      return []; // not a gateway, or no charon yet
    }
  });
}

export function sampleCpu(groups: Readonly<Record<string, readonly number[]>>): CpuSample {
  return {
    at: Date.now(),
    busyMs: busyTicks(readFileSync('/proc/stat', 'utf8')) * TICK_MS,
    groups: Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids.reduce((n, pid) => n + ticksOf(pid), 0) * TICK_MS])),
  };
}

/** From `a` to `b`: a group's processes must be the same in both samples (pass the same PID lists). */
export function cpuBetween(a: CpuSample, b: CpuSample): CpuUse {
  return {
    wallMs: b.at - a.at,
    busyMs: b.busyMs - a.busyMs,
    groups: Object.fromEntries(Object.keys(b.groups).map((k) => [k, (b.groups[k] ?? 0) - (a.groups[k] ?? 0)])),
  };
}

export const coreSecs = (ms: number): string => `${(ms / 1000).toFixed(2)} core-s`;

/** `5.27 core-s in 3.25 s (81 % of 2 cores): server 2.55, active charons 1.33, …, everything else 0.86` */
export function cpuLine(u: CpuUse, cores: number): string {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const named = Object.entries(u.groups);
  const rest = u.busyMs - named.reduce((n, [, ms]) => n + ms, 0);
  const share = Math.round((100 * u.busyMs) / (u.wallMs * cores));
  return `${s(u.busyMs)} core-s in ${s(u.wallMs)} s (${share} % of ${cores} cores): ${[...named.map(([k, ms]) => `${k} ${s(ms)}`), `everything else ${s(Math.max(0, rest))}`].join(', ')}`;
}

/**
 * The bound a run's CPU sets: it cannot be shorter than its busy time spread over every core, and the
 * target ratio allows it at most `target` × the floor's time × the cores of busy time.
 */
export function cpuBoundLine(api: CpuUse, floor: CpuUse, floorMs: number, cores: number, target: number): string {
  const leastMs = api.busyMs / cores;
  const budgetMs = target * floorMs * cores;
  const over = api.busyMs > budgetMs ? `, ${coreSecs(api.busyMs - budgetMs)} less than this run used` : '';
  return `CPU: the API run used ${coreSecs(api.busyMs)}, the floor ${coreSecs(floor.busyMs)} (${(api.busyMs / floor.busyMs).toFixed(2)}x); on ${cores} cores that much work takes at least ${(leastMs / 1000).toFixed(2)} s = ${(leastMs / floorMs).toFixed(2)}x the floor, however it is ordered. The target (${target}x) allows the whole run at most ${coreSecs(budgetMs)}${over}`;
}
