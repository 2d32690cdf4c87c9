import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { SYSTEM_ACTOR } from '../../control/index.js';
import { DomainError } from '../../domain/errors.js';
import { toHex32 } from '../../domain/ids.js';
import { acceptJsonBodies } from '../body-parsers.js';
import '../request-context.js';
import { authenticateHuawei } from './huawei-auth.js';
import { keepRawBody } from './huawei-raw-body.js';
import { formatSdkDate, signHuawei } from './huawei-signature.js';

/** What the /v5 plugin does with this file: keepRawBody, then authenticateHuawei in preValidation. */
async function tinyApp(t: TestServer): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(
    async (v5) => {
      acceptJsonBodies(v5);
      keepRawBody(v5);
      v5.decorateRequest('actor', null as never);
      v5.addHook('preValidation', async (req) => {
        req.actor = await authenticateHuawei(req, t.server.control);
      });
      v5.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
        const status = DomainError.is(err) && err.code === 'not_authorized' ? 401 : (err.statusCode ?? 500);
        return reply.code(status).send({ error_code: status === 401 ? 'VPN.0010' : 'other', error_msg: err.message });
      });
      const answer = async (req: { actor: unknown; body?: unknown }) => ({ actor: req.actor, body: req.body ?? null });
      v5.get('/:project_id/customer-gateways', answer);
      v5.post('/:project_id/customer-gateways', answer);
    },
    { prefix: '/v5' },
  );
  await app.ready();
  return app;
}

interface Key {
  ak: string;
  sk: string;
}

const HOST = '127.0.0.1:8080';
const SIGNED = ['content-type', 'host', 'x-project-id', 'x-sdk-date'];

/** Headers as the Huawei SDK sends them, signed with `key`. */
function signed(key: Key, method: string, url: string, project: string, body?: string, opts: { date?: string } = {}): Record<string, string> {
  const date = opts.date ?? formatSdkDate(Date.now());
  const headers = { 'content-type': 'application/json', host: HOST, 'x-project-id': project, 'x-sdk-date': date };
  const q = url.indexOf('?');
  const signature = signHuawei(
    {
      method,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers,
      signedHeaders: SIGNED,
      body: body === undefined ? undefined : Buffer.from(body),
      date,
    },
    key.sk,
  );
  return {
    ...headers,
    authorization: `SDK-HMAC-SHA256 Access=${key.ak}, SignedHeaders=${SIGNED.join(';')}, Signature=${signature}`,
    'user-agent': 'huaweicloud-sdk',
  };
}

describe('authenticateHuawei', () => {
  let t: TestServer;
  let app: FastifyInstance;
  let project: string;
  let accountId: string;
  let member: Key;
  let admin: Key;

  beforeAll(async () => {
    t = await startTestServer();
    app = await tinyApp(t);
    const cp = t.server.control;
    const { account } = await cp.accounts.create(SYSTEM_ACTOR, 'hwauth');
    accountId = account.id;
    project = toHex32(account.id);
    await cp.users.create(SYSTEM_ACTOR, { accountName: 'hwauth', name: 'hw-alice', password: 'pw-alice', isAdmin: false });
    await cp.users.create(SYSTEM_ACTOR, { accountName: 'hwauth', name: 'hw-root', password: 'pw-root', isAdmin: true });
    const m = await cp.accessKeys.create(SYSTEM_ACTOR, { name: 'hw-alice' });
    const a = await cp.accessKeys.create(SYSTEM_ACTOR, { name: 'hw-root' });
    member = { ak: m.key.accessKey, sk: m.secret };
    admin = { ak: a.key.accessKey, sk: a.secret };
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const url = () => `/v5/${project}/customer-gateways?limit=1&marker=2026-12-06T00:00:00.123Z`;
  const BODY = JSON.stringify({ customer_gateway: { name: 'cgw-1', id_value: '203.0.113.9', bgp_asn: 65000 } });

  it('accepts a signed GET and a signed POST; the actor is the key owner (admin for an admin user)', async () => {
    const get = await app.inject({ method: 'GET', url: url(), headers: signed(member, 'GET', url(), project) });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.json().actor).toEqual({ accountId, isAdmin: false });

    const path = `/v5/${project}/customer-gateways`;
    const post = await app.inject({ method: 'POST', url: path, payload: BODY, headers: signed(admin, 'POST', path, project, BODY) });
    expect(post.statusCode, post.body).toBe(200);
    expect(post.json()).toEqual({ actor: { accountId, isAdmin: true }, body: JSON.parse(BODY) });
  });

  it('accepts a signed POST over a real socket (the body stream is read once, parsed as JSON)', async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const path = `/v5/${project}/customer-gateways`;
    const realHost = new URL(base).host;
    // The signature covers Host: signed for 127.0.0.1:8080, the request reaches another host:port.
    const wrongHost = await fetch(`${base}${path}`, { method: 'POST', body: BODY, headers: signed(member, 'POST', path, project, BODY) });
    expect(wrongHost.status).toBe(401);
    const again = signed(member, 'POST', path, project, BODY);
    const sig = signHuawei(
      { method: 'POST', path, query: '', headers: { ...again, host: realHost }, signedHeaders: SIGNED, body: Buffer.from(BODY), date: again['x-sdk-date']! },
      member.sk,
    );
    const ok = await fetch(`${base}${path}`, {
      method: 'POST',
      body: BODY,
      headers: { ...again, authorization: `SDK-HMAC-SHA256 Access=${member.ak}, SignedHeaders=${SIGNED.join(';')}, Signature=${sig}` },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { body: unknown }).body).toEqual(JSON.parse(BODY));

    // A GET has no body: its payload hash is the empty string's.
    const list = `/v5/${project}/customer-gateways?limit=1`;
    const g = signed(member, 'GET', list, project);
    const gsig = signHuawei(
      { method: 'GET', path, query: 'limit=1', headers: { ...g, host: realHost }, signedHeaders: SIGNED, body: undefined, date: g['x-sdk-date']! },
      member.sk,
    );
    const get = await fetch(`${base}${list}`, {
      headers: { ...g, authorization: `SDK-HMAC-SHA256 Access=${member.ak}, SignedHeaders=${SIGNED.join(';')}, Signature=${gsig}` },
    });
    expect(get.status).toBe(200);
  });

  const refused = async (headers: Record<string, string>, message: RegExp, opts: { method?: 'GET' | 'POST'; payload?: string; url?: string } = {}) => {
    const r = await app.inject({
      method: opts.method ?? 'GET',
      url: opts.url ?? url(),
      headers,
      ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
    });
    expect(r.statusCode, r.body).toBe(401);
    expect(r.json().error_msg).toMatch(message);
    return r;
  };

  it('refuses a tampered body', async () => {
    const path = `/v5/${project}/customer-gateways`;
    await refused(signed(member, 'POST', path, project, BODY), /signature does not match/, {
      method: 'POST',
      url: path,
      payload: BODY.replace('203.0.113.9', '203.0.113.10'),
    });
  });

  it('refuses a tampered signed header, path or query', async () => {
    await refused({ ...signed(member, 'GET', url(), project), 'x-project-id': 'f'.repeat(32) }, /signature does not match/);
    await refused({ ...signed(member, 'GET', url(), project), host: '127.0.0.1:8081' }, /signature does not match/);
    await refused(signed(member, 'GET', url(), project), /signature does not match/, { url: url().replace('limit=1', 'limit=2') });
    await refused(signed(member, 'GET', url(), project), /signature does not match/, { url: url().replace(project, 'f'.repeat(32)) });
  });

  it('ignores unsigned headers (User-Agent, Accept)', async () => {
    const r = await app.inject({ method: 'GET', url: url(), headers: { ...signed(member, 'GET', url(), project), 'user-agent': 'x', accept: 'text/plain' } });
    expect(r.statusCode).toBe(200);
  });

  it('refuses a stale or future date (more than 15 minutes), a malformed date, none', async () => {
    await refused(signed(member, 'GET', url(), project, undefined, { date: formatSdkDate(Date.now() - 16 * 60_000) }), /more than 15 minutes/);
    await refused(signed(member, 'GET', url(), project, undefined, { date: formatSdkDate(Date.now() + 16 * 60_000) }), /more than 15 minutes/);
    const ok = await app.inject({
      method: 'GET',
      url: url(),
      headers: signed(member, 'GET', url(), project, undefined, { date: formatSdkDate(Date.now() - 10 * 60_000) }),
    });
    expect(ok.statusCode).toBe(200);
    await refused(signed(member, 'GET', url(), project, undefined, { date: '2026-12-06T00:00:00Z' }), /not a date/);
    const { ['x-sdk-date']: _drop, ...noDate } = signed(member, 'GET', url(), project);
    await refused(noDate, /X-Sdk-Date header/);
  });

  it('refuses an unknown AK, a wrong secret and a deleted key', async () => {
    await refused(signed({ ak: 'HPUAEXAMPLEAK0000001', sk: member.sk }, 'GET', url(), project), /access key 'HPUAEXAMPLEAK0000001' is not known/);
    await refused(signed({ ak: member.ak, sk: admin.sk }, 'GET', url(), project), /signature does not match/);
    const cp = t.server.control;
    const extra = await cp.accessKeys.create(SYSTEM_ACTOR, { name: 'hw-root' });
    const key = { ak: extra.key.accessKey, sk: extra.secret };
    expect((await app.inject({ method: 'GET', url: url(), headers: signed(key, 'GET', url(), project) })).statusCode).toBe(200);
    expect(await cp.accessKeys.remove(SYSTEM_ACTOR, key.ak)).toBe(true);
    await refused(signed(key, 'GET', url(), project), /is not known/);
  });

  it('refuses a malformed Authorization, no credentials, an unsigned date and temporary credentials', async () => {
    const good = signed(member, 'GET', url(), project);
    for (const bad of [
      'Bearer abc',
      `SDK-HMAC-SHA256 Access=${member.ak}, SignedHeaders=host`,
      good.authorization!.replace('SDK-HMAC-SHA256', 'SDK-HMAC-SHA1'),
      good.authorization!.replace(/Signature=\w+/, 'Signature=xyz'),
    ]) {
      await refused({ ...good, authorization: bad }, /Authorization header must be/);
    }
    await refused({}, /needs an X-Auth-Token header .* or an AK\/SK signature/);
    await refused({ ...good, authorization: good.authorization!.replace('x-sdk-date', 'x-other') }, /SignedHeaders must include x-sdk-date/);
    await refused({ ...good, authorization: good.authorization!.replace('x-sdk-date', 'x-sdk-date;constructor') }, /'constructor' is not in the request/);
    await refused({ ...good, 'x-security-token': 'tmp' }, /Temporary credentials/);
  });

  it('accepts a Keystone token as X-Auth-Token, refuses a bad one', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'hw-alice', password: 'pw-alice', domain: { name: 'Default' } } } },
          scope: { project: { id: project } },
        },
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const token = r.headers['x-subject-token'] as string;
    const ok = await app.inject({ method: 'GET', url: url(), headers: { 'x-auth-token': token } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().actor).toEqual({ accountId, isAdmin: false, name: 'hw-alice' });
    await refused({ 'x-auth-token': `${token}x` }, /signature is not valid/);
    const iam = await t.app.inject({
      method: 'POST',
      url: '/v3/auth/tokens',
      payload: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'hw-root', password: 'pw-root', domain: { name: 'Default' } } } },
          scope: { project: { name: 'hwauth' } },
        },
      },
    });
    expect(iam.statusCode, iam.body).toBe(201);
    const viaIam = await app.inject({ method: 'GET', url: url(), headers: { 'x-auth-token': iam.headers['x-subject-token'] as string } });
    expect(viaIam.json().actor).toEqual({ accountId, isAdmin: true, name: 'hw-root' });
    await refused({ 'x-auth-token': 'nonsense' }, /not a valid access token/);
  });
});
