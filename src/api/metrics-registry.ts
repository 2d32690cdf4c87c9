import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConnectionEventType, ControlPlane, Telemetry } from '../control/index.js';

/** The SA transitions among event types, as (sa, transition) labels. */
const SA_TRANSITIONS: Partial<Record<ConnectionEventType, readonly [string, string]>> = {
  ike_sa_up: ['ike', 'up'],
  ike_sa_down: ['ike', 'down'],
  child_sa_up: ['child', 'up'],
  child_sa_down: ['child', 'down'],
  child_sa_rekeyed: ['child', 'rekeyed'],
};

/**
 * The server's metrics, in a registry of its own (tests run many servers in one process, so never the
 * global default). Counters and histograms count what this process saw (requests, the transitions it
 * recorded, its agent's reconciles and charon restarts); connection gauges are read from the store at
 * scrape time through the control plane, so every server reports the same numbers. The one file that
 * knows prom-client: the lower layers call the Telemetry interface it implements.
 */
export class ServerMetrics implements Telemetry {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'causeway_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: 'causeway_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #transitions = new Counter({
    name: 'causeway_sa_transitions_total',
    help: 'IKE and CHILD SA transitions recorded on connection timelines (up, down, rekeyed).',
    labelNames: ['sa', 'transition'] as const,
    registers: [this.registry],
  });
  readonly #reconcile = new Histogram({
    name: 'causeway_agent_reconcile_duration_seconds',
    help: "The in-process agent's reconcile of one gateway, by result.",
    labelNames: ['result'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly #queue = new Gauge({ name: 'causeway_agent_queue_depth', help: "Gateways waiting in the in-process agent's queue.", registers: [this.registry] });
  readonly #restarts = new Counter({
    name: 'causeway_charon_restarts_total',
    help: "A gateway's charon died and was started again.",
    labelNames: ['gateway'] as const,
    registers: [this.registry],
  });

  #control: ControlPlane | undefined;

  /** The control plane the connection gauges read at scrape time (it is built with this as its telemetry, so it comes after). */
  readFrom(control: ControlPlane): void {
    this.#control = control;
  }

  constructor() {
    // No control plane (a standalone agent's metrics): the connection gauges are the server's to give, so they stay empty.
    const read = <T>(f: (c: ControlPlane) => Promise<T[]>): Promise<T[] | undefined> => (this.#control ? f(this.#control) : Promise.resolve(undefined));
    const connections = new Gauge({
      name: 'causeway_connections',
      help: 'Connections (not being deleted) by status.',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await read((c) => c.metrics.connectionStatuses());
        this.reset();
        if (!rows) return;
        for (const status of ['up', 'down'] as const)
          this.set(
            { status },
            rows.filter((r) => r.status === status).reduce((n, r) => n + r.count, 0),
          );
      },
    });
    const reasons = new Gauge({
      name: 'causeway_connection_status_reasons',
      help: 'Connections by status and the reason code the data plane reported.',
      labelNames: ['status', 'reason'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await read((c) => c.metrics.connectionStatuses());
        this.reset();
        if (!rows) return;
        const sums = new Map<string, { status: string; reason: string; n: number }>();
        for (const r of rows)
          for (const reason of new Set(r.reasons)) {
            const k = `${r.status} ${reason}`;
            sums.set(k, { status: r.status, reason, n: (sums.get(k)?.n ?? 0) + r.count });
          }
        for (const s of sums.values()) this.set({ status: s.status, reason: s.reason }, s.n);
      },
    });
    const traffic = (unit: 'bytes' | 'packets') =>
      new Gauge({
        name: `causeway_connection_${unit}`,
        help: `${unit === 'bytes' ? 'Bytes' : 'Packets'} through a connection's installed CHILD_SAs, by direction, at the last agent report (charon's counters; they restart with new SAs).`,
        labelNames: ['connection', 'gateway', 'direction'] as const,
        registers: [this.registry],
        async collect() {
          const rows = await read((c) => c.metrics.trafficCounters());
          this.reset();
          if (!rows) return;
          for (const r of rows) {
            const c = r.counters;
            this.set({ connection: r.id, gateway: r.gatewayId, direction: 'in' }, unit === 'bytes' ? c.bytesIn : c.packetsIn);
            this.set({ connection: r.id, gateway: r.gatewayId, direction: 'out' }, unit === 'bytes' ? c.bytesOut : c.packetsOut);
          }
        },
      });
    void [connections, reasons, traffic('bytes'), traffic('packets')];
  }

  /** One answered HTTP request. */
  request(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#requests.inc(labels);
    this.#latency.observe(labels, seconds);
  }

  connectionEvent(type: ConnectionEventType): void {
    const t = SA_TRANSITIONS[type];
    if (t) this.#transitions.inc({ sa: t[0], transition: t[1] });
  }

  reconcileDuration(seconds: number, ok: boolean): void {
    this.#reconcile.observe({ result: ok ? 'ok' : 'error' }, seconds);
  }

  queueDepth(n: number): void {
    this.#queue.set(n);
  }

  charonRestart(gatewayId: string): void {
    this.#restarts.inc({ gateway: gatewayId });
  }
}
