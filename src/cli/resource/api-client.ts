import { readProfile, writeProfile, type Profile } from './profile-store.js';

/** The API version date the CLI speaks (IBM's `version` query parameter). */
export const API_VERSION = '2026-06-02';
const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';

/** An error the server answered (or a server that could not be reached): exit 1, message and code on stderr. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Bad command-line input found after commander's own checks: exit 2. */
export class UsageError extends Error {}

export interface RequestOptions {
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Answer the body as text (peer_config). */
  readonly text?: boolean;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** The first error of an IBM envelope, an IAM error, or the bare status. */
function errorOf(status: number, text: string): ApiError {
  try {
    const j = JSON.parse(text) as { errors?: { code?: string; message?: string }[]; errorCode?: string; errorMessage?: string };
    const e = j.errors?.[0];
    if (e?.message) return new ApiError(e.message, e.code ?? `http_${status}`, status);
    if (j.errorMessage) return new ApiError(j.errorMessage, j.errorCode ?? `http_${status}`, status);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(`The server answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, `http_${status}`, status);
}

/**
 * The one way the resource commands reach the server: HTTP with a bearer token from the IAM token
 * endpoint. The token is cached in the profile (when the profile is the one in use) and fetched again
 * when it expires or the server answers 401.
 */
export class ApiClient {
  private token: string | undefined;
  private expiration = 0;

  private constructor(
    readonly url: string,
    private readonly apikey: string,
    private readonly profile: Profile | undefined,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    if (profile && profile.url === url && profile.apikey === apikey && profile.token) {
      this.token = profile.token;
      this.expiration = profile.expiration ?? 0;
    }
  }

  /**
   * CAUSEWAY_URL / CAUSEWAY_APIKEY win over the profile or stand in for it. The profile's API key goes
   * only to the profile's own server: CAUSEWAY_URL naming another server needs CAUSEWAY_APIKEY too.
   */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): ApiClient {
    const profile = readProfile(env);
    const url = (env['CAUSEWAY_URL'] || profile?.url)?.replace(/\/+$/, '');
    const sameServer = profile !== undefined && url === profile.url.replace(/\/+$/, '');
    const apikey = env['CAUSEWAY_APIKEY'] || (sameServer ? profile.apikey : undefined);
    if (url && !apikey && profile) {
      throw new UsageError(`CAUSEWAY_URL names ${url}, not the server of the profile (${profile.url}): set CAUSEWAY_APIKEY for it, or log in to it`);
    }
    if (!url || !apikey) {
      throw new UsageError('not logged in: run `causeway login --url URL --apikey-file FILE`, or set CAUSEWAY_URL and CAUSEWAY_APIKEY');
    }
    return new ApiClient(url, apikey, profile, env);
  }

  static forLogin(url: string, apikey: string, env: NodeJS.ProcessEnv = process.env): ApiClient {
    return new ApiClient(url.replace(/\/+$/, ''), apikey, undefined, env);
  }

  /** A fresh IAM token for the API key (refreshed a minute before it expires). */
  async accessToken(force = false): Promise<{ token: string; expiration: number }> {
    if (!force && this.token && this.expiration - 60 > Date.now() / 1000) return { token: this.token, expiration: this.expiration };
    const r = await this.fetch(`${this.url}/identity/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: APIKEY_GRANT, apikey: this.apikey }).toString(),
    });
    const text = await r.text();
    if (!r.ok) throw errorOf(r.status, text);
    const j = JSON.parse(text) as { access_token: string; expiration: number };
    this.token = j.access_token;
    this.expiration = j.expiration;
    this.saveToken();
    return { token: j.access_token, expiration: j.expiration };
  }

  private saveToken(): void {
    const p = this.profile ?? readProfile(this.env);
    if (!p || p.url !== this.url || p.apikey !== this.apikey || !this.token) return;
    writeProfile({ ...p, token: this.token, expiration: this.expiration }, this.env);
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(`cannot reach ${this.url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, 'connection_failed', 0);
    }
  }

  /** A call to the native API under /v1 (or an absolute href the server gave); version and generation are added. */
  async request<T = unknown>(method: string, path: string, o: RequestOptions = {}): Promise<ApiResponse<T>> {
    const u = new URL(path.startsWith('http') ? path : `${this.url}${path}`);
    // The token goes to this server only, whatever address an answer hands back.
    if (u.origin !== new URL(this.url).origin) throw new ApiError(`the server pointed at another address (${u.origin}); not following it`, 'foreign_href', 0);
    if (!u.searchParams.has('version')) u.searchParams.set('version', API_VERSION);
    if (!u.searchParams.has('generation')) u.searchParams.set('generation', '2');
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    const send = async (token: string) =>
      this.fetch(u.toString(), {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: o.text ? 'text/plain, application/json' : 'application/json',
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(o.headers ?? {}),
        },
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      });
    let r = await send((await this.accessToken()).token);
    if (r.status === 401) r = await send((await this.accessToken(true)).token);
    const text = await r.text();
    if (!r.ok) throw errorOf(r.status, text);
    const body = (o.text ? text : text ? (JSON.parse(text) as unknown) : undefined) as T;
    return { status: r.status, body, headers: r.headers };
  }

  async get<T = unknown>(path: string, query?: RequestOptions['query']): Promise<T> {
    return (await this.request<T>('GET', path, query ? { query } : {})).body;
  }

  /** Every item of a paged IBM collection, following the `start` token of each `next` link. */
  async list<T>(path: string, key: string, query: RequestOptions['query'] = {}): Promise<T[]> {
    const out: T[] = [];
    let start: string | undefined;
    do {
      const page: Record<string, unknown> = await this.get<Record<string, unknown>>(path, { limit: 100, ...query, start });
      out.push(...((page[key] as T[] | undefined) ?? []));
      const href = (page['next'] as { href?: string } | undefined)?.href;
      start = href ? (new URL(href, this.url).searchParams.get('start') ?? undefined) : undefined;
    } while (start);
    return out;
  }
}
