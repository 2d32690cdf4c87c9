import type { Actor } from '../domain/tenancy.js';
import { type ChangeRecord, currentGeneration, pruneChanges } from '../store/change-store.js';
import type { Executor } from '../store/schema.js';
import type { ControlDeps } from './control-deps.js';

/** How long the change log keeps a generation: an agent away longer resyncs everything. */
const CHANGE_RETENTION_MS = 24 * 3600_000;

/** A change a command made, as the change log records it. */
export interface Change extends ChangeRecord {
  /** Connections whose desired state this changed (stamped with the generation). */
  readonly connectionIds?: readonly string[];
}

/**
 * `write`: one transaction that may record changes. `snapshot`: one read transaction (every query sees
 * the same commit), for a reader that combines several reads into one answer an agent acts on.
 * `read`: each query sees the latest commit (a view, a list page).
 */
export type TxMode = 'read' | 'snapshot' | 'write';

/** One transaction: its executor and the changes its commands recorded. */
export class Work {
  readonly changes: Change[] = [];
  generation: number | undefined;

  constructor(
    readonly ex: Executor,
    readonly mode: TxMode,
  ) {}
}

/** What a command or query runs with: the transaction, the caller, the control plane's dependencies. */
export class Tx {
  constructor(
    readonly work: Work,
    readonly deps: ControlDeps,
    readonly actor: Actor,
  ) {}

  get ex(): Executor {
    return this.work.ex;
  }

  get settings(): ControlDeps['settings'] {
    return this.deps.settings;
  }

  now(): number {
    return this.deps.clock.now();
  }

  /** The same transaction on behalf of another caller (the agent acting for the system, a nested call). */
  as(actor: Actor): Tx {
    return new Tx(this.work, this.deps, actor);
  }

  /** Notes a change; it is written to the change log with one new generation when the transaction commits. */
  record(change: Change): void {
    if (this.work.mode !== 'write') throw new Error('a read transaction cannot record changes');
    this.work.changes.push(change);
  }
}

/** Writes the recorded changes under the next generation, stamps it on what they touched. */
async function logChanges(work: Work, deps: ControlDeps): Promise<void> {
  if (work.changes.length === 0) return;
  const at = deps.clock.now();
  const connectionIds = new Set<string>();
  const gatewayIds = new Set<string>();
  for (const c of work.changes) {
    if (c.resource === 'connection') connectionIds.add(c.id);
    if (c.resource === 'vpn_gateway') gatewayIds.add(c.id);
    for (const id of c.connectionIds ?? []) connectionIds.add(id);
  }
  const generation = deps.store.logChanges({ at, changes: work.changes, connectionIds: [...connectionIds], gatewayIds: [...gatewayIds] });
  if (generation % 500 === 0) await pruneChanges(work.ex, at - CHANGE_RETENTION_MS, generation);
  work.generation = generation;
}

/**
 * Runs `fn` in one transaction (or in `outer`, when called inside another command's transaction) and,
 * for a write, logs its changes before the commit and wakes the change log's readers after it.
 */
export async function runTx<T>(deps: ControlDeps, mode: TxMode, actor: Actor, fn: (tx: Tx) => Promise<T>, outer?: Work): Promise<T> {
  if (outer) {
    if (mode === 'write' && outer.mode !== 'write') throw new Error('a command cannot run inside a read-only transaction');
    return fn(new Tx(outer, deps, actor));
  }
  // A query: each statement on its own, nothing to log or wake (the common case, kept short).
  if (mode === 'read') return deps.store.read((ex) => fn(new Tx(new Work(ex, mode), deps, actor)));
  let work: Work | undefined;
  const body = async (ex: Executor): Promise<T> => {
    work = new Work(ex, mode);
    const r = await fn(new Tx(work, deps, actor));
    if (mode === 'write') await logChanges(work, deps);
    return r;
  };
  const result = await (mode === 'write' ? deps.store.write(body) : deps.store.snapshot(body));
  if (work?.generation !== undefined) deps.bus.wake();
  return result;
}

/** The generation the store is at (in a snapshot, the generation of everything else it reads). */
export function generationOf(tx: Tx): Promise<number> {
  return currentGeneration(tx.ex);
}
