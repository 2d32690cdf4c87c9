/**
 * The FIFO behind a {@link ViciSession}: jobs run one at a time, only while the connection is open, each
 * with an optional deadline counted from submission. Knows nothing of packets. @internal
 */
import { ViciConnectionError, ViciError, ViciTimeoutError } from './vici-errors.js';

/** A unit of work that owns the connection while it runs; `epoch` identifies the connection it started on. */
export type QueuedRun<T> = (epoch: number) => Promise<T>;

interface Job {
  readonly label: string;
  readonly run: QueuedRun<unknown>;
  settle(error: Error | undefined, value?: unknown): void;
}

/** Hooks the queue needs from its session. */
export interface RequestQueueHooks {
  /** Fail a job not settled this many ms after submission (0: never). */
  readonly timeoutMs: number;
  /**
   * Fail a job still waiting for a connection this many ms after submission (0 or absent: wait for the
   * reconnect, up to `timeoutMs`): charon is away, and whoever asked may be the one to start it again.
   */
  readonly closedTimeoutMs?: number;
  /** True while jobs may run. */
  isOpen(): boolean;
  /** The current connection's epoch. */
  epoch(): number;
  /** The running job missed its deadline: the connection must be reset to drop its late answer. */
  onRunningTimeout(error: ViciTimeoutError): void;
}

/** @internal */
export class RequestQueue {
  readonly #hooks: RequestQueueHooks;
  readonly #jobs: Job[] = [];
  #running: Job | undefined;

  constructor(hooks: RequestQueueHooks) {
    this.#hooks = hooks;
  }

  /** Queues `run`; the promise settles with its outcome, a timeout, or {@link failQueued}'s error. */
  submit<T>(label: string, run: QueuedRun<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#jobs.push(this.#job(label, run, resolve as (v: unknown) => void, reject));
      this.pump();
    });
  }

  /** Queues `run` ahead of everything else; its outcome is ignored (used to renew event registrations). */
  submitFirst(label: string, run: QueuedRun<unknown>): void {
    this.#jobs.unshift(
      this.#job(
        label,
        run,
        () => undefined,
        () => undefined,
      ),
    );
    this.pump();
  }

  /** Fails every job not yet started. */
  failQueued(error: (label: string) => Error): void {
    for (const job of this.#jobs.splice(0)) job.settle(error(job.label));
  }

  /** Starts the next job if none is running and the connection is open. */
  pump(): void {
    if (this.#running || !this.#hooks.isOpen()) return;
    const job = this.#jobs.shift();
    if (!job) return;
    this.#running = job;
    const epoch = this.#hooks.epoch();
    Promise.resolve()
      .then(() => job.run(epoch))
      .then(
        (v) => job.settle(undefined, v),
        (e: unknown) => job.settle(e instanceof Error ? e : new ViciError(String(e))),
      )
      .finally(() => {
        this.#running = undefined;
        this.pump();
      });
  }

  #job(label: string, run: QueuedRun<unknown>, resolve: (v: unknown) => void, reject: (e: Error) => void): Job {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const job: Job = {
      label,
      run,
      settle: (error, value) => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        if (error) reject(error);
        else resolve(value);
      },
    };
    const { timeoutMs } = this.#hooks;
    const closedMs = this.#hooks.closedTimeoutMs ?? 0;
    if (closedMs > 0 && (timeoutMs <= 0 || closedMs < timeoutMs)) {
      timers.push(
        setTimeout(() => {
          const at = this.#jobs.indexOf(job);
          if (at < 0 || this.#hooks.isOpen()) return; // running, done, or about to run
          this.#jobs.splice(at, 1);
          job.settle(new ViciConnectionError(`vici ${label}: no connection to charon within ${closedMs} ms`));
        }, closedMs),
      );
    }
    if (timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          const at = this.#jobs.indexOf(job);
          if (at >= 0) this.#jobs.splice(at, 1);
          const error = new ViciTimeoutError(`vici ${label} not answered within ${timeoutMs} ms`);
          job.settle(error);
          if (this.#running === job) this.#hooks.onRunningTimeout(error);
        }, timeoutMs),
      );
    }
    return job;
  }
}
