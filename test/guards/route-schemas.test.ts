import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../harness.js';

/**
 * The dialect template: every route of every dialect declares TypeBox schemas. A response schema for
 * each answer (it also serializes: an allow-list of fields), a body schema wherever a body is taken,
 * and /openapi.json documents every route that is not an internal document.
 */
describe('route schemas', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'remote' });
  });
  afterAll(() => t.close());

  const routes = () => t.app.routeTable.filter((r) => r.method !== 'HEAD');
  const label = (r: { method: string | string[]; url: string }) => `${String(r.method)} ${r.url}`;

  it('covers every dialect (the table is complete)', () => {
    const urls = routes().map((r) => r.url);
    for (const prefix of ['/v1/', '/v2.0/', '/v5/', '/v3/auth/tokens', '/cloudca/v1/', '/identity/v3/', '/identity/token', '/agent/v1/'])
      expect(
        urls.some((u) => u.startsWith(prefix)),
        prefix,
      ).toBe(true);
    expect(routes().length).toBeGreaterThanOrEqual(150);
  });

  it('every route has a response schema with a success answer', () => {
    const missing = routes().filter((r) => {
      const res = (r.schema as { response?: Record<string, unknown> } | undefined)?.response;
      return !res || !Object.keys(res).some((k) => /^(2\d\d|2xx|default)$/.test(k));
    });
    expect(missing.map(label)).toEqual([]);
  });

  it('every route that takes a body declares it', () => {
    const bodyless = (r: { config?: unknown }) => (r.config as { bodyless?: boolean } | undefined)?.bodyless === true;
    const missing = routes().filter((r) => ['POST', 'PUT', 'PATCH'].includes(String(r.method)) && !r.schema?.body && !bodyless(r));
    expect(missing.map(label)).toEqual([]);
  });

  it('/openapi.json documents every route with its request and response schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown }>>;
    };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`)),
    );
    const internal = (url: string) => url === '/openapi.json' || url.startsWith('/docs') || url.startsWith('/console');
    const undocumented = routes().filter((r) => !internal(r.url) && !documented.has(`${String(r.method)} ${r.url}`));
    expect(undocumented.map(label)).toEqual([]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses, `${method} ${path}`).toBeDefined();
        const route = routes().find((r) => String(r.method).toLowerCase() === method && r.url === path.replace(/\{([^}]+)\}/g, ':$1'));
        const bodyless = route?.config?.bodyless === true;
        if (['post', 'put', 'patch'].includes(method) && !bodyless) expect(op.requestBody, `${method} ${path}`).toBeDefined();
      }
    }
  });
});
