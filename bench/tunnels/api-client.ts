import { API_VERSION } from '../api/load-runner.js';

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
  async call<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const sep = path.includes('?') ? '&' : '?';
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const r = await fetch(`${this.origin}/v1${path}${sep}version=${API_VERSION}&generation=2`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    if (r.status < 200 || r.status > 299) throw new Error(`${method} /v1${path} answered ${r.status}: ${text.slice(0, 400)}`);
    return (text ? JSON.parse(text) : {}) as T;
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
