import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/config/settings.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

const scrape = (t: TestServer, headers: Record<string, string> = {}, remoteAddress?: string) =>
  t.app.inject({ method: 'GET', url: '/metrics', headers, ...(remoteAddress ? { remoteAddress } : {}) });

/** The value of one sample line, by metric name and labels as printed. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('counts requests by route pattern and status, with latency histograms', async () => {
    const { gateway } = await makeGateway(t, { name: 'gw-metrics', cidr: '10.240.0.0/24' });
    for (let i = 0; i < 3; i++) expect((await t.call('GET', `/v1/vpn_gateways/${gateway.id}`)).statusCode).toBe(200);
    expect((await t.call('GET', '/v1/vpn_gateways/0000-not-there')).statusCode).toBe(404);
    await t.app.inject({ method: 'GET', url: '/no/such/path' });
    const r = await scrape(t);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = r.body;
    expect(sample(text, 'causeway_http_requests_total{method="GET",route="/v1/vpn_gateways/:id",status="200"}')).toBe(3);
    expect(sample(text, 'causeway_http_requests_total{method="GET",route="/v1/vpn_gateways/:id",status="404"}')).toBe(1);
    expect(sample(text, 'causeway_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'causeway_http_request_duration_seconds_count{method="GET",route="/v1/vpn_gateways/:id",status="200"}')).toBe(3);
    expect(text).toMatch(/^causeway_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/v1\/vpn_gateways\/:id",status="200"\} \d+$/m);
    expect(text).not.toContain(gateway.id.slice(0, 8) + '"'); // no raw URLs among the labels
  });

  it('shows connections by status and reason, SA transitions and per-connection traffic after a status change', async () => {
    const { gateway } = await makeGateway(t, { name: 'gw-metrics-2', cidr: '10.241.0.0/24' });
    const body = policyConnection({ name: 'c-metrics', local: { cidrs: ['10.241.0.0/24'] } });
    const c = (await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { body })).json();
    const before = await scrape(t);
    const downBefore = sample(before.body, 'causeway_connections{status="down"}')!;
    expect(sample(before.body, 'causeway_connections{status="up"}')).toBe(0);
    const report = async (status: 'up' | 'down', reasons: { code: string; message: string }[], children: number) =>
      t.server.control.agent.report(gateway.id, {
        generation: await t.server.control.changes.current(),
        connections: [
          {
            id: c.id,
            status,
            reasons,
            sa: {
              ikeState: children ? 'ESTABLISHED' : null,
              children: Array.from({ length: children }, (_, i) => ({
                uniqueId: String(i + 1),
                state: 'INSTALLED',
                bytesIn: 1000,
                bytesOut: 2000,
                packetsIn: 10,
                packetsOut: 20,
              })),
            },
          },
        ],
      });
    await report('up', [], 1);
    let text = (await scrape(t)).body;
    expect(sample(text, 'causeway_connections{status="up"}')).toBe(1);
    expect(sample(text, 'causeway_connections{status="down"}')).toBe(downBefore - 1);
    expect(sample(text, `causeway_connection_bytes{connection="${c.id}",gateway="${gateway.id}",direction="in"}`)).toBe(1000);
    expect(sample(text, `causeway_connection_bytes{connection="${c.id}",gateway="${gateway.id}",direction="out"}`)).toBe(2000);
    expect(sample(text, `causeway_connection_packets{connection="${c.id}",gateway="${gateway.id}",direction="out"}`)).toBe(20);
    expect(sample(text, 'causeway_sa_transitions_total{sa="ike",transition="up"}')).toBe(1);
    expect(sample(text, 'causeway_sa_transitions_total{sa="child",transition="up"}')).toBe(1);
    await report('down', [{ code: 'peer_not_responding', message: 'gone' }], 0);
    text = (await scrape(t)).body;
    expect(sample(text, 'causeway_connections{status="up"}')).toBe(0);
    expect(sample(text, 'causeway_connection_status_reasons{status="down",reason="peer_not_responding"}')).toBe(1);
    expect(sample(text, 'causeway_sa_transitions_total{sa="child",transition="down"}')).toBe(1);
    expect(sample(text, `causeway_connection_bytes{connection="${c.id}",gateway="${gateway.id}",direction="in"}`)).toBe(0);
  });

  it('local (the default): loopback clients only', async () => {
    expect((await scrape(t, {}, '127.0.0.5')).statusCode).toBe(200);
    expect((await scrape(t, {}, '::1')).statusCode).toBe(200);
    const far = await scrape(t, {}, '192.0.2.7');
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ errors: [{ code: 'forbidden' }], status_code: 403 });
    expect((await scrape(t, {}, '::ffff:192.0.2.7')).statusCode).toBe(403);
  });
});

describe('GET /metrics guard modes', () => {
  it('token: a bearer token, from anywhere; anything else is 401', async () => {
    const token = 'obs-metrics-token-0123456789';
    const t = await startTestServer({ metricsAccess: 'token', metricsToken: token });
    try {
      expect((await scrape(t, { authorization: `Bearer ${token}` }, '192.0.2.7')).statusCode).toBe(200);
      const wrong: Record<string, string>[] = [
        {},
        { authorization: `Bearer ${token}x` },
        { authorization: token },
        { authorization: `Bearer ${t.adminToken}` },
      ];
      for (const h of wrong) {
        const r = await scrape(t, h);
        expect(r.statusCode).toBe(401);
        expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    } finally {
      await t.close();
    }
  });

  it('off: 404 like any unknown path', async () => {
    const t = await startTestServer({ metricsAccess: 'off' });
    try {
      const r = await scrape(t);
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ errors: [{ code: 'not_found' }] });
    } finally {
      await t.close();
    }
  });

  it('settings: token mode needs a token of 16+ characters; unknown modes are refused', () => {
    expect(loadSettings({}, {}).metrics).toEqual({ access: 'local' });
    expect(() => loadSettings({ metricsAccess: 'token' }, {})).toThrow(/metrics\.token.*no token is set/);
    expect(() => loadSettings({ metricsAccess: 'token', metricsToken: 'short' }, {})).toThrow(/at least 16/);
    expect(() => loadSettings({ metricsAccess: 'public' }, {})).toThrow(/metrics\.access.*not one of off, local, token/);
    expect(loadSettings({}, { CAUSEWAY_METRICS_ACCESS: 'token', CAUSEWAY_METRICS_TOKEN: 'x'.repeat(16) }).metrics).toEqual({
      access: 'token',
      token: 'x'.repeat(16),
    });
    expect(loadSettings({}, { CAUSEWAY_EVENTS_RETENTION_DAYS: '7' }).eventRetentionDays).toBe(7);
    expect(() => loadSettings({ eventsRetentionDays: '0' }, {})).toThrow(/events\.retentionDays/);
  });
});
