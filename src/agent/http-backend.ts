import type { Logger } from 'pino';
import type { AgentReport, GatewayPlan, ReleaseScope, SaFacts } from '../control/index.js';
import { parseCidr } from '../domain/cidr.js';
import type { AgentBackend, LabSettings } from './agent-backend.js';

/** SA facts as the agent API takes them (snake case; src/api/agent/agent-schema.ts). */
function saToWire(sa: SaFacts) {
  return {
    ike_state: sa.ikeState,
    ...(sa.ikeInitiator !== undefined ? { ike_initiator: sa.ikeInitiator } : {}),
    children: sa.children.map((c) => ({
      unique_id: c.uniqueId,
      state: c.state,
      ...(c.spiIn !== undefined ? { spi_in: c.spiIn } : {}),
      ...(c.spiOut !== undefined ? { spi_out: c.spiOut } : {}),
      bytes_in: c.bytesIn,
      bytes_out: c.bytesOut,
      packets_in: c.packetsIn,
      packets_out: c.packetsOut,
    })),
  };
}

export class AgentApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const RECONNECT_MS = 1_000;
/** The server sends a heartbeat every 15 s; a silent feed is taken as lost after this long. */
const FEED_SILENCE_MS = 40_000;

/**
 * The standalone agent's backend: the server's agent API (/agent/v1) with an agent key. The change
 * feed is a long-lived stream of JSON lines from the change log; a reconnect resumes after the last
 * generation seen, and the server says `resync` when it cannot (first connect, a log pruned past it),
 * so a missed change costs one resync, never a wrong state.
 */
export class HttpBackend implements AgentBackend {
  readonly #base: string;

  constructor(
    server: string,
    private readonly key: string,
    private readonly log?: Logger,
  ) {
    this.#base = `${server.replace(/\/+$/, '')}/agent/v1`;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.#base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      const text = await res.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {
        /* not JSON */
      }
      throw new AgentApiError(res.status, `${method} ${path}: ${res.status} ${message}`);
    }
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  /** The lab settings the server allocates from; checks the key on the way. */
  async labSettings(): Promise<LabSettings> {
    const c = await this.#call<{ public_pool: string; site_pool: string; lab_internet: string }>('GET', '/config');
    const gateways = parseCidr(c.public_pool);
    const sites = parseCidr(c.site_pool);
    if (!gateways.ok || !sites.ok) throw new AgentApiError(500, 'the server sent unreadable address pools');
    return { pools: { gateways: gateways.cidr, sites: sites.cidr }, internetNs: c.lab_internet };
  }

  async gatewayIds(): Promise<string[]> {
    return (await this.#call<{ gateways: string[] }>('GET', '/gateways')).gateways;
  }

  plan(gatewayId: string): Promise<GatewayPlan> {
    return this.#call<GatewayPlan>('GET', `/gateways/${encodeURIComponent(gatewayId)}/plan`);
  }

  async report(gatewayId: string, r: AgentReport): Promise<boolean> {
    const answer = await this.#call<{ applied?: boolean } | undefined>('POST', `/gateways/${encodeURIComponent(gatewayId)}/report`, {
      generation: r.generation,
      ...(r.gateway
        ? {
            gateway: {
              lifecycle_state: r.gateway.lifecycleState,
              health_state: r.gateway.healthState,
              reasons: r.gateway.reasons,
              ...(r.gateway.memberRoles ? { member_roles: r.gateway.memberRoles } : {}),
            },
          }
        : {}),
      ...(r.connections
        ? {
            connections: r.connections.map((c) => ({
              id: c.id,
              status: c.status,
              reasons: c.reasons,
              ...(c.sa ? { sa: saToWire(c.sa) } : {}),
              ...(c.tunnelsUp ? { tunnels_up: c.tunnelsUp } : {}),
            })),
          }
        : {}),
    });
    return answer?.applied === true;
  }

  async released(gatewayId: string, scope: ReleaseScope, generation: number): Promise<void> {
    await this.#call('POST', `/gateways/${encodeURIComponent(gatewayId)}/released?scope=${scope}&generation=${generation}`);
  }

  /** The last generation of the change log this agent has seen; a reconnect resumes after it. */
  #generation: number | undefined;

  watch(onChange: (gatewayIds: readonly string[] | 'all') => void): () => void {
    const stop = new AbortController();
    const loop = async (): Promise<void> => {
      while (!stop.signal.aborted) {
        try {
          await this.#follow(stop.signal, onChange);
        } catch (err) {
          if (stop.signal.aborted) return;
          this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'change feed lost; reconnecting');
        }
        await new Promise((ok) => setTimeout(ok, RECONNECT_MS).unref());
      }
    };
    void loop();
    return () => stop.abort();
  }

  async #follow(stopSignal: AbortSignal, onChange: (gatewayIds: readonly string[] | 'all') => void): Promise<void> {
    const silence = new AbortController();
    let timer = setTimeout(() => silence.abort(), FEED_SILENCE_MS);
    const since = this.#generation === undefined ? '' : `?since=${this.#generation}`;
    const res = await fetch(`${this.#base}/changes${since}`, {
      headers: { authorization: `Bearer ${this.key}` },
      signal: AbortSignal.any([stopSignal, silence.signal]),
    });
    if (!res.ok || !res.body) throw new AgentApiError(res.status, `GET /changes: ${res.status}`);
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => silence.abort(), FEED_SILENCE_MS);
        buffered += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          const msg = JSON.parse(line) as { generation?: number; resync?: boolean; gateway_ids?: string[] };
          if (typeof msg.generation === 'number') this.#generation = msg.generation;
          if (msg.resync) onChange('all');
          else if (msg.gateway_ids) onChange(msg.gateway_ids);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
