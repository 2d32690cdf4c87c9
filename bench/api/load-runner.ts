import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export const API_VERSION = '2026-06-02';

/** One HTTP request of a benchmark operation. `path` is under /v1 and without the version query, unless `absolute` (another dialect's path, sent as is). */
export interface ApiCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly absolute?: boolean;
  /** A dialect's own credentials (Huawei's X-Auth-Token, cloud.ca's MC-Api-Key) instead of the bearer token. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiResponse {
  readonly status: number;
  readonly text: string;
}

export interface RequestError {
  readonly op: string;
  readonly request: string;
  readonly status: number | 'network';
  readonly detail: string;
}

/** Keep-alive HTTP client for the IBM API of one server, bearer token included. */
export class ApiClient {
  readonly #pool: Pool;
  readonly #token: string;

  constructor(origin: string, token: string, connections: number) {
    this.#pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    this.#token = token;
  }

  async send(call: ApiCall): Promise<ApiResponse> {
    const sep = call.path.includes('?') ? '&' : '?';
    const headers: Record<string, string> = call.headers
      ? { ...call.headers, accept: 'application/json' }
      : { authorization: `Bearer ${this.#token}`, accept: 'application/json' };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const r = await this.#pool.request({
      method: call.method,
      path: call.absolute ? call.path : `/v1${call.path}${sep}version=${API_VERSION}&generation=2`,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    return { status: r.statusCode, text: await r.body.text() };
  }

  /** The bearer token (a dialect that takes the same token in its own header sends it there). */
  get token(): string {
    return this.#token;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

export interface OpResult {
  readonly op: string;
  readonly clients: number;
  /** Requests actually sent; fewer than planned when the time budget ran out. */
  readonly requests: number;
  readonly planned: number;
  readonly errors: number;
  readonly elapsedMs: number;
  /** Per-request latency in milliseconds, sorted ascending (successful and failed requests alike). */
  readonly latencies: Float64Array;
  /** With `OpSpec.partOf`: the latencies of each part, sorted ascending. */
  readonly parts?: ReadonlyMap<string, Float64Array>;
}

export interface OpSpec {
  readonly op: string;
  readonly count: number;
  readonly clients: number;
  /** No new request starts after this many milliseconds (requests in flight finish). */
  readonly budgetMs: number;
  /** The i-th request (0 ≤ i < count). */
  call(i: number): ApiCall;
  /** Called for each 2xx answer, outside the timed region (e.g. to collect created ids). */
  onOk?(i: number, text: string): void;
  /** Names the part request i belongs to, when one operation interleaves several kinds of request. */
  readonly partOf?: (i: number) => string;
}

/** Counts failed requests by operation and status, keeping the first answer of each kind as a sample. */
export class ErrorLog {
  readonly #kinds = new Map<string, { sample: RequestError; count: number }>();
  total = 0;

  add(e: RequestError): void {
    this.total++;
    const key = `${e.op}|${e.status}`;
    const k = this.#kinds.get(key);
    if (k) k.count++;
    else this.#kinds.set(key, { sample: e, count: 1 });
  }

  /** One entry per (operation, status), in order of first occurrence. */
  kinds(): { sample: RequestError; count: number }[] {
    return [...this.#kinds.values()];
  }
}

/**
 * Runs `count` requests over `clients` in-flight workers (each worker sends its next request when the
 * previous one has answered), stopping early when the time budget runs out. Any status outside 2xx,
 * and any network failure, counts as an error.
 */
export async function runOp(client: ApiClient, spec: OpSpec, errors: ErrorLog): Promise<OpResult> {
  const all = new Float64Array(spec.count);
  let next = 0;
  let failed = 0;
  let deadline = Number.POSITIVE_INFINITY;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (performance.now() > deadline) return;
      const i = next++;
      if (i >= spec.count) return;
      const call = spec.call(i);
      const t0 = performance.now();
      let res: ApiResponse | undefined;
      let networkError: unknown;
      try {
        res = await client.send(call);
      } catch (e) {
        networkError = e;
      }
      all[i] = performance.now() - t0;
      const request = `${call.method} ${call.path}`;
      if (!res) {
        failed++;
        errors.add({ op: spec.op, request, status: 'network', detail: networkError instanceof Error ? networkError.message : String(networkError) });
      } else if (res.status < 200 || res.status > 299) {
        failed++;
        errors.add({ op: spec.op, request, status: res.status, detail: res.text.slice(0, 400) });
      } else {
        spec.onOk?.(i, res.text);
      }
    }
  };
  const start = performance.now();
  deadline = start + spec.budgetMs;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(spec.clients, spec.count)) }, worker));
  const elapsedMs = performance.now() - start;
  const requests = Math.min(next, spec.count);
  const latencies = all.slice(0, requests).sort();
  const partOf = spec.partOf;
  const parts = partOf
    ? new Map(
        [...new Set(Array.from({ length: requests }, (_, i) => partOf(i)))].map((name) => [
          name,
          Float64Array.from(Array.from(all.slice(0, requests)).filter((_, i) => partOf(i) === name)).sort(),
        ]),
      )
    : undefined;
  return { op: spec.op, clients: spec.clients, requests, planned: spec.count, errors: failed, elapsedMs, latencies, ...(parts ? { parts } : {}) };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}
