import type { Logger } from 'pino';
import { NO_TELEMETRY, type Telemetry } from '../domain/telemetry.js';
import { recordLabSettings } from '../dataplane/lab/lab-settings-record.js';
import { claimServing, releaseServing } from '../dataplane/lab/lab-serving-record.js';
import { BurstCoalescer } from './burst-coalescer.js';
import { haTrace } from './failover-trace.js';
import { GatewayReconciler, type ReconcilerDeps } from './gateway-reconciler.js';

/**
 * Gateways reconciled at the same time. One: two gateways of this agent that peer with each other,
 * applied at the same instant, would both initiate and end up with duplicate SAs (seen with 4).
 */
const PARALLEL = 1;

/** A policy standby is brought in line this long after a reconcile asked for it, and only when no reconcile waits. */
const STANDBY_DELAY_MS = 300;

/** The wait before a status refresh: 100 ms, or 3 times what the last refresh of that gateway took. */
export function statusDelayMs(lastRefreshMs: number | undefined): number {
  return Math.max(100, Math.round(3 * (lastRefreshMs ?? 0)));
}

/**
 * The reconcile loop: a queue of gateway ids (deduplicated), one reconcile per gateway at a time
 * (PARALLEL gateways at once), retries with backoff, timed resyncs, quick status refreshes when charon reports an event, and a reconcile
 * within 200 ms when a charon's VICI connection drops (it died: restart it, re-apply). The reconciler
 * itself is a plain level-based function of the gateway id.
 */
export class LabAgent {
  readonly reconciler: GatewayReconciler;
  readonly #queue = new Set<string>();
  /** Gateways a failover may be waiting on (a charon gone, a fail marker): they go before the queue and past PARALLEL. */
  readonly #urgent = new Set<string>();
  readonly #timers = new Map<string, { readonly timer: NodeJS.Timeout; readonly at: number }>();
  readonly #failures = new Map<string, number>();
  readonly #statusTimers = new Map<string, NodeJS.Timeout>();
  /** Gateways whose policy standby is due a sync (coalesced; run when no reconcile is queued, held or running). */
  readonly #standbys = new Set<string>();
  readonly #standbyTimers = new Map<string, NodeJS.Timeout>();
  /** How long each gateway's last status refresh took (ms); which are refreshing now, and which were poked meanwhile. */
  readonly #refreshCost = new Map<string, number>();
  readonly #refreshing = new Set<string>();
  readonly #pokedWhileRefreshing = new Set<string>();
  /** Gateways being reconciled now (each gateway one reconcile at a time; different gateways in parallel). */
  readonly #active = new Set<string>();
  /** Changes from the feed, a burst of them on one gateway coalesced into one reconcile (burst-coalescer.ts). */
  readonly #bursts = new BurstCoalescer((id) => this.enqueue(id));
  #stopped = false;
  #idle: (() => void)[] = [];
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: Omit<ReconcilerDeps, 'poke' | 'lost'>,
    private readonly log?: Logger,
  ) {
    // A charon gone (or a member failed or back): reconcile at once, a failover is waiting on it.
    this.reconciler = new GatewayReconciler({ ...deps, poke: (id) => this.#pokeStatus(id), lost: (id) => this.#urgentLater(id) });
  }

  /** Subscribes to changes; every gateway is reconciled at once and again whenever the feed may have missed something. */
  async start(): Promise<void> {
    // `causeway lab …` on this data directory reads them, so its sites land on this lab internet.
    const { pools, internetNs } = this.deps.lab;
    recordLabSettings(this.deps.labRoot, { publicPool: pools.gateways.text, sitePool: pools.sites.text, labInternet: internetNs });
    // While this agent runs, `causeway lab down` on this lab refuses (it would race our rebuilds).
    claimServing(this.deps.labRoot);
    let first: Promise<void> | undefined;
    this.#unsubscribe = this.deps.backend.watch((ids) => {
      if (ids !== 'all') {
        ids.forEach((id) => this.#bursts.change(id));
        return;
      }
      // Also what was built for gateways the store no longer has (their teardown was cut short).
      const listed = this.deps.backend.gatewayIds().then(
        (all) => new Set([...all, ...this.reconciler.builtGatewayIds()]).forEach((id) => this.enqueue(id)),
        (err: unknown) => this.log?.warn({ err }, 'listing gateways failed; the next resync retries'),
      );
      first ??= listed;
    });
    await first;
  }

  enqueue(gatewayId: string): void {
    if (this.#stopped) return;
    haTrace(gatewayId, `enqueued (running: ${[...this.#active].join(',') || 'nothing'})`);
    this.#queue.add(gatewayId);
    this.#drain();
    this.#telemetry.queueDepth(this.#queue.size);
  }

  get #telemetry(): Telemetry {
    return this.deps.telemetry ?? NO_TELEMETRY;
  }

  /** Resolves when the queue is empty, nothing runs and no change is held (tests, CLI). */
  idle(): Promise<void> {
    if (this.#active.size === 0 && this.#queue.size === 0 && !this.#bursts.holding()) return Promise.resolve();
    return new Promise((ok) => this.#idle.push(ok));
  }

  /** Starts queued gateways that are not already reconciling, up to PARALLEL at a time; standby syncs when nothing else waits. */
  #drain(): void {
    // A failover never waits behind another gateway's reconcile or a standby sync (only behind this gateway's own reconcile).
    for (const id of this.#urgent) {
      if (this.#stopped || this.#active.has(id) || !this.#queue.has(id)) continue;
      this.#urgent.delete(id);
      this.#queue.delete(id);
      clearTimeout(this.#timers.get(id)?.timer);
      this.#timers.delete(id);
      this.#run(id, () => this.#reconcile(id));
    }
    for (const id of this.#queue) {
      if (this.#stopped || this.#active.size >= PARALLEL) break;
      if (this.#active.has(id)) continue;
      this.#queue.delete(id);
      this.#telemetry.queueDepth(this.#queue.size);
      clearTimeout(this.#timers.get(id)?.timer); // this reconcile is the one it was due for
      this.#timers.delete(id);
      // Changes that came meanwhile wait behind the gateways already waiting: a burst of changes on two
      // peering gateways alternates between them instead of re-running one while its peer waits.
      this.#run(
        id,
        () => this.#reconcile(id),
        () => {
          if (this.#queue.delete(id)) this.#queue.add(id);
        },
      );
    }
    // A held burst is a reconcile that waits too: a standby load between its halves competes with it.
    if (this.#stopped || this.#queue.size > 0 || this.#active.size > 0 || this.#bursts.holding()) return;
    const [id] = this.#standbys;
    if (id === undefined) return;
    this.#standbys.delete(id);
    this.#run(`standby:${id}`, () =>
      this.reconciler.syncStandby(id).catch((err: unknown) => {
        this.log?.warn({ err, gateway: id }, 'standby sync failed; retrying');
        this.#later(id, 1_000);
      }),
    );
  }

  #run(key: string, job: () => Promise<void>, after?: () => void): void {
    this.#active.add(key);
    void job().finally(() => {
      this.#active.delete(key);
      after?.();
      if (this.#active.size === 0 && this.#queue.size === 0 && !this.#bursts.holding()) this.#settled();
      this.#drain();
    });
  }

  #standbyLater(id: string): void {
    if (this.#standbyTimers.has(id) || this.#stopped) return;
    const t = setTimeout(() => {
      this.#standbyTimers.delete(id);
      this.#standbys.add(id);
      this.#drain();
    }, STANDBY_DELAY_MS);
    t.unref();
    this.#standbyTimers.set(id, t);
  }

  async #reconcile(id: string): Promise<void> {
    const t0 = performance.now();
    try {
      const r = await this.reconciler.reconcile(id);
      this.#telemetry.reconcileDuration((performance.now() - t0) / 1000, true);
      this.#failures.delete(id);
      if (r.requeueAfterMs) this.#later(id, r.requeueAfterMs);
      if (r.standby) this.#standbyLater(id);
    } catch (err) {
      this.#telemetry.reconcileDuration((performance.now() - t0) / 1000, false);
      const n = (this.#failures.get(id) ?? 0) + 1;
      this.#failures.set(id, n);
      this.log?.warn({ err, gateway: id, attempt: n }, 'reconcile failed; will retry');
      this.#later(id, Math.min(30_000, 250 * 2 ** Math.min(n, 7)));
    }
  }

  /** A charon gone or a member failed or back: reconcile within 20 ms, ahead of everything else. */
  #urgentLater(id: string): void {
    if (this.#stopped) return;
    // Only a policy gateway fails over; a route gateway's lost charon waits its turn like any change
    // (one gateway at a time, so two peering gateways never initiate at the same instant).
    if (!this.reconciler.failsOver(id)) {
      this.#later(id, 200);
      return;
    }
    this.#urgent.add(id);
    this.#later(id, 20);
  }

  /**
   * Reconciles `id` in `ms`, unless one is already due sooner: a failed reconcile's backoff (up to 30 s)
   * or a resync must not push back the reconcile a dead charon asked for (200 ms), which restarts it.
   */
  #later(id: string, ms: number): void {
    const at = Date.now() + ms;
    const due = this.#timers.get(id);
    if (due && due.at <= at) return;
    if (due) clearTimeout(due.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(id);
      this.enqueue(id);
    }, ms);
    timer.unref();
    this.#timers.set(id, { timer, at });
  }

  /**
   * charon said something: refresh that gateway's status within a fraction of a second. A refresh reads
   * every SA and reports every connection, and during a bring-up charon says something all the time: the
   * next one waits at least 3 times as long as the last one took, so refreshes of a gateway with
   * hundreds of connections take at most a quarter of the time (the API and the reconciles share it).
   */
  #pokeStatus(id: string): void {
    if (this.#stopped || this.#statusTimers.has(id)) return; // one is due: it will see this too
    if (this.#refreshing.has(id)) {
      this.#pokedWhileRefreshing.add(id); // its list-sas may have been read before this: another one after it
      return;
    }
    const t = setTimeout(
      () => {
        this.#statusTimers.delete(id);
        this.#refreshing.add(id);
        const t0 = performance.now();
        this.reconciler
          .refreshStatus(id)
          .catch((err: unknown) => this.log?.debug({ err, gateway: id }, 'status refresh failed'))
          .finally(() => {
            this.#refreshCost.set(id, performance.now() - t0);
            this.#refreshing.delete(id);
            if (this.#pokedWhileRefreshing.delete(id)) this.#pokeStatus(id);
          });
      },
      statusDelayMs(this.#refreshCost.get(id)),
    );
    t.unref();
    this.#statusTimers.set(id, t);
  }

  /** Nothing runs or waits: wake idle() callers; once stopped, the lab is no longer ours to serve. */
  #settled(): void {
    if (this.#stopped) releaseServing(this.deps.labRoot);
    this.#idle.splice(0).forEach((f) => f());
  }

  /**
   * Stops the loop; charon keeps running (a restarted agent adopts its tunnels). The serving record
   * goes when the reconcile in flight, if any, has ended (idle() says when), so `lab down` cannot race it.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#queue.clear();
    this.#urgent.clear();
    this.#standbys.clear();
    this.#unsubscribe?.();
    this.#bursts.clear();
    for (const t of [...[...this.#timers.values()].map((d) => d.timer), ...this.#statusTimers.values(), ...this.#standbyTimers.values()]) clearTimeout(t);
    this.reconciler.close();
    if (this.#active.size === 0) this.#settled();
  }
}
