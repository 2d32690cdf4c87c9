import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { CONSOLE_CSP } from '../src/web/console-plugin.js';
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
