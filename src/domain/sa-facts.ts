import { type ConnectionEventType, EVENT_CAUSES } from './connection-events.js';
import type { Reason } from './tenancy.js';

/** One CHILD_SA of a connection as charon's `list-sas` shows it. */
export interface ChildSaFact {
  /** charon's unique id of the SA: a rekey replaces it. */
  readonly uniqueId: string;
  readonly state: string;
  readonly spiIn?: string;
  readonly spiOut?: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
}

/** What the data plane saw of one connection's SAs (an optional part of an agent report). */
export interface SaFacts {
  /** The state of the connection's IKE_SA (ESTABLISHED, CONNECTING, …), null when there is none. */
  readonly ikeState: string | null;
  /** Whether the gateway initiated that IKE_SA. */
  readonly ikeInitiator?: boolean;
  readonly children: readonly ChildSaFact[];
}

/** Traffic counters of a connection: the sum over its installed CHILD_SAs (they restart on a rekey). */
export interface SaCounters {
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
}

/** What is stored per connection to diff the next report against. */
export interface ObservedSas {
  /** The last generation of the connection an agent reported as applied. */
  readonly applied: number;
  readonly ikeUp: boolean;
  /** Unique ids of the installed CHILD_SAs, with their SPIs. */
  readonly children: Readonly<Record<string, { readonly spiIn?: string; readonly spiOut?: string }>>;
  readonly counters?: SaCounters;
}

export const NOTHING_OBSERVED: ObservedSas = { applied: 0, ikeUp: false, children: {} };

export interface SaTransition {
  readonly type: ConnectionEventType;
  readonly cause: string;
  readonly details: Record<string, unknown>;
}

const installed = (f: SaFacts): ChildSaFact[] => f.children.filter((c) => c.state === 'INSTALLED');

/** The observed state a report's facts give (applied is the caller's). */
export function observedOf(facts: SaFacts, applied: number): ObservedSas {
  const kids = installed(facts);
  const sum = (k: keyof SaCounters): number => kids.reduce((n, c) => n + c[k], 0);
  return {
    applied,
    ikeUp: facts.ikeState === 'ESTABLISHED',
    children: Object.fromEntries(
      kids.map((c) => [c.uniqueId, { ...(c.spiIn !== undefined ? { spiIn: c.spiIn } : {}), ...(c.spiOut !== undefined ? { spiOut: c.spiOut } : {}) }]),
    ),
    counters: { bytesIn: sum('bytesIn'), bytesOut: sum('bytesOut'), packetsIn: sum('packetsIn'), packetsOut: sum('packetsOut') },
  };
}

/**
 * The SA transitions between what was stored and what a report says: IKE up/down, the first CHILD
 * installed, the last one gone, or new CHILD_SAs replacing the installed ones (a rekey). `reasons`
 * (the failure reasons reported with it) name the cause of a down.
 */
export function saTransitions(prev: ObservedSas, next: ObservedSas, facts: SaFacts, reasons: readonly Reason[]): SaTransition[] {
  const out: SaTransition[] = [];
  const upCause = facts.ikeInitiator === undefined ? EVENT_CAUSES.gateway : facts.ikeInitiator ? EVENT_CAUSES.gateway : EVENT_CAUSES.peer;
  const downCause = reasons.some((r) => r.code === 'peer_not_responding') ? EVENT_CAUSES.dpd : (reasons[0]?.code ?? EVENT_CAUSES.closed);
  if (!prev.ikeUp && next.ikeUp) out.push({ type: 'ike_sa_up', cause: upCause, details: { initiator: facts.ikeInitiator ?? null } });
  const before = Object.keys(prev.children);
  const after = Object.keys(next.children);
  const fresh = after.filter((id) => !(id in prev.children));
  if (before.length === 0 && after.length > 0) {
    out.push({ type: 'child_sa_up', cause: upCause, details: { child_sa_ids: after, spis: after.map((id) => next.children[id]) } });
  } else if (before.length > 0 && after.length === 0) {
    out.push({ type: 'child_sa_down', cause: downCause, details: { child_sa_ids: before } });
  } else if (fresh.length > 0) {
    out.push({
      type: 'child_sa_rekeyed',
      cause: EVENT_CAUSES.rekey,
      details: {
        old: before.filter((id) => !(id in next.children)).map((id) => ({ id, ...prev.children[id] })),
        new: fresh.map((id) => ({ id, ...next.children[id] })),
      },
    });
  }
  if (prev.ikeUp && !next.ikeUp) out.push({ type: 'ike_sa_down', cause: downCause, details: {} });
  return out;
}
