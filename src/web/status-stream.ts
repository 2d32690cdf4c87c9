import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../control/index.js';
import type { Actor } from '../domain/tenancy.js';
import { hubKey, StatusHub, type StatusHubDeps, type StatusSnapshot, type StatusSubscriber } from './status-hub.js';
import { connectionEvent, connectionStatus, gatewayEvent, gatewayStatus } from './status-views.js';

export { STATUS_POLL_MAX_MS, STATUS_POLL_MS } from './status-hub.js';
const KEEPALIVE_MS = 15_000;
const ALL = { limit: 1000, sort: 'created_at', desc: false } as const;

/** How many status streams may be open at once: per session token (a few tabs), and per server. */
export interface StreamLimits {
  readonly perToken: number;
  readonly perServer: number;
}
export const STREAM_LIMITS: StreamLimits = { perToken: 4, perServer: 200 };

/** One `text/event-stream` message: the event name, and HTML data over as many `data:` lines as it has (a browser ends a line at CR, LF or CRLF). */
export function sseMessage(event: string, data: string): string {
  return `event: ${event}\n${data
    .split(/\r\n|\r|\n/)
    .map((l) => `data: ${l}`)
    .join('\n')}\n\n`;
}

/** One read of the actor's live cells through control: gateways, and connections' light statuses (no PSK opened). */
export function statusReader(control: ControlPlane): StatusHubDeps {
  return {
    verify: (token) => control.tokens.verify(token),
    async read(actor: Actor): Promise<StatusSnapshot> {
      const [gws, conns] = await Promise.all([control.gateways.list(actor, {}, ALL), control.connections.statuses(actor)]);
      const out = new Map<string, string>();
      for (const g of gws.items) out.set(gatewayEvent(g.gateway.id), gatewayStatus(g.gateway).toString());
      for (const c of conns) out.set(connectionEvent(c.connection.id), connectionStatus(c).toString());
      return out;
    },
  };
}

/**
 * The live status pushed to console pages. Open streams subscribe to their account's hub
 * (status-hub.ts), which reads once per pass for all of them; each stream sends only the cells that
 * changed since it last sent (all of them the first time). Commits of this process wake the hubs;
 * agents' status writes record no change, so the hubs also poll the store (other servers' too).
 */
export class StatusStreams {
  readonly #deps: StatusHubDeps;
  readonly #control: ControlPlane;
  readonly #limits: StreamLimits;
  readonly #hubs = new Map<string, StatusHub>();
  readonly #perToken = new Map<string, number>();
  #open = 0;
  readonly #subs = new Set<StatusSubscriber>();
  #unfollow: (() => void) | undefined;

  constructor(control: ControlPlane, limits: StreamLimits = STREAM_LIMITS, deps: StatusHubDeps = statusReader(control)) {
    this.#control = control;
    this.#limits = limits;
    this.#deps = deps;
  }

  /** Takes the request over: answers with an event stream until the browser leaves, the token fails or the server closes. */
  async open(req: FastifyRequest, reply: FastifyReply, headers: Readonly<Record<string, string>>): Promise<void> {
    const { token, actor } = req.console!;
    const mine = this.#perToken.get(token) ?? 0;
    if (mine >= this.#limits.perToken || this.#open >= this.#limits.perServer) {
      // EventSource gives up on a non-200 answer; htmx's SSE extension retries later, backing off.
      return void reply.code(429).header('retry-after', '10').type('text/plain; charset=utf-8').send('Too many open status streams.');
    }
    this.#perToken.set(token, mine + 1);
    this.#open++;
    reply.hijack();
    const raw: ServerResponse = reply.raw;
    raw.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    raw.write(': causeway status\n\n');
    const key = hubKey(actor);
    const hub = this.#hubs.get(key) ?? new StatusHub(this.#deps, key);
    this.#hubs.set(key, hub);
    const sent = new Map<string, string>();
    let closed = false;
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    const sub: StatusSubscriber = {
      token,
      deliver: (snapshot) => {
        let out = '';
        for (const [event, data] of snapshot) {
          if (sent.get(event) === data) continue;
          sent.set(event, data);
          out += sseMessage(event, data);
        }
        if (out && !closed) raw.write(out);
      },
      end: () => {
        if (closed) return;
        closed = true;
        clearInterval(keepalive);
        this.#subs.delete(sub);
        hub.leave(sub);
        if (hub.size === 0 && this.#hubs.get(key) === hub) this.#hubs.delete(key);
        const left = (this.#perToken.get(token) ?? 1) - 1;
        if (left > 0) this.#perToken.set(token, left);
        else this.#perToken.delete(token);
        this.#open--;
        if (this.#open === 0) this.#stopFollowing();
        // An event stream is never followed by another request on its connection: let it go.
        raw.end(() => raw.destroy());
      },
    };
    this.#subs.add(sub);
    raw.on('close', () => sub.end());
    if (this.#open === 1) await this.#follow();
    if (!closed) await hub.join(sub);
  }

  closeAll(): void {
    for (const s of [...this.#subs]) s.end();
    this.#stopFollowing();
  }

  /** Commits of this process (and, polled, of others) wake every hub at once. */
  async #follow(): Promise<void> {
    if (this.#unfollow) return;
    const from = await this.#control.changes.current();
    if (this.#unfollow || this.#open === 0) return;
    this.#unfollow = this.#control.changes.follow(from, () => {
      for (const h of this.#hubs.values()) void h.wake();
    });
  }

  #stopFollowing(): void {
    this.#unfollow?.();
    this.#unfollow = undefined;
  }
}
