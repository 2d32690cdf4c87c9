import { type ChangeEntry, changesSince, currentGeneration } from '../store/change-store.js';
import type { Tx } from './tx.js';

export type { ChangeEntry };

/** What a reader of the change log gets after the generation it has seen. */
export interface ChangeBatch {
  /** The generation the reader has now seen (resume from here). */
  readonly generation: number;
  /** The log no longer holds what followed the reader's generation: it must resync everything. */
  readonly resync: boolean;
  readonly entries: readonly ChangeEntry[];
}

/** At most this many generations per read; a reader far behind reads again at once. */
export const BATCH_GENERATIONS = 500;

/**
 * The changes after `generation`. A generation the log no longer covers (pruned, or from another
 * store) means resync; so does one ahead of the store (the store was replaced).
 */
export async function readChanges(tx: Tx, generation: number): Promise<ChangeBatch> {
  // The common case in one query: the log goes on right after `generation` (generations are contiguous).
  const entries = await changesSince(tx.ex, generation, BATCH_GENERATIONS);
  const first = entries[0];
  if (first && first.generation === generation + 1) return { generation: entries[entries.length - 1]!.generation, resync: false, entries };
  const current = await currentGeneration(tx.ex);
  if (!first && generation === current) return { generation, resync: false, entries: [] };
  if (!first && generation < current) {
    // A commit landed between the two queries (each reads the latest commit): read again. Generations
    // commit in order, so what `current` counted is visible now, unless it was pruned.
    const again = await changesSince(tx.ex, generation, BATCH_GENERATIONS);
    if (again[0]?.generation === generation + 1) return { generation: again[again.length - 1]!.generation, resync: false, entries: again };
  }
  // The log does not go on from `generation`: it is ahead of the store (the store was replaced), or the
  // generations after it were pruned.
  return { generation: current, resync: true, entries: [] };
}

export function currentGenerationOf(tx: Tx): Promise<number> {
  return currentGeneration(tx.ex);
}

/** A source of change batches: `read` from a generation, `wake` subscribes to "something committed". */
export interface ChangeSource {
  read(generation: number): Promise<ChangeBatch>;
  current(): Promise<number>;
  onCommit(listener: () => void): () => void;
}

/**
 * Follows the change log from `from`: delivers each batch in order, then waits for the next commit in
 * this process or `pollMs` (commits by other servers on the same database), whichever comes first.
 * Returns the stop function. Errors (the store closing) end the loop after `onError`.
 */
export interface FollowOptions {
  /** Longest wait between reads when nothing wakes the follower (another server's commits). Default 1 s. */
  readonly pollMs?: number;
  /**
   * After a wake, wait this long before reading, so a burst of commits costs one read. Default 0: the
   * agent reads at once and coalesces per gateway itself (src/agent/burst-coalescer.ts), so a lone
   * change is applied without any wait; followers that only tidy up (the finalizer) batch here.
   */
  readonly coalesceMs?: number;
  readonly onError?: (e: unknown) => void;
}

export function followChanges(source: ChangeSource, from: number, deliver: (batch: ChangeBatch) => void, opts: FollowOptions = {}): () => void {
  let stopped = false;
  let generation = from;
  let wake: (() => void) | undefined;
  // A commit between a read and the wait must not be slept through.
  let dirty = false;
  const off = source.onCommit(() => {
    dirty = true;
    wake?.();
  });
  const loop = async (): Promise<void> => {
    while (!stopped) {
      dirty = false;
      const batch = await source.read(generation);
      if (stopped) return;
      generation = batch.generation;
      if (batch.resync || batch.entries.length > 0) deliver(batch);
      if (batch.entries.length >= BATCH_GENERATIONS) continue;
      if (!dirty) {
        await new Promise<void>((ok) => {
          const t = setTimeout(ok, opts.pollMs ?? 1000);
          t.unref();
          wake = () => {
            clearTimeout(t);
            ok();
          };
        });
        wake = undefined;
      }
      const coalesceMs = opts.coalesceMs ?? 0;
      if (!stopped && coalesceMs > 0) await new Promise<void>((ok) => setTimeout(ok, coalesceMs).unref());
    }
  };
  loop().catch((e: unknown) => {
    if (!stopped) opts.onError?.(e);
  });
  return () => {
    stopped = true;
    off();
    wake?.();
  };
}
