import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { startTestServer, type TestServer } from './harness.js';

const BIN = resolve(__dirname, '..', 'bin', 'causeway');
const AUTH_REQUIRED = { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } };
const KEYSTONE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const hex = (id: string): string => id.replace(/-/g, '');

/** The body OSC sends for OS_USERNAME / OS_PROJECT_NAME with Default domains. */
const byName = (user: string, password: string, project?: string) => ({
  auth: {
    identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } },
    ...(project ? { scope: { project: { name: project, domain: { name: 'Default' } } } } : {}),
  },
});

describe('Keystone v3 subset', () => {
  let t: TestServer;
  let base: string;
  let alice: { userId: string; accountId: string };
  let root: { userId: string };
  const accountIds = new Map<string, string>();
  const tokens = (payload: unknown, url = '/identity/v3/auth/tokens', headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    t.app.inject({ method: 'POST', url, headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  const subject = (r: LightMyRequestResponse): string => String(r.headers['x-subject-token']);

  beforeAll(async () => {
    t = await startTestServer();
    base = t.server.url;
    const control = t.server.control;
    await t.account('acme');
    await t.account('globex');
    for (const a of await control.accounts.list(SYSTEM_ACTOR)) accountIds.set(a.name, a.id);
    const a = await control.users.create(SYSTEM_ACTOR, { accountName: 'acme', name: 'alice', password: 's3cret', isAdmin: false });
    alice = { userId: a.user.id, accountId: a.account.id };
    await control.users.create(SYSTEM_ACTOR, { accountName: 'globex', name: 'bob', password: 'hunter2', isAdmin: false });
    root = { userId: (await control.users.create(SYSTEM_ACTOR, { accountName: 'admin', name: 'root', password: 'r00t', isAdmin: true })).user.id };
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves version discovery at /identity (300, list) and /identity/v3 (200, one version)', async () => {
    for (const url of ['/identity', '/identity/']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(300);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const v = r.json().versions.values;
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: `${base}/identity/v3/` }] });
    }
    for (const url of ['/identity/v3', '/identity/v3/']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.json().version).toMatchObject({ id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: `${base}/identity/v3/` }] });
      expect(r.json().version['media-types'][0].type).toBe('application/vnd.openstack.identity-v3+json');
    }
  });

  it('issues a token for a password by user and project names in Default, with the full Keystone body', async () => {
    const r = await tokens(byName('alice', 's3cret', 'acme'));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(subject(r)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const tok = r.json().token;
    expect(tok.methods).toEqual(['password']);
    expect(tok.user).toEqual({ id: hex(alice.userId), name: 'alice', domain: { id: 'default', name: 'Default' }, password_expires_at: null });
    expect(tok.project).toEqual({ id: hex(alice.accountId), name: 'acme', domain: { id: 'default', name: 'Default' } });
    expect(tok.expires_at).toMatch(KEYSTONE_TIME);
    expect(tok.issued_at).toMatch(KEYSTONE_TIME);
    expect(Date.parse(tok.expires_at) - Date.parse(tok.issued_at)).toBe(3600_000);
    expect(tok.audit_ids).toHaveLength(1);
    expect(tok.is_domain).toBe(false);
    expect(tok.roles.map((x: { name: string }) => x.name)).toEqual(['member']);
    expect(tok.roles[0].id).toMatch(/^[0-9a-f]{32}$/);
    // Catalog: Neutron's root (clients append /v2.0) and Keystone, each with three interfaces in RegionOne.
    const network = tok.catalog.find((s: { type: string }) => s.type === 'network');
    expect(network).toMatchObject({ name: 'neutron', id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(network.endpoints.map((e: { interface: string }) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
    for (const e of network.endpoints)
      expect(e).toMatchObject({ url: base, region: 'RegionOne', region_id: 'RegionOne', id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const identity = tok.catalog.find((s: { type: string }) => s.type === 'identity');
    expect(identity.name).toBe('keystone');
    expect(identity.endpoints.every((e: { url: string }) => e.url === `${base}/identity`)).toBe(true);
  });

  it('accepts user and project ids (32 hex or dashed), domain ids, an unscoped request, ?nocatalog and any content type', async () => {
    const ids = await tokens({
      auth: {
        identity: { methods: ['password'], password: { user: { id: hex(alice.userId), password: 's3cret' } } },
        scope: { project: { id: hex(alice.accountId) } },
      },
    });
    expect(ids.statusCode, ids.body).toBe(201);
    expect(ids.json().token.project.name).toBe('acme');
    const dashed = await tokens({
      auth: { identity: { methods: ['password'], password: { user: { id: alice.userId, password: 's3cret' } } }, scope: { project: { id: alice.accountId } } },
    });
    expect(dashed.statusCode).toBe(201);
    const domainIds = await tokens({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'alice', domain: { id: 'default' }, password: 's3cret' } } },
        scope: { project: { name: 'acme', domain: { id: 'default' } } },
      },
    });
    expect(domainIds.statusCode).toBe(201);
    const unscoped = await tokens(byName('alice', 's3cret'));
    expect(unscoped.statusCode).toBe(201);
    expect(unscoped.json().token.project.id).toBe(hex(alice.accountId));
    const noCatalog = await tokens(byName('alice', 's3cret', 'acme'), '/identity/v3/auth/tokens?nocatalog');
    expect(noCatalog.statusCode).toBe(201);
    expect(noCatalog.json().token.catalog).toBeUndefined();
    expect(noCatalog.json().token.user.name).toBe('alice');
    for (const headers of [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }] as Record<string, string>[]) {
      expect((await tokens(byName('alice', 's3cret', 'acme'), undefined, headers)).statusCode, JSON.stringify(headers)).toBe(201);
    }
  });

  it('answers 401 with the Keystone body for wrong credentials, another domain or an unsupported method', async () => {
    const cases = [
      byName('alice', 'wrong', 'acme'),
      byName('nobody', 's3cret', 'acme'),
      { auth: { identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Other' }, password: 's3cret' } } } } },
      { auth: { identity: { methods: ['password'], password: { user: { id: '0123456789abcdef0123456789abcdef', password: 's3cret' } } } } },
      { auth: { identity: { methods: ['totp'], totp: {} } } },
      { auth: { identity: { methods: ['token'], token: { id: 'not.a.token' } } } },
      {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Default' }, password: 's3cret' } } },
          scope: { domain: { id: 'default' } },
        },
      },
      byName('alice', 's3cret', 'no-such-project'),
    ];
    for (const body of cases) {
      const r = await tokens(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(401);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json()).toEqual(AUTH_REQUIRED);
      expect(r.headers['x-subject-token']).toBeUndefined();
      expect(r.headers['x-openstack-request-id']).toMatch(/^req-/); // OSC prints it with the error
    }
  });

  it('answers 400 with the Keystone body for a malformed request', async () => {
    for (const body of [
      '{not json',
      '',
      '[]',
      {},
      { auth: {} },
      { auth: { identity: { methods: 'password' } } },
      { auth: { identity: { methods: ['password'], password: { user: { name: 'alice', password: 's3cret' } } } } },
      { auth: { identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Default' } } } } } },
    ]) {
      const r = await tokens(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json().error).toMatchObject({ code: 400, title: 'Bad Request', message: expect.any(String) });
    }
  });

  it('a Keystone token is a Causeway token: Bearer on /v1 reaches the same account as a native token', async () => {
    const native = await t.account('initech');
    const control = t.server.control;
    await control.users.create(SYSTEM_ACTOR, { accountName: 'initech', name: 'peter', password: 'tps-report', isAdmin: false });
    const vpc = (await t.call('POST', '/v1/vpcs', { token: native, body: { name: 'initech-vpc' } })).json() as { id: string };
    const ks = subject(await tokens(byName('peter', 'tps-report', 'initech')));
    const listed = await t.call('GET', '/v1/vpcs', { token: ks });
    expect(listed.statusCode, listed.body).toBe(200);
    const ids = (r: LightMyRequestResponse) => (r.json().vpcs as { id: string }[]).map((v) => v.id).sort();
    expect(ids(listed)).toEqual(ids(await t.call('GET', '/v1/vpcs', { token: native })));
    expect(ids(listed)).toContain(vpc.id);
    // Another account's user does not see it.
    const other = subject(await tokens(byName('alice', 's3cret', 'acme')));
    expect(ids(await t.call('GET', '/v1/vpcs', { token: other }))).not.toContain(vpc.id);
    // An admin user scoped to initech's project sees it too, as the native admin does.
    const admin = await tokens(byName('root', 'r00t', 'initech'));
    expect(admin.statusCode).toBe(201);
    expect(ids(await t.call('GET', '/v1/vpcs', { token: subject(admin) }))).toContain(vpc.id);
  });

  it('lets an admin user scope to any project, and a member only to its own (401)', async () => {
    const admin = await tokens(byName('root', 'r00t', 'globex'));
    expect(admin.statusCode).toBe(201);
    expect(admin.json().token.project).toMatchObject({ id: hex(accountIds.get('globex')!), name: 'globex' });
    expect(admin.json().token.roles.map((x: { name: string }) => x.name)).toEqual(['admin', 'member']);
    const projects = await t.app.inject({ method: 'GET', url: '/identity/v3/projects', headers: { 'x-auth-token': subject(admin) } });
    expect(projects.statusCode).toBe(200);
    const everyAccount = (await t.server.control.accounts.list(SYSTEM_ACTOR)).map((a) => a.name);
    expect((projects.json().projects as { name: string }[]).map((p) => p.name).sort()).toEqual(everyAccount.sort());
    expect(everyAccount.length).toBeGreaterThanOrEqual(3);
    const denied = await tokens(byName('alice', 's3cret', 'globex'));
    expect(denied.statusCode).toBe(401);
    expect(denied.json()).toEqual(AUTH_REQUIRED);
    const byId = await tokens({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Default' }, password: 's3cret' } } },
        scope: { project: { id: hex(accountIds.get('admin')!) } },
      },
    });
    expect(byId.statusCode).toBe(401);
  });

  it('exchanges a token for a new one (token method): same user and expiry, chained audit ids, may rescope only as allowed', async () => {
    const first = await tokens(byName('root', 'r00t', 'admin'));
    const body = (id: string, project?: string) => ({
      auth: { identity: { methods: ['token'], token: { id } }, ...(project ? { scope: { project: { name: project, domain: { id: 'default' } } } } : {}) },
    });
    const again = await tokens(body(subject(first), 'acme'));
    expect(again.statusCode, again.body).toBe(201);
    expect(subject(again)).not.toBe(subject(first));
    const a = again.json().token;
    const f = first.json().token;
    expect(a.methods).toEqual(['token', 'password']);
    expect(a.user.id).toBe(hex(root.userId));
    expect(a.project.name).toBe('acme');
    expect(a.expires_at).toBe(f.expires_at);
    expect(a.audit_ids).toEqual([expect.any(String), f.audit_ids[0]]);
    const member = subject(await tokens(byName('alice', 's3cret', 'acme')));
    expect((await tokens(body(member, 'globex'))).statusCode).toBe(401);
    expect((await tokens(body(member))).json().token.project.name).toBe('acme');
    // A native (API key) token names no user: it cannot be exchanged.
    expect((await tokens(body(t.adminToken))).statusCode).toBe(401);
  });

  it('validates tokens (GET/HEAD with X-Subject-Token), accepts DELETE, and keeps other users out', async () => {
    const mine = subject(await tokens(byName('alice', 's3cret', 'acme')));
    const bobs = subject(await tokens(byName('bob', 'hunter2', 'globex')));
    const check = (caller: string | undefined, subj: string | undefined, method: 'GET' | 'HEAD' | 'DELETE' = 'GET', query = '') =>
      t.app.inject({
        method,
        url: `/identity/v3/auth/tokens${query}`,
        headers: { ...(caller ? { 'x-auth-token': caller } : {}), ...(subj ? { 'x-subject-token': subj } : {}) },
      });
    const self = await check(mine, mine);
    expect(self.statusCode).toBe(200);
    expect(self.headers['x-subject-token']).toBe(mine);
    expect(self.json().token).toMatchObject({ user: { name: 'alice' }, project: { name: 'acme' }, methods: ['password'] });
    expect(self.json().token.catalog).toHaveLength(2);
    expect((await check(mine, mine, 'GET', '?nocatalog')).json().token.catalog).toBeUndefined();
    expect((await check(mine, mine, 'HEAD')).statusCode).toBe(200);
    const admin = await check(t.adminToken, bobs);
    expect(admin.statusCode).toBe(200);
    expect(admin.json().token.user.name).toBe('bob');
    expect((await check(mine, bobs)).statusCode).toBe(403);
    expect((await check(mine, 'x.y.z')).statusCode).toBe(404);
    expect((await check(mine, t.adminToken)).statusCode).toBe(404);
    const none = await check(undefined, mine);
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual(AUTH_REQUIRED);
    expect((await check(mine, undefined)).statusCode).toBe(400);
    expect((await check(mine, mine, 'DELETE')).statusCode).toBe(204);
  });

  it('shows projects, users and the Default domain as OSC looks them up', async () => {
    const mine = subject(await tokens(byName('alice', 's3cret', 'acme')));
    const get = (url: string, token = mine) => t.app.inject({ method: 'GET', url, headers: { 'x-auth-token': token } });
    const acme = hex(alice.accountId);
    expect((await get(`/identity/v3/projects/${acme}`)).json().project).toMatchObject({ id: acme, name: 'acme', domain_id: 'default', enabled: true });
    expect((await get('/identity/v3/projects/acme')).statusCode).toBe(404); // OSC then asks ?name=
    expect((await get('/identity/v3/projects?name=acme')).json().projects).toEqual([expect.objectContaining({ id: acme, name: 'acme', domain_id: 'default' })]);
    expect((await get('/identity/v3/projects?name=globex')).json().projects).toEqual([]);
    expect((await get(`/identity/v3/projects/${hex(accountIds.get('globex')!)}`)).statusCode).toBe(404);
    const admin = subject(await tokens(byName('root', 'r00t')));
    expect((await get('/identity/v3/projects?name=globex', admin)).json().projects).toHaveLength(1);
    expect((await get(`/identity/v3/users/${hex(alice.userId)}`)).json().user).toMatchObject({ name: 'alice', domain_id: 'default', default_project_id: acme });
    expect((await get(`/identity/v3/users/${hex(root.userId)}`)).statusCode).toBe(404);
    expect((await get(`/identity/v3/users/${hex(alice.userId)}`, admin)).statusCode).toBe(200);
    expect((await get('/identity/v3/domains/default')).json().domain).toMatchObject({ id: 'default', name: 'Default' });
    expect((await get('/identity/v3/domains?name=Default')).json().domains).toHaveLength(1);
    const unknown = await get('/identity/v3/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/identity/v3/projects' })).json()).toEqual(AUTH_REQUIRED);
  });

  it('causeway user create / list provision users; errors exit 2 and the password is never printed', () => {
    const run = (args: string[], input?: string) =>
      spawnSync(BIN, [...args, '--data-dir', t.dataDir], { encoding: 'utf8', timeout: 60_000, ...(input !== undefined ? { input } : {}) });
    const made = run(['user', 'create', '--account', 'acme', '--name', 'carol', '--password', 'pa55-word']);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/Created user carol \(id [0-9a-f]{32}\) in account acme .*role member/);
    const stdin = run(['user', 'create', '--account', 'admin', '--name', 'ops', '--password-stdin', '--admin'], 'from-stdin\n');
    expect(stdin.status, stdin.stderr).toBe(0);
    expect(stdin.stdout).toMatch(/role admin/);
    const list = run(['user', 'list']);
    expect(list.stdout).toMatch(/carol\s+account acme\s+member/);
    expect(list.stdout).toMatch(/ops\s+account admin\s+admin/);
    expect(list.stdout + made.stdout + stdin.stdout).not.toMatch(/pa55-word|from-stdin/);
    const dup = run(['user', 'create', '--account', 'acme', '--name', 'carol', '--password', 'x']);
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
    const noAccount = run(['user', 'create', '--account', 'nope', '--name', 'dave', '--password', 'x']);
    expect(noAccount.status).toBe(2);
    expect(noAccount.stderr).toMatch(/no account named 'nope'/);
    return (async () => {
      expect((await tokens(byName('carol', 'pa55-word', 'acme'))).statusCode).toBe(201);
      expect((await tokens(byName('ops', 'from-stdin', 'globex'))).statusCode).toBe(201);
    })();
  });
});
