import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { GatewayPlan } from '../control/index.js';
import { ViciClient } from '../dataplane/vici/index.js';
import type { Reason } from '../domain/tenancy.js';
import { reason } from '../domain/status-reasons.js';
import type { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { connectionIdOf } from './failure-classifier.js';
import { FailureAttribution } from './failure-attribution.js';
import { FirstLoads } from './first-loads.js';
import type { AppliedGroup } from './peer-group-applier.js';
import { textOf } from '../domain/text.js';

export interface RuntimeHooks {
  /** charon reported something worth a status refresh. */
  readonly onEvent: () => void;
  /** The VICI connection to charon dropped (charon died?): reconcile this gateway now. */
  readonly onLost: () => void;
}

/**
 * What the agent holds for one gateway member while it lives: charon's supervisor, a VICI client, what it
 * applied to this charon (per peer group: phase-1 hash and CHILD hashes, kept on disk next to the
 * charon so a restarted agent knows what the charon it adopts already has), which connections each
 * group carries, and the latest failure reason charon logged for each connection.
 */
export class GatewayRuntime {
  readonly applied = new Map<string, AppliedGroup>();
  /** Charon's conns were listed and the unwanted ones unloaded since this VICI connection opened (unloadUnwanted). */
  swept = false;
  /** When each connection's CHILDs were last (re)loaded into this charon (ms), for CHARON_START_GRACE_MS. */
  readonly #loadedAt = new Map<string, number>();
  /** The connections new to this charon, whose refusals the status holds back for a while (gateway-report.ts). */
  readonly firstLoads = new FirstLoads(() => this.hooks.onEvent());
  /**
   * The latest failure charon logged (or a command met) for each connection, and when (ms): a status
   * read taken before that time cannot explain it away (gateway-report.ts).
   */
  readonly failures = new Map<string, { readonly reason: Reason; readonly at: number }>();
  /** Peer group (IKE conn) name → the connections with a CHILD in it, from the last reconcile. */
  members = new Map<string, readonly string[]>();
  /** Connections whose phase 1 the group's leader overrides → that leader's id (from the last reconcile). */
  overridden = new Map<string, string>();
  /** The connections with an installed CHILD_SA at this charon's last status read (undefined: not read yet). */
  lastUp: ReadonlySet<string> | undefined;
  vici: ViciClient | undefined;
  /** The plan of the last reconcile (status reports cover its connections). */
  plan: GatewayPlan | undefined;
  readonly #appliedFile: string;
  /** What saveApplied last wrote (undefined: nothing yet, or the file was removed). */
  #appliedText: string | undefined;
  /** Which connections each failure charon logs belongs to. */
  readonly #attribution = new FailureAttribution({
    named: (ikeName) => this.#connectionsOf(ikeName),
    connections: () => this.plan?.desired?.connections ?? [],
  });

  constructor(
    readonly gatewayId: string,
    readonly supervisor: CharonSupervisor,
    private readonly hooks: RuntimeHooks,
    private readonly log?: Logger,
    /** The gateway member whose charon this is. */
    readonly memberIndex: 1 | 2 = 1,
  ) {
    this.#appliedFile = join(supervisor.dir, 'applied.json');
  }

  /** Restores what was applied to the running charon, if the record is about that very process. */
  adopt(): void {
    this.applied.clear();
    const pid = this.supervisor.pid();
    if (pid === undefined || !existsSync(this.#appliedFile)) return;
    try {
      const rec = JSON.parse(readFileSync(this.#appliedFile, 'utf8')) as { pid: number; groups: Record<string, AppliedGroup> };
      if (rec.pid === pid) for (const [name, g] of Object.entries(rec.groups)) this.applied.set(name, g);
    } catch {
      /* unreadable: start from nothing, load-conn is idempotent */
    }
  }

  /**
   * Notes the connections loaded now; returns them and those loaded within `graceMs`: charon's own start action
   * may still be working on them (it builds one CHILD_SA of an IKE_SA at a time, so a burst of loads
   * queues for a while), and initiating them again only adds round trips and exchanges.
   */
  loadedRecently(loaded: Iterable<string>, graceMs: number, now = Date.now()): Set<string> {
    const recent = new Set<string>(loaded);
    for (const id of recent) this.#loadedAt.set(id, now);
    for (const [id, at] of this.#loadedAt) {
      if (now - at < graceMs) recent.add(id);
      else if (!recent.has(id)) this.#loadedAt.delete(id);
    }
    return recent;
  }

  /** Sets the groups of this pass (`members`); returns the connections the last pass had (for `firstLoads.note`). */
  regroup(members: Map<string, readonly string[]>): Set<string> {
    const before = new Set([...this.members.values()].flat());
    this.members = members;
    return before;
  }

  /** Records what is applied to the charon running now. */
  saveApplied(): void {
    const pid = this.supervisor.pid();
    if (pid === undefined) {
      rmSync(this.#appliedFile, { force: true });
      this.#appliedText = undefined;
      return;
    }
    const text = JSON.stringify({ pid, groups: Object.fromEntries(this.applied) });
    // Every reconcile saves, and most change nothing: the file is written only when its content would change.
    if (text === this.#appliedText && existsSync(this.#appliedFile)) return;
    writeFileSync(this.#appliedFile, text, { mode: 0o600 });
    this.#appliedText = text;
  }

  /** Connects (or reconnects) the VICI client and its event subscription. */
  async connect(): Promise<ViciClient> {
    if (this.vici) return this.vici;
    this.swept = false;
    // A request waiting for a charon that went away fails in 2 s: the reconcile that restarts it must not wait 60.
    const vici = new ViciClient({ socketPath: this.supervisor.socket, requestTimeoutMs: 60_000, closedTimeoutMs: 2_000 });
    await vici.connect(10_000);
    this.vici = vici;
    const events = vici.subscribe(['ike-updown', 'child-updown', 'ike-rekey', 'child-rekey', 'log']);
    vici.eventSession?.on('state', (s) => {
      // The event connection left `open` while we still use it: charon went away.
      if (s !== 'waiting' || this.vici !== vici) return;
      // Gone for good (its process is dead): every later request fails at once instead of waiting
      // 2 s for a charon that will not come back. A reconcile of this gateway that was running holds
      // its lock, and the failover waits behind it: at 200 tunnels that wait was seen at 2 and 4 s.
      this.#letGoIfDead(vici, 50);
      this.hooks.onLost();
    });
    void this.#pump(events);
    return vici;
  }

  /** Closes `vici` once charon's process is gone: it outlives its sockets by a moment, so this checks every 10 ms, `tries` times. */
  #letGoIfDead(vici: ViciClient, tries: number): void {
    if (this.vici !== vici) return;
    if (this.supervisor.pid() === undefined) this.close();
    else if (tries > 0) setTimeout(() => this.#letGoIfDead(vici, tries - 1), 10).unref();
  }

  async #pump(events: AsyncIterable<{ name: string; message: Record<string, unknown> }>): Promise<void> {
    try {
      for await (const e of events) {
        if (e.name === 'log') {
          const msg = textOf(e.message['msg'] ?? '');
          const hit = this.#attribution.read({ msg, ikeName: textOf(e.message['ikesa-name'] ?? ''), uniqueId: textOf(e.message['ikesa-uniqueid'] ?? '') });
          if (!hit) continue;
          const failure = { reason: reason(hit.code, msg), at: Date.now() };
          for (const id of hit.ids) this.failures.set(id, failure);
        }
        this.hooks.onEvent();
      }
    } catch (err) {
      this.log?.debug({ err, gateway: this.gatewayId }, 'event stream ended');
    }
  }

  /** The connections an IKE_SA name stands for: a peer group's members, or the id in a per-connection name. */
  #connectionsOf(ikeName: string): readonly string[] {
    const id = connectionIdOf(ikeName);
    return id ? [id] : (this.members.get(ikeName) ?? []);
  }

  close(): void {
    const vici = this.vici;
    this.vici = undefined;
    vici?.close();
  }
}
