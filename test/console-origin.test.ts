import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

/** A sign-in POST with these headers: 303 when the Origin check lets it through, 403 when not. */
async function signInWith(t: TestServer, headers: Record<string, string>): Promise<number> {
  const apikey = readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim();
  const r = await t.app.inject({
    method: 'POST',
    url: '/console/sign-in',
    payload: new URLSearchParams({ apikey }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  return r.statusCode;
}

describe('web console: the Origin of a POST is compared whole (scheme, host and port)', () => {
  let plain: TestServer;
  let proxied: TestServer;

  beforeAll(async () => {
    plain = await startTestServer();
    proxied = await startTestServer({ publicUrl: 'https://vpn.example.com/base' });
  });
  afterAll(async () => {
    await plain.close();
    await proxied.close();
  });

  it('with no public URL configured: the request’s own scheme and Host', async () => {
    expect(await signInWith(plain, { host: 'localhost:80', origin: 'http://localhost:80' })).toBe(303);
    expect(await signInWith(plain, { host: 'localhost:8080', origin: 'http://localhost:8080' })).toBe(303);
    expect(await signInWith(plain, { host: 'localhost:80', origin: 'https://localhost:80' })).toBe(403);
    expect(await signInWith(plain, { host: 'localhost:80', origin: 'http://localhost:81' })).toBe(403);
    expect(await signInWith(plain, { host: 'localhost:80', origin: 'http://evil.example' })).toBe(403);
    expect(await signInWith(plain, { host: 'localhost:80', origin: 'null' })).toBe(403);
    expect(await signInWith(plain, { host: 'localhost:80' })).toBe(303);
  });

  it('with a public URL configured: its origin, whatever Host a proxy sends', async () => {
    expect(await signInWith(proxied, { host: '127.0.0.1:8080', origin: 'https://vpn.example.com' })).toBe(303);
    expect(await signInWith(proxied, { host: 'vpn.example.com', origin: 'https://vpn.example.com' })).toBe(303);
    expect(await signInWith(proxied, { host: 'vpn.example.com', origin: 'http://vpn.example.com' })).toBe(403);
    expect(await signInWith(proxied, { host: 'vpn.example.com', origin: 'https://vpn.example.com:8443' })).toBe(403);
    expect(await signInWith(proxied, { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' })).toBe(403);
  });
});
