import { type FSWatcher, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { GatewayPlan } from '../control/index.js';
import type { GatewayLayout } from '../dataplane/lab/network-layout.js';
import { memberCut, memberDir } from '../dataplane/lab/member-fault.js';
import { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { memberNs } from '../dataplane/lab/lab-names.js';
import { activeIndexOf } from '../dataplane/lab/network-layout.js';
import type { GatewayMode, VpnGateway } from '../domain/gateway.js';
import type { Telemetry } from '../domain/telemetry.js';
import { haTrace } from './failover-trace.js';
import { GatewayRuntime } from './gateway-runtime.js';
import { ReportMemo } from './report-memo.js';
import type { RouteTunnels } from './route-tunnels.js';

type Index = 1 | 2;

/**
 * What the agent holds for one gateway: a runtime (charon, VICI, what was applied) per member, which
 * member is active (policy mode: the one holding the public IP; kept on disk so a restarted agent
 * resumes the same way), which members `lab member fail` holds down, and the last network pass.
 */
export class GatewayMembers {
  readonly runtimes = new Map<Index, GatewayRuntime>();
  /** Policy mode: the member holding the address and the VPC's routes. */
  active: Index;
  /** Members held down (`lab member fail`) as of the last reconcile. */
  cut = new Set<Index>();
  mode: GatewayMode;
  plan: GatewayPlan | undefined;
  /** When this agent last failed the gateway over (0: never): a failed first attempt is retried sooner for a while. */
  failoverAt = 0;
  /** A member's charon went away or a fail marker changed since the last reconcile began: a failover may be waiting. */
  urgent = false;
  /** What the control plane holds of each connection as this agent last reported it. */
  readonly reported = new ReportMemo();
  /** The gateway observation (observationOf) the last reconcile reported: a pass that would send another one reports at once. */
  observed: string | undefined;
  /** Route mode: the tunnel namespaces' charons (route-tunnels.ts). */
  routeTunnels: RouteTunnels | undefined;
  /** The last namespace pass: a hash of the gateway's own part, the part that follows the connections and the active member, and when it last ran in full. */
  network:
    | {
        readonly base: string;
        readonly selectors: Pick<GatewayLayout, 'extraLocalAddresses' | 'peerRoutes' | 'routeVia'>;
        readonly placement: string;
        readonly at: number;
      }
    | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  readonly #watchers: FSWatcher[] = [];
  readonly #activeFile: string;

  constructor(
    readonly gatewayId: string,
    readonly dir: string,
    mode: GatewayMode,
    storedActive: Index,
  ) {
    this.mode = mode;
    this.#activeFile = join(dir, 'active.json');
    this.active = this.#readActive() ?? storedActive;
  }

  memberDir(index: Index): string {
    return memberDir(this.dir, index);
  }

  /** Members `lab member fail` holds down now (its marker files). */
  readCut(): Set<Index> {
    return new Set(([1, 2] as const).filter((i) => memberCut(this.memberDir(i))));
  }

  #readActive(): Index | undefined {
    try {
      const a = (JSON.parse(readFileSync(this.#activeFile, 'utf8')) as { active?: unknown }).active;
      return a === 1 || a === 2 ? a : undefined;
    } catch {
      return undefined;
    }
  }

  setActive(index: Index): void {
    this.active = index;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.#activeFile, JSON.stringify({ active: index }), { mode: 0o600 });
  }

  /**
   * Policy mode: the standby takes over when the active member is held down or its charon died, and
   * the standby is not held down. No pre-emption: a member that comes back stays standby. Returns
   * whether it took over.
   */
  promote(cut: ReadonlySet<Index>): boolean {
    const cur = this.active;
    const other: Index = cur === 1 ? 2 : 1;
    const next = this.runtimes.get(other);
    if (!next || cut.has(other)) return false;
    const held = cut.has(cur);
    if (!held && !this.runtimes.get(cur)!.supervisor.died()) return false;
    // A crashed charon and a standby that is not running either: restart in place.
    if (!held && next.supervisor.pid() === undefined) return false;
    this.setActive(other);
    haTrace(this.gatewayId, `failover to member ${other}`);
    return true;
  }

  /** The role each member runs in: policy one active and one standby, route both active. */
  roleOf(index: Index): 'active' | 'standby' {
    return this.mode === 'route' || index === this.active ? 'active' : 'standby';
  }

  /** Calls `onChange` when a member's fail marker comes or goes (`lab member recover` is another process). */
  watchMarkers(onChange: () => void): void {
    if (this.#watchers.length > 0) return;
    for (const i of [1, 2] as const) {
      const d = this.memberDir(i);
      mkdirSync(d, { recursive: true, mode: 0o700 });
      try {
        const w = watch(d, (_e, file) => {
          if (file === 'failed' || file === null) onChange();
        });
        w.on('error', () => undefined);
        this.#watchers.push(w);
      } catch {
        /* no inotify: the periodic resync still notices */
      }
    }
  }

  /** Runs `fn` alone among this gateway's reconciles and standby syncs. */
  locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  close(): void {
    for (const rt of this.runtimes.values()) rt.close();
    this.routeTunnels?.close();
    for (const w of this.#watchers.splice(0)) w.close();
  }
}

/** What a gateway's members call back: charon said something (poke), a charon or a fail marker went or came (lost). */
export interface MemberHooks {
  readonly poke: () => void;
  readonly lost: () => void;
  readonly telemetry: Telemetry;
  readonly logger?: Logger;
}

/**
 * A gateway's members as this agent takes them on: a supervisor and a runtime per member (adopting a
 * charon already running), and the fail markers watched. A lost charon or a changed marker marks the
 * gateway urgent: a failover may be waiting.
 */
export function openGatewayMembers(gw: VpnGateway, dir: string, hooks: MemberHooks): GatewayMembers {
  const g = new GatewayMembers(gw.id, dir, gw.mode, activeIndexOf(gw));
  for (const m of gw.members) {
    const supervisor = new CharonSupervisor(
      { ns: memberNs(gw.id, m.index), dir: g.memberDir(m.index), ignoreLoopback: true },
      { onRestart: () => hooks.telemetry.charonRestart(gw.id) },
    );
    const events = {
      onEvent: hooks.poke,
      onLost: () => {
        haTrace(gw.id, `member ${m.index}: vici lost`);
        g.urgent = true;
        hooks.lost();
      },
    };
    const rt = new GatewayRuntime(gw.id, supervisor, events, hooks.logger, m.index);
    rt.adopt();
    g.runtimes.set(m.index, rt);
  }
  g.watchMarkers(() => {
    haTrace(gw.id, 'fail marker changed');
    g.urgent = true;
    hooks.lost();
  });
  return g;
}
