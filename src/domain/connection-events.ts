import type { Actor } from './tenancy.js';
import { textOf } from './text.js';

/**
 * What happened to a tunnel, in order: the event timeline of a connection. The types are written
 * here once; control records them, dialects render them.
 */
export const CONNECTION_EVENT_TYPES = [
  'created',
  'applied',
  'ike_sa_up',
  'ike_sa_down',
  'child_sa_up',
  'child_sa_rekeyed',
  'child_sa_down',
  'status_reason_raised',
  'status_reason_cleared',
  'configuration_changed',
  'reset',
  'member_failover',
  'tunnel_up',
  'tunnel_down',
] as const;
export type ConnectionEventType = (typeof CONNECTION_EVENT_TYPES)[number];

/** The human sentence of each type; `d` is the event's details. */
const MESSAGES: Record<ConnectionEventType, (d: Record<string, unknown>) => string> = {
  created: () => 'The connection was created.',
  applied: (d) => `The gateway's agent applied the connection's latest change (generation ${textOf(d['generation'] ?? '?')}).`,
  ike_sa_up: () => 'The IKE SA (phase 1) was established.',
  ike_sa_down: () => 'The IKE SA (phase 1) went down.',
  child_sa_up: () => 'A CHILD SA (phase 2) was installed: the tunnel carries traffic.',
  child_sa_rekeyed: () => 'The CHILD SA (phase 2) was rekeyed: new SPIs replaced the old ones.',
  child_sa_down: () => 'The last CHILD SA (phase 2) went away: the tunnel carries no traffic.',
  status_reason_raised: (d) => `Status reason ${textOf(d['code'])} was raised: ${textOf(d['message'])}`.trim(),
  status_reason_cleared: (d) => `Status reason ${textOf(d['code'])} was cleared.`,
  configuration_changed: (d) => `The configuration changed: ${Array.isArray(d['fields']) ? d['fields'].join(', ') : 'unknown fields'}.`,
  reset: () => 'A reset was requested: the tunnel is re-initiated with new SAs.',
  member_failover: (d) => `Gateway member ${textOf(d['member'])} became ${textOf(d['role'])}.`,
  tunnel_up: (d) => `The tunnel on gateway member ${textOf(d['member'])}${d['address'] ? ` (${textOf(d['address'])})` : ''} came up: it carries traffic.`,
  tunnel_down: (d) => `The tunnel on gateway member ${textOf(d['member'])}${d['address'] ? ` (${textOf(d['address'])})` : ''} went down.`,
};

export function eventMessage(type: ConnectionEventType, details: Record<string, unknown> = {}): string {
  return MESSAGES[type](details);
}

/** An event as recorded. */
export interface ConnectionEvent {
  readonly id: number;
  readonly accountId: string;
  readonly gatewayId: string;
  readonly connectionId: string;
  readonly createdAt: number;
  readonly type: ConnectionEventType;
  readonly message: string;
  readonly cause: string | null;
  readonly details: Record<string, unknown> | null;
}

/** An event to record (the store gives it its id). */
export type NewConnectionEvent = Omit<ConnectionEvent, 'id'>;

/** Who caused an API change, in words: the user (or account) and the dialect it spoke. */
export function causeOfActor(actor: Actor): string {
  const who = actor.name !== undefined ? `user ${actor.name}` : actor.isAdmin ? 'an administrator' : `account ${actor.accountId}`;
  return actor.via !== undefined ? `${who} via ${actor.via}` : who;
}

/** The causes the data plane gives (written once). */
export const EVENT_CAUSES = {
  agent: 'agent',
  peer: 'peer',
  gateway: 'gateway',
  rekey: 'rekey',
  dpd: 'dead peer detection',
  closed: 'closed by the peer or the gateway',
  applied: 'the change the agent applied',
} as const;

/** How long events are kept by default, and how many one connection keeps at most. */
export const DEFAULT_EVENT_RETENTION_DAYS = 30;
export const EVENTS_PER_CONNECTION = 1000;
