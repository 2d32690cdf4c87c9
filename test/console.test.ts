import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { PEER_CONFIG_FORMATS } from '../src/domain/peer-config-formats.js';
import { CONSOLE_CSP } from '../src/web/console-plugin.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

/** A signed-in console user: its cookie and CSRF token, and requests made with them. */
interface Browser {
  readonly cookie: string;
  readonly csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, form: Record<string, string>, csrf?: string): Promise<LightMyRequestResponse>;
}

async function signIn(t: TestServer, apikey: string): Promise<Browser> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/console/sign-in',
    payload: new URLSearchParams({ apikey }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(r.statusCode, r.body).toBe(303);
  const cookie = String(r.headers['set-cookie']).split(';')[0]!;
  const page = await t.app.inject({ method: 'GET', url: '/console/gateways', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const b: Browser = {
    cookie,
    csrf,
    get: (url) => t.app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, form, c = csrf) =>
      t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams({ _csrf: c, ...form }).toString(),
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      }),
  };
  return b;
}

describe('web console (HTTP)', () => {
  let t: TestServer;
  let a: Browser;
  let b: Browser;
  let bToken: string;
  let gwA: string;
  let connA: string;

  beforeAll(async () => {
    t = await startTestServer();
    const admin = readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim();
    a = await signIn(t, admin);
    const other = await t.server.control.accounts.create(SYSTEM_ACTOR, 'console-b');
    b = await signIn(t, other.apiKey);
    bToken = (await t.server.control.tokens.issue(other.apiKey))!.accessToken;
    const g = await makeGateway(t, { name: 'gw-a' });
    gwA = g.gateway.id;
    const c = await t.call('POST', `/v1/vpn_gateways/${gwA}/connections`, { body: policyConnection({ name: 'conn-a' }) });
    expect(c.statusCode, c.body).toBe(201);
    connA = c.json().id;
  });
  afterAll(() => t.close());

  it('serves every /console answer with the strict CSP, pages, assets, redirects and errors alike', async () => {
    const answers = [
      await t.app.inject({ method: 'GET', url: '/console/sign-in' }),
      await t.app.inject({ method: 'GET', url: '/console/gateways' }),
      await t.app.inject({ method: 'GET', url: '/console/assets/htmx.min.js' }),
      await t.app.inject({ method: 'GET', url: '/console/assets/console.css' }),
      await t.app.inject({ method: 'GET', url: '/console/nothing' }),
      await a.get('/console/gateways'),
      await a.get(`/console/gateways/${gwA}/connections/${connA}`),
    ];
    for (const r of answers) {
      expect(r.headers['content-security-policy'], r.body.slice(0, 80)).toBe(CONSOLE_CSP);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(CONSOLE_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(answers[2]!.headers['content-type']).toMatch(/javascript/);
    expect(answers[2]!.body).toContain('htmx');
  });

  it('pages carry no inline script, style attribute or hx-on handler', async () => {
    for (const url of [
      '/console/gateways',
      `/console/gateways/${gwA}/connections/${connA}`,
      '/console/gateways/new',
      '/console/policies',
      '/console/ike-policies/new',
    ]) {
      const r = await a.get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style|hx-on|\son[a-z]+=/i);
      expect(r.body).toContain('<a class="skip" href="#main">');
    }
  });

  it('refuses a wrong API key with a message next to the field, and sends the signed-out to sign in', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      payload: 'apikey=not-a-key',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.statusCode).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.body).toMatch(/<span class="field-error" id="apikey-error">This API key is not valid/);
    expect(r.body).toContain('aria-invalid="true"');
    expect(r.body).not.toContain('not-a-key');
    const out = await t.app.inject({ method: 'GET', url: '/console/gateways', headers: { cookie: 'cw_console=forged' } });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/console/sign-in');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/console; signing out clears it', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      payload: `apikey=${encodeURIComponent(readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim())}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(String(r.headers['set-cookie'])).toMatch(/^cw_console=[\w.-]+; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const out = await a.post('/console/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/^cw_console=; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=0/);
  });

  it('refuses a sign-in posted from another site', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      payload: `apikey=${encodeURIComponent(readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim())}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', host: 'localhost:80' },
    });
    expect(r.statusCode).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a POST without the session CSRF token', async () => {
    const r = await a.post('/console/gateways', { subnet: 'x', mode: 'policy' }, 'wrong');
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('not sent from this console session');
  });

  it('account B cannot see or touch A’s objects by URL', async () => {
    const base = `/console/gateways/${gwA}/connections/${connA}`;
    for (const url of [base, `${base}/events`, `${base}/peer-config?format=swanctl`, `/console/gateways/${gwA}/connections/new`]) {
      const r = await b.get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toContain('conn-a');
    }
    expect((await b.get('/console/gateways')).body).not.toContain('gw-a');
    const add = await b.post(`${base}/cidrs`, { side: 'local', local_cidr: '10.240.0.0/25' });
    expect(add.statusCode).toBe(404);
    const create = await b.post(`/console/gateways/${gwA}/connections`, {
      peer_address: '203.0.113.50',
      psk: 'secret-123',
      local_cidrs: '10.240.0.0/24',
      peer_cidrs: '192.168.9.0/24',
    });
    expect(create.statusCode).toBe(404);
    expect((await b.post(`${base}/delete`, {})).statusCode).toBe(404);
    expect((await b.post(`/console/gateways/${gwA}/delete`, {})).statusCode).toBe(404);
    const cidrs = (await t.call('GET', `/v1/vpn_gateways/${gwA}/connections/${connA}/local/cidrs`)).json().cidrs;
    expect(cidrs).toEqual(['10.240.0.0/24']);
    expect((await t.call('GET', `/v1/vpn_gateways/${gwA}/connections`, { token: bToken })).statusCode).toBe(404);
  });

  it('shows the API’s validation messages next to the field that caused them', async () => {
    const bad = await a.post(`/console/gateways/${gwA}/connections`, {
      name: 'c2',
      peer_address: '203.0.113.50',
      psk: 'secret-123',
      local_cidrs: '10.240.0.0/24',
      peer_cidrs: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="peer_cidrs-error">A policy-based connection needs at least one peer CIDR/);
    const cidr = await a.post(`/console/gateways/${gwA}/connections/${connA}/cidrs`, { side: 'peer', peer_cidr: '10.999.0.0/24' });
    expect(cidr.statusCode).toBe(400);
    expect(cidr.body).toMatch(/id="peer_cidr-error">[^<]*10\.999\.0\.0\/24/);
    const life = await a.post('/console/ike-policies', {
      name: 'p1',
      ike_version: '2',
      encryption: 'aes256',
      integrity: 'sha256',
      dh_group: '14',
      lifetime: '5',
    });
    expect(life.statusCode).toBe(400);
    expect(life.body).toMatch(/id="lifetime-error">The key lifetime must be/);
    const enc = await a.post('/console/ike-policies', { ike_version: '2', encryption: 'xyz', integrity: 'sha256', dh_group: '14', lifetime: '28800' });
    expect(enc.body).toMatch(/id="encryption-error">Choose an encryption algorithm/);
    const dh = await a.post('/console/ipsec-policies', { encryption: 'aes256', integrity: 'sha256', pfs: '99', lifetime: '3600' });
    expect(dh.body).toMatch(/id="pfs-error">Choose a PFS group/);
    const gone = await a.post('/console/gateways', { subnet: 'no-such-subnet', mode: 'policy' });
    expect(gone.statusCode).toBe(400);
    expect(gone.body).toMatch(/id="subnet-error">Subnet &#39;no-such-subnet&#39; was not found/);
    const noSubnet = await a.post('/console/gateways', { subnet: '', mode: 'policy' });
    expect(noSubnet.body).toMatch(/id="subnet-error">Choose a subnet/);
  });

  it('creates a gateway, policies and a connection; adds and removes a CIDR; downloads the peer configuration', async () => {
    const subnet = (await a.get('/console/gateways/new')).body.match(/<option value="([^"]+)"/)![1]!;
    const gw = await a.post('/console/gateways', { name: 'gw-console', subnet, mode: 'policy' });
    expect(gw.statusCode, gw.body).toBe(303);
    const list = await a.get('/console/gateways');
    expect(list.body).toContain('gw-console');
    expect(list.body).toMatch(/Member 1: <strong>active<\/strong>/);
    expect(list.body).toContain('sse-connect="/console/status-stream"');
    expect(
      (await a.post('/console/ike-policies', { name: 'ike-c', ike_version: '2', encryption: 'aes256', integrity: 'sha256', dh_group: '14', lifetime: '28800' }))
        .statusCode,
    ).toBe(303);
    expect(
      (await a.post('/console/ipsec-policies', { name: 'esp-c', encryption: 'aes256gcm16', integrity: 'none', pfs: '14', lifetime: '3600' })).statusCode,
    ).toBe(303);
    const policies = await a.get('/console/policies');
    expect(policies.body).toContain('ike-c');
    expect(policies.body).toContain('esp-c');
    const c = await a.post(`/console/gateways/${gwA}/connections`, {
      name: 'to-branch',
      peer_address: '203.0.113.60',
      psk: 'Console-psk-1',
      local_cidrs: '10.240.0.0/24',
      peer_cidrs: '192.168.60.0/24',
    });
    expect(c.statusCode, c.body).toBe(303);
    const detail = c.headers.location as string;
    expect((await a.get(detail)).body).toContain('No data plane is attached to this server');
    expect((await a.post(`${detail}/cidrs`, { side: 'peer', peer_cidr: '192.168.61.0/24' })).statusCode).toBe(303);
    expect((await a.get(detail)).body).toContain('192.168.61.0/24');
    expect((await a.post(`${detail}/cidrs/remove`, { side: 'peer', cidr: '192.168.61.0/24' })).statusCode).toBe(303);
    expect((await a.get(detail)).body).not.toContain('192.168.61.0/24');
    const conf = await a.get(`${detail}/peer-config?format=swanctl`);
    expect(conf.statusCode).toBe(200);
    expect(conf.headers['content-disposition']).toBe('attachment; filename="to-branch-swanctl.conf"');
    expect(conf.body).toContain(`secret = "0s${Buffer.from('Console-psk-1').toString('base64')}"`);
    expect((await a.get(`${detail}/peer-config?format=nope`)).statusCode).toBe(400);
    const page = (await a.get(detail)).body;
    for (const f of PEER_CONFIG_FORMATS) expect(page).toContain(`<option value="${f}"`);
    const libreswan = await a.get(`${detail}/peer-config?format=libreswan`);
    expect(libreswan.statusCode).toBe(200);
    expect(libreswan.headers['content-disposition']).toBe('attachment; filename="to-branch-libreswan.conf"');
    expect((await a.post(`${detail}/delete`, {})).statusCode).toBe(303);
    await expect.poll(async () => (await a.get(detail)).statusCode).toBe(404);
    const gwId = /id="gw-([0-9a-f-]{36})" aria-labelledby="gw-[0-9a-f-]{36}-name">\s*<h2[^>]*>gw-console</.exec(list.body)![1]!;
    expect((await a.post(`/console/gateways/${gwId}/delete`, {})).statusCode).toBe(303);
    await expect.poll(async () => (await a.get('/console/gateways')).body.includes('gw-console'), { timeout: 5_000 }).toBe(false);
  });

  it('makes a VPC with a subnet in one go; a bad CIDR leaves neither and says why next to the field', async () => {
    const vpcs = async () => (await t.call('GET', '/v1/vpcs')).json().vpcs.length;
    const n = await vpcs();
    const bad = await a.post('/console/vpcs', { vpc_name: 'vpc-console', subnet_cidr: '10.50.0.1/24' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="subnet_cidr-error">&#39;10\.50\.0\.1\/24&#39; has host bits set/);
    expect(await vpcs()).toBe(n);
    const ok = await a.post('/console/vpcs', { vpc_name: 'vpc-console', subnet_name: 'sn-console', subnet_cidr: '10.50.0.0/24' });
    expect(ok.statusCode, ok.body).toBe(303);
    expect(await vpcs()).toBe(n + 1);
    expect((await a.get('/console/gateways/new')).body).toMatch(/<optgroup label="VPC vpc-console">\s*<option value="[^"]+"\s*>sn-console \(10\.50\.0\.0\/24/);
  });

  it('shows the timeline, newest first', async () => {
    // A second event, so the order can be seen: the CIDR change must come above the creation.
    const add = await a.post(`/console/gateways/${gwA}/connections/${connA}/cidrs`, { side: 'peer', peer_cidr: '192.168.77.0/24' });
    expect(add.statusCode).toBeLessThan(400);
    const r = await a.get(`/console/gateways/${gwA}/connections/${connA}/events`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h1>Events of conn-a</h1>');
    expect(r.body).toMatch(/<strong>created<\/strong>[\s\S]*The connection was created\./);
    expect(r.body).toMatch(/<strong>configuration_changed<\/strong>[\s\S]*<strong>created<\/strong>/);
    await a.post(`/console/gateways/${gwA}/connections/${connA}/cidrs/remove`, { side: 'peer', peer_cidr: '192.168.77.0/24' });
  });

  it('escapes what users typed', async () => {
    const r = await a.post(`/console/gateways/${gwA}/connections`, {
      name: '<b>x</b>',
      peer_address: '<script>',
      psk: 'p-123456',
      local_cidrs: '10.240.0.0/24',
      peer_cidrs: '<i>',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toContain('<script>');
    expect(r.body).not.toContain('<i>');
  });
});
