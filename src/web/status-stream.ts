import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../control/index.js';
import type { Actor } from '../domain/tenancy.js';
import { connectionEvent, connectionStatus, gatewayEvent, gatewayStatus } from './status-views.js';

/** How often an open stream re-reads its account's statuses: agents' status writes record no change to wake it. */
export const STATUS_POLL_MS = 500;
const KEEPALIVE_MS = 15_000;
const ALL = { limit: 1000, sort: 'created_at', desc: false } as const;

/** One `text/event-stream` message: the event name, and HTML data over as many `data:` lines as it has. */
export function sseMessage(event: string, data: string): string {
  return `event: ${event}\n${data
    .split('\n')
    .map((l) => `data: ${l}`)
    .join('\n')}\n\n`;
}

interface Stream {
  readonly raw: ServerResponse;
  wake(): void;
  end(): void;
}

/**
 * The live status pushed to console pages. Each open stream has its own loop: every STATUS_POLL_MS,
 * and at once when a commit of this process wakes the change log's followers, it reads the account's
 * gateways and connections through control as its actor and sends only the cells that changed
 * (all of them the first time). Several servers on one database work too: the loop reads the store.
 */
export class StatusStreams {
  readonly #control: ControlPlane;
  readonly #open = new Set<Stream>();
  #unfollow: (() => void) | undefined;

  constructor(control: ControlPlane) {
    this.#control = control;
  }

  /** Takes the request over: answers with an event stream until the browser leaves, the token fails or the server closes. */
  async open(req: FastifyRequest, reply: FastifyReply, headers: Readonly<Record<string, string>>): Promise<void> {
    const token = req.console!.token;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    raw.write(': causeway status\n\n');
    const sent = new Map<string, string>();
    let busy = false;
    let again = false;
    let closed = false;
    const tick = async (): Promise<void> => {
      if (closed) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        const actor: Actor = await this.#control.tokens.verify(token);
        const [gws, conns] = await Promise.all([this.#control.gateways.list(actor, {}, ALL), this.#control.connections.list(actor, {}, ALL)]);
        let out = '';
        const push = (event: string, data: string): void => {
          if (sent.get(event) === data) return;
          sent.set(event, data);
          out += sseMessage(event, data);
        };
        for (const g of gws.items) push(gatewayEvent(g.gateway.id), gatewayStatus(g.gateway).toString());
        for (const c of conns.items) push(connectionEvent(c.connection.id), connectionStatus(c).toString());
        if (out && !closed) raw.write(out);
      } catch {
        stream.end();
      } finally {
        busy = false;
      }
      if (again && !closed) {
        again = false;
        void tick();
      }
    };
    const timer = setInterval(() => void tick(), STATUS_POLL_MS);
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    const stream: Stream = {
      raw,
      wake: () => void tick(),
      end: () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        clearInterval(keepalive);
        this.#open.delete(stream);
        if (this.#open.size === 0) this.#stopFollowing();
        // An event stream is never followed by another request on its connection: let it go.
        raw.end(() => raw.destroy());
      },
    };
    raw.on('close', () => stream.end());
    this.#open.add(stream);
    if (this.#open.size === 1) await this.#follow();
    await tick();
  }

  closeAll(): void {
    for (const s of [...this.#open]) s.end();
    this.#stopFollowing();
  }

  /** Commits of this process (and, polled, of others) wake every stream at once. */
  async #follow(): Promise<void> {
    if (this.#unfollow) return;
    const from = await this.#control.changes.current();
    if (this.#unfollow || this.#open.size === 0) return;
    this.#unfollow = this.#control.changes.follow(from, () => {
      for (const s of this.#open) s.wake();
    });
  }

  #stopFollowing(): void {
    this.#unfollow?.();
    this.#unfollow = undefined;
  }
}
