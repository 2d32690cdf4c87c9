import { Agent, request } from 'node:http';
import { API_VERSION } from '../api/load-runner.js';

/**
 * Kept-alive sockets to the server. The requests go through node:http, not fetch: on these 2-core
 * machines undici's fetch cost the benchmark's own process about 2.2 ms of CPU per create, as much as
 * the server spent on it, and that CPU was taken from the server, the agent and the charons being timed.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** A small client for the server's IBM dialect: bearer token, version query, JSON in and out. */
export class IbmApi {
  private constructor(
    private readonly origin: string,
    private readonly token: string,
  ) {}

  /** Exchanges the admin API key for a bearer token. */
  static async login(origin: string, apiKey: string): Promise<IbmApi> {
    const r = await fetch(`${origin}/identity/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: apiKey }).toString(),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`POST /identity/token answered ${r.status}: ${text.slice(0, 300)}`);
    const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
    if (typeof token !== 'string') throw new Error('POST /identity/token: no access_token in the answer');
    return new IbmApi(origin, token);
  }

  /** One request under /v1; a non-2xx answer throws with the body. */
  call<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const sep = path.includes('?') ? '&' : '?';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise<T>((resolve, reject) => {
      const req = request(`${this.origin}/v1${path}${sep}version=${API_VERSION}&generation=2`, { method, headers, agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) reject(new Error(`${method} /v1${path} answered ${status}: ${text.slice(0, 400)}`));
          else resolve((text ? JSON.parse(text) : {}) as T);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} /v1${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** The fields of a connection the benchmark reads. */
export interface ConnectionView {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly status_reasons: readonly { code: string; message: string }[];
}

/** Every connection of a gateway, following `next` links. */
export async function listConnections(api: IbmApi, gatewayId: string): Promise<ConnectionView[]> {
  const out: ConnectionView[] = [];
  let start: string | null = null;
  do {
    const q: string = start ? `&start=${encodeURIComponent(start)}` : '';
    const page: { connections: ConnectionView[]; next?: { href: string } } = await api.call('GET', `/vpn_gateways/${gatewayId}/connections?limit=100${q}`);
    out.push(...page.connections);
    start = page.next ? new URL(page.next.href, 'http://x').searchParams.get('start') : null;
  } while (start);
  return out;
}
