import type { ConnectionEventType } from './connection-events.js';

/**
 * What the control plane, the agent and the data plane report to metrics. Defined here, below every
 * layer that calls it; the server implements it with prom-client (src/api/metrics-registry.ts), so
 * only that file knows the metrics library. Every method is optional to call: NO_TELEMETRY does nothing.
 */
export interface Telemetry {
  /** An event was recorded on a connection's timeline (SA transitions among them). */
  connectionEvent(type: ConnectionEventType): void;
  /** One reconcile of a gateway took this long; `ok` is whether it succeeded. */
  reconcileDuration(seconds: number, ok: boolean): void;
  /** Gateways waiting in the agent's queue. */
  queueDepth(n: number): void;
  /** A gateway's charon died and was started again. */
  charonRestart(gatewayId: string): void;
}

export const NO_TELEMETRY: Telemetry = Object.freeze({
  connectionEvent: () => undefined,
  reconcileDuration: () => undefined,
  queueDepth: () => undefined,
  charonRestart: () => undefined,
});

/** Who may read GET /metrics: nobody (404), loopback clients only, or holders of the metrics token. */
export const METRICS_ACCESS_MODES = ['off', 'local', 'token'] as const;
export type MetricsAccess = (typeof METRICS_ACCESS_MODES)[number];
export const METRICS_TOKEN_MIN_LENGTH = 16;
