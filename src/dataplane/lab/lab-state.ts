import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the lab made that outlives one process (sites, gateway charons), recorded under
 * <data-dir>/lab so `causeway lab down` can remove exactly that and stop exactly those PIDs.
 */
export interface LabRecord {
  readonly kind: 'site' | 'gateway' | 'tunnel';
  readonly name: string;
  readonly ns: string;
  readonly dir: string;
  readonly charonPid?: number;
  readonly publicIp?: string;
  readonly lan?: string;
  /** Gateways: the VPC namespace behind them. */
  readonly vpcNs?: string;
  /** Gateways: every member's namespace (`ns` is the first's). */
  readonly namespaces?: readonly string[];
  /** Gateways: the directory of every member's charon (its pid file, socket, log). */
  readonly charonDirs?: readonly string[];
  /** The lab internet this record is plugged into. */
  readonly internetNs?: string;
  /** Tunnels: the gateway, member and connection a tunnel namespace serves (route mode). */
  readonly gateway?: string;
  readonly memberIndex?: 1 | 2;
  readonly connectionId?: string;
  /** Sites: the Causeway connections the site answers (`lab site connect`), in the order joined. */
  readonly connections?: readonly string[];
}

export class LabState {
  constructor(readonly root: string) {}

  #file(kind: LabRecord['kind'], name: string): string {
    return join(this.root, `${kind}-${name}`, 'record.json');
  }

  dirFor(kind: LabRecord['kind'], name: string): string {
    return join(this.root, `${kind}-${name}`);
  }

  get(kind: LabRecord['kind'], name: string): LabRecord | undefined {
    const f = this.#file(kind, name);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as LabRecord) : undefined;
  }

  put(r: LabRecord): void {
    mkdirSync(r.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.#file(r.kind, r.name), JSON.stringify(r, null, 2), { mode: 0o600 });
  }

  remove(kind: LabRecord['kind'], name: string): void {
    rmSync(this.dirFor(kind, name), { recursive: true, force: true });
  }

  /**
   * Records a lab internet namespace this lab plugs into, so `lab down` removes it even after every
   * gateway and site that named it is gone.
   */
  noteInternet(ns: string): void {
    const known = this.internets();
    if (known.includes(ns)) return;
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    writeFileSync(join(this.root, 'internets.json'), JSON.stringify([...known, ns]), { mode: 0o600 });
  }

  internets(): string[] {
    const f = join(this.root, 'internets.json');
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as string[]) : [];
  }

  forgetInternets(): void {
    rmSync(join(this.root, 'internets.json'), { force: true });
  }

  all(): LabRecord[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .map((d) => join(this.root, d, 'record.json'))
      .filter((f) => existsSync(f))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as LabRecord);
  }
}

/** A recorded PID counts only while it is still a charon (PIDs get reused) that has not exited (a zombie). */
export function isCharonPid(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'charon' && !/^ [ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1));
  } catch {
    return false;
  }
}

/** Whether a PID is alive (signal 0). */
export function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
