import type { PlanConnection, ReportedConnection } from '../control/index.js';

/** At least this often a report names every connection, whatever the memo says (a level-based resync). */
export const FULL_REPORT_MS = 10_000;

/**
 * An entry as the memo compares it: without the CHILD_SAs' traffic counters. With traffic flowing they
 * change between any two reads, so every refresh of a busy gateway named every up connection and the
 * server rewrote each one's row. They ride along whenever the entry is sent for another reason, and in
 * the full report at least every FULL_REPORT_MS, so the traffic metrics lag by at most that.
 */
function keyOf(e: ReportedConnection): string {
  if (!e.sa) return JSON.stringify(e);
  const children = e.sa.children.map((c) => ({ ...c, bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0 }));
  return JSON.stringify({ ...e, sa: { ...e.sa, children } });
}

/**
 * What the control plane holds of each connection of one gateway, as this agent last reported it and
 * the control plane applied it, so a report names only what changed: a status refresh of a gateway
 * with 200 connections, on every charon event, sent all 200 and the server compared all 200.
 *
 * A connection is named again when its entry differs from the one applied (traffic counters aside),
 * when it changed in the store since (its generation is past the plan the entry was applied with: the
 * report that carries the change makes it `stable`), when the plan does not say its generation (an
 * older server), and in every report once FULL_REPORT_MS has passed since the last full one. A report
 * that failed or was not applied forgets everything: the next one is full.
 */
export class ReportMemo {
  readonly #applied = new Map<string, { readonly entry: string; readonly generation: number }>();
  #fullAt = Number.NEGATIVE_INFINITY;

  /** The entries to send, of those computed for `connections` (the plan's), and whether that is all of them. */
  pick(
    entries: readonly ReportedConnection[],
    connections: readonly Pick<PlanConnection, 'id' | 'generation'>[],
    now: number,
  ): { readonly send: ReportedConnection[]; readonly full: boolean } {
    if (now - this.#fullAt >= FULL_REPORT_MS) return { send: [...entries], full: true };
    const changedAt = new Map(connections.map((c) => [c.id, c.generation]));
    const send = entries.filter((e) => {
      const known = this.#applied.get(e.id);
      const generation = changedAt.get(e.id);
      return !known || generation === undefined || generation > known.generation || known.entry !== keyOf(e);
    });
    return { send, full: send.length === entries.length };
  }

  /** The control plane applied these entries, computed against the plan of `generation`. */
  applied(sent: readonly ReportedConnection[], generation: number, full: boolean, now: number): void {
    if (full) {
      this.#applied.clear();
      this.#fullAt = now;
    }
    for (const e of sent) this.#applied.set(e.id, { entry: keyOf(e), generation });
  }

  /** A report failed or was refused: what the control plane holds is unknown until the next full one. */
  forget(): void {
    this.#applied.clear();
    this.#fullAt = Number.NEGATIVE_INFINITY;
  }
}
