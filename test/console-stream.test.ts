import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { CONSOLE_CSP } from '../src/web/console-plugin.js';
import { connectionStatus } from '../src/web/status-views.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

/** An open event stream: the text read so far, and a wait for more. */
interface Reader {
  readonly status: number;
  readonly headers: Headers;
  text(): string;
  until(pattern: RegExp, timeout?: number): Promise<string>;
  close(): void;
}

async function openStream(url: string, cookie: string): Promise<Reader> {
  const abort = new AbortController();
  const r = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
  let seen = '';
  const body = r.body!.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await body.read();
        if (done) return;
        seen += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: r.status,
    headers: r.headers,
    text: () => seen,
    async until(pattern, timeout = 5_000) {
      const t0 = Date.now();
      while (!pattern.test(seen)) {
        if (Date.now() - t0 > timeout) throw new Error(`no ${String(pattern)} in ${seen}`);
        await new Promise((res) => setTimeout(res, 20));
      }
      return seen;
    },
    close() {
      abort.abort();
      void pump;
    },
  };
}

async function signIn(t: TestServer, apikey: string): Promise<string> {
  const r = await fetch(`${t.server.url}/console/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ apikey }),
    redirect: 'manual',
  });
  expect(r.status).toBe(303);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

/** The status stream on a listening server: first every cell, then only what changed; one account's only. */
describe('web console: the live status stream', () => {
  let t: TestServer;
  let gw: string;
  let conn: string;

  beforeAll(async () => {
    t = await startTestServer({}, { listen: true });
    gw = (await makeGateway(t, { name: 'gw-stream' })).gateway.id;
    conn = (await t.call('POST', `/v1/vpn_gateways/${gw}/connections`, { body: policyConnection({ name: 'c-stream' }) })).json().id;
  });
  afterAll(() => t.close());

  it('sends every cell first, then a status change an agent reports (which records no change) within a poll', async () => {
    const cookie = await signIn(t, readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim());
    const s = await openStream(`${t.server.url}/console/status-stream`, cookie);
    try {
      expect(s.status).toBe(200);
      expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(s.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      await s.until(new RegExp(`event: conn-${conn}\ndata: <span class="status status-down"`));
      expect(s.text()).toContain(`event: gw-${gw}\n`);
      const before = s.text().length;
      const t0 = Date.now();
      const ok = await t.server.control.agent.report(gw, {
        generation: await t.server.control.changes.current(),
        connections: [{ id: conn, status: 'up', reasons: [] }],
      });
      expect(ok).toBe(true);
      await s.until(/data-status="up"/, 3_000);
      expect(Date.now() - t0).toBeLessThan(1_500);
      const after = s.text().slice(before);
      expect(after).toContain(`event: conn-${conn}\n`);
      expect(after).not.toContain(`event: gw-${gw}\n`);
    } finally {
      s.close();
    }
  });

  it('the light status read shows what the full view shows, and only the actor’s own', async () => {
    const c = t.server.control;
    const full = await c.connections.list(SYSTEM_ACTOR, {}, { limit: 1000, sort: 'created_at', desc: false });
    const light = await c.connections.statuses(SYSTEM_ACTOR);
    expect(light.map((v) => [v.connection.id, connectionStatus(v).toString()])).toEqual(
      full.items.map((v) => [v.connection.id, connectionStatus(v).toString()]),
    );
    const other = await c.accounts.create(SYSTEM_ACTOR, 'stream-light');
    expect(await c.connections.statuses({ accountId: other.account.id, isAdmin: false })).toEqual([]);
  });

  it('two streams of one account share one read per pass, light (no full list, no PSK opened)', async () => {
    const cookie = await signIn(t, readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim());
    const statuses = vi.spyOn(t.server.control.connections, 'statuses');
    const full = vi.spyOn(t.server.control.connections, 'list');
    const a = await openStream(`${t.server.url}/console/status-stream`, cookie);
    const b = await openStream(`${t.server.url}/console/status-stream`, cookie);
    try {
      await a.until(new RegExp(`event: conn-${conn}\n`));
      await b.until(new RegExp(`event: conn-${conn}\n`));
      statuses.mockClear();
      await new Promise((res) => setTimeout(res, 2_500));
      // One hub backing off from 500 ms to 1 s reads at most 4 times in 2.5 s; a loop per stream would read 8 to 10 times.
      expect(statuses.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(statuses.mock.calls.length).toBeLessThanOrEqual(4);
      expect(full).not.toHaveBeenCalled();
    } finally {
      a.close();
      b.close();
      statuses.mockRestore();
      full.mockRestore();
    }
  });

  it('refuses a fifth stream of one session with 429, and takes one again once a stream closes', async () => {
    const cookie = await signIn(t, readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim());
    const open = [];
    try {
      for (let i = 0; i < 4; i++) open.push(await openStream(`${t.server.url}/console/status-stream`, cookie));
      expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
      const fifth = await fetch(`${t.server.url}/console/status-stream`, { headers: { cookie, accept: 'text/event-stream' } });
      expect(fifth.status).toBe(429);
      expect(fifth.headers.get('retry-after')).toBe('10');
      expect(fifth.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(await fifth.text()).toBe('Too many open status streams.');
      // Another session has its own allowance.
      const key = (await t.server.control.accounts.create(SYSTEM_ACTOR, 'stream-cap')).apiKey;
      const other = await openStream(`${t.server.url}/console/status-stream`, await signIn(t, key));
      open.push(other);
      expect(other.status).toBe(200);
      open.shift()!.close();
      await expect
        .poll(async () => {
          const s = await openStream(`${t.server.url}/console/status-stream`, cookie);
          open.push(s);
          return s.status;
        })
        .toBe(200);
    } finally {
      for (const s of open) s.close();
    }
  });

  it('another account’s stream carries none of these objects; a signed-out one is refused', async () => {
    const other = await t.server.control.accounts.create(SYSTEM_ACTOR, 'stream-b');
    const s = await openStream(`${t.server.url}/console/status-stream`, await signIn(t, other.apiKey));
    try {
      await s.until(/: causeway status/);
      await new Promise((res) => setTimeout(res, 700));
      expect(s.text()).not.toContain(gw);
      expect(s.text()).not.toContain(conn);
    } finally {
      s.close();
    }
    const out = await fetch(`${t.server.url}/console/status-stream`, { headers: { accept: 'text/event-stream' } });
    expect(out.status).toBe(401);
  });
});
