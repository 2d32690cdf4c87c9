/**
 * Everything the benchmark makes registers how to remove it: an async step for the normal path, an
 * error and Ctrl-C, and a synchronous backstop for an abrupt exit (where only sync code runs).
 * Steps run last-registered first; each runs at most once, and a failing step never stops the others.
 * On a signal everything is removed and the process exits (130 for Ctrl-C); a second Ctrl-C kills it
 * at once.
 */
interface Step {
  readonly what: string;
  readonly run: () => Promise<void>;
  readonly runSync: () => void;
  done: boolean;
  /** The async run, once started: a signal arriving meanwhile waits for it instead of skipping it. */
  running?: Promise<void>;
  finished: boolean;
}

const STEP_TIMEOUT_MS = 60_000;

export class CleanupRegistry {
  readonly #steps: Step[] = [];
  #signalled = false;

  constructor() {
    process.once('exit', () => this.#runAllSync());
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => void this.#onSignal(signal));
    }
  }

  /** Whether a signal arrived: the run is being taken down, start nothing new. */
  get interrupted(): boolean {
    return this.#signalled;
  }

  /** Throws once a signal arrived: call it before each step that makes something. */
  check(): void {
    if (this.#signalled) throw new Error('interrupted');
  }

  /**
   * Registers a cleanup step; returns a function that runs it now (and only once). After a signal
   * nothing new may start: the step runs at once (synchronously) and this throws.
   */
  add(what: string, run: () => Promise<void>, runSync: () => void): () => Promise<void> {
    if (this.#signalled) {
      runSync();
      throw new Error('interrupted');
    }
    const step: Step = { what, run, runSync, done: false, finished: false };
    this.#steps.push(step);
    return () => this.#runOne(step);
  }

  /** Runs every step not yet run, newest first. */
  async runAll(): Promise<void> {
    for (const step of [...this.#steps].reverse()) await this.#runOne(step);
  }

  #runOne(step: Step): Promise<void> {
    if (step.running) return step.running;
    if (step.done) return Promise.resolve();
    step.done = true;
    step.running = this.#run(step);
    return step.running;
  }

  async #run(step: Step): Promise<void> {
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        step.run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
    } catch (e) {
      console.error(`cleanup: ${step.what}: ${e instanceof Error ? e.message : String(e)}; trying the synchronous way`);
      try {
        step.runSync();
      } catch (e2) {
        console.error(`cleanup: ${step.what}: ${e2 instanceof Error ? e2.message : String(e2)}`);
      }
    } finally {
      step.finished = true;
    }
  }

  #runAllSync(): void {
    // Also the steps still running: an exit cuts them short, and every synchronous step is idempotent.
    for (const step of [...this.#steps].reverse()) {
      if (step.finished) continue;
      step.done = true;
      step.finished = true;
      try {
        step.runSync();
      } catch (e) {
        console.error(`cleanup: ${step.what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  async #onSignal(signal: NodeJS.Signals): Promise<void> {
    if (this.#signalled) return;
    this.#signalled = true;
    console.error(`\nbench-tunnels: ${signal} received; removing what this run made ...`);
    await this.runAll();
    process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
  }
}
