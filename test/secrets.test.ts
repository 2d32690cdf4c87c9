import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadSettings } from '../src/config/settings.js';
import { makeLogger, startServer } from '../src/cli/server.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

const PSK = 'Sup3r-Secret-PSK-4711';

describe('secrets', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it('pre-shared keys are encrypted at rest (AES-256-GCM); the key files and the database are owner-only (0600)', async () => {
    const t: TestServer = await startTestServer();
    cleanup.push(() => t.close());
    const { gateway } = await makeGateway(t);
    const c = (await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { body: policyConnection({ psk: PSK }) })).json();
    expect(c.psk).toBe(PSK); // IBM shows the key to its owner
    const row = await t.server.store.db.selectFrom('connections').select('psk_enc').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.psk_enc).toMatch(/^v1:/);
    expect(row.psk_enc).not.toContain(PSK);
    for (const f of readdirSync(t.dataDir)) {
      expect(readFileSync(join(t.dataDir, f)).includes(Buffer.from(PSK)), f).toBe(false);
    }
    for (const f of ['master.key', 'admin-api-key', 'causeway.db', 'causeway.db-wal']) expect(statSync(join(t.dataDir, f)).mode & 0o777, f).toBe(0o600);
  });

  it('keys never appear in the logs, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'cw-test-'));
    const server = await startServer(loadSettings({ dataDir, port: '0' }, {}), {}, { logger: makeLogger('trace', sink), listen: false });
    cleanup.push(async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    const tok = await server.app.inject({
      method: 'POST',
      url: '/identity/token',
      payload: { grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: adminKey },
    });
    const token = tok.json().access_token as string;
    const h = { authorization: `Bearer ${token}` };
    const q = '?version=2026-06-02';
    const vpc = (await server.app.inject({ method: 'POST', url: `/v1/vpcs${q}`, headers: h, payload: {} })).json();
    const sn = (
      await server.app.inject({ method: 'POST', url: `/v1/subnets${q}`, headers: h, payload: { vpc: { id: vpc.id }, ipv4_cidr_block: '10.240.0.0/24' } })
    ).json();
    const gw = (
      await server.app.inject({ method: 'POST', url: `/v1/vpn_gateways${q}`, headers: h, payload: { subnet: { id: sn.id }, mode: 'policy' } })
    ).json();
    const r = await server.app.inject({
      method: 'POST',
      url: `/v1/vpn_gateways/${gw.id}/connections${q}`,
      headers: h,
      payload: policyConnection({ psk: PSK }),
    });
    expect(r.statusCode).toBe(201);
    await server.app.inject({
      method: 'POST',
      url: `/v1/vpn_gateways/${gw.id}/connections${q}`,
      headers: h,
      payload: { ...policyConnection({ psk: PSK }), bogus: 1 },
    });
    // a key or token put in a URL by mistake is masked in the request log
    await server.app.inject({ method: 'POST', url: `/identity/token?grant_type=x&apikey=${adminKey}` });
    await server.app.inject({ method: 'GET', url: `/v1/vpcs?version=2026-06-02&access_token=${token}` });
    const log = lines.join('');
    expect(log).toContain('apikey=[redacted]');
    expect(log).toContain('created the admin account');
    expect(log).toContain('admin-api-key');
    expect(log).not.toContain(PSK);
    expect(log).not.toContain(adminKey);
    expect(log).not.toContain(token);
  });
});
