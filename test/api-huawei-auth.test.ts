import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { toHex32 } from '../src/domain/ids.js';
import { startTestServer, type TestServer } from './harness.js';

/** Huawei IAM's password body (fact sheet §B1): user by name in a domain, project scope by id or name. */
const huaweiBody = (user: string, password: string, project: { id: string } | { name: string }, domain: Record<string, string> = { name: 'Default' }) => ({
  auth: { identity: { methods: ['password'], password: { user: { name: user, password, domain } } }, scope: { project } },
});

describe('Huawei IAM tokens: POST /v3/auth/tokens at the root', () => {
  let t: TestServer;
  let project: string;
  let other: string;

  beforeAll(async () => {
    t = await startTestServer();
    const cp = t.server.control;
    project = toHex32((await cp.accounts.create(SYSTEM_ACTOR, 'hw-one')).account.id);
    other = toHex32((await cp.accounts.create(SYSTEM_ACTOR, 'hw-two')).account.id);
    await cp.users.create(SYSTEM_ACTOR, { accountName: 'hw-one', name: 'hw-member', password: 'pw-member', isAdmin: false });
    await cp.users.create(SYSTEM_ACTOR, { accountName: 'hw-one', name: 'hw-admin', password: 'pw-admin', isAdmin: true });
  });
  afterAll(() => t.close());

  const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: body as object });

  it('issues a token scoped by project id, in X-Subject-Token, with a Keystone/Huawei token body', async () => {
    const r = await post(huaweiBody('hw-member', 'pw-member', { id: project }));
    expect(r.statusCode, r.body).toBe(201);
    const token = r.headers['x-subject-token'] as string;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const body = r.json().token;
    expect(body.project).toMatchObject({ id: project, name: 'hw-one' });
    expect(body.user).toMatchObject({ name: 'hw-member', domain: { id: 'default', name: 'Default' } });
    expect(body.methods).toEqual(['password']);
    expect(body.roles.map((x: { name: string }) => x.name)).toContain('member');
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    // The same token works elsewhere: validated by Keystone, accepted by Neutron.
    const v = await t.app.inject({ method: 'GET', url: '/identity/v3/auth/tokens', headers: { 'x-auth-token': token, 'x-subject-token': token } });
    expect(v.statusCode).toBe(200);
    const n = await t.app.inject({ method: 'GET', url: '/v2.0/vpn/ikepolicies', headers: { 'x-auth-token': token } });
    expect(n.statusCode).toBe(200);
    const own = await t.app.inject({ method: 'GET', url: '/v3/auth/tokens', headers: { 'x-auth-token': token, 'x-subject-token': token } });
    expect(own.statusCode).toBe(200);
    expect(own.json().token.project.id).toBe(project);
  });

  it('issues a token scoped by project name, with or without a domain (Huawei names projects alone)', async () => {
    const alone = await post(huaweiBody('hw-member', 'pw-member', { name: 'hw-one' }));
    expect(alone.statusCode, alone.body).toBe(201);
    expect(alone.json().token.project.id).toBe(project);
    const withDomain = await post(huaweiBody('hw-member', 'pw-member', { name: 'hw-one', domain: { id: 'default' } } as { name: string }));
    expect(withDomain.statusCode, withDomain.body).toBe(201);
    // Keystone itself keeps its rule: a project name needs its domain.
    const keystone = await t.app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: huaweiBody('hw-member', 'pw-member', { name: 'hw-one' }) });
    expect(keystone.statusCode).toBe(400);
  });

  it("accepts the user's domain as Default (name or id) or, as Huawei IAM names it, its account; refuses another", async () => {
    expect((await post(huaweiBody('hw-member', 'pw-member', { id: project }, { id: 'default' }))).statusCode).toBe(201);
    expect((await post(huaweiBody('hw-member', 'pw-member', { id: project }, { name: 'default' }))).statusCode).toBe(201);
    const account = await post(huaweiBody('hw-member', 'pw-member', { id: project }, { name: 'hw-one' }));
    expect(account.statusCode, account.body).toBe(201);
    const elsewhere = await post(huaweiBody('hw-member', 'pw-member', { id: project }, { name: 'hw-two' }));
    expect(elsewhere.statusCode).toBe(401);
    // Keystone keeps its one domain.
    const keystone = await t.app.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: huaweiBody('hw-member', 'pw-member', { id: project }, { name: 'hw-one' }),
    });
    expect(keystone.statusCode).toBe(401);
  });

  it("takes a project named like the region (Huawei's project names) as the user's own", async () => {
    const r = await post(huaweiBody('hw-member', 'pw-member', { name: t.server.control.settings.region }, { name: 'hw-one' }));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().token.project.id).toBe(project);
  });

  it('answers 401 in the Keystone envelope for a wrong password or an unknown user', async () => {
    for (const r of [await post(huaweiBody('hw-member', 'wrong', { id: project })), await post(huaweiBody('nobody', 'pw', { id: project }))]) {
      expect(r.statusCode).toBe(401);
      expect(r.headers['x-subject-token']).toBeUndefined();
      expect(r.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
      expect(r.headers['www-authenticate']).toMatch(/^Keystone uri=/);
    }
  });

  it("refuses a member another project's scope (by id or name) as Keystone does; an admin may", async () => {
    expect((await post(huaweiBody('hw-member', 'pw-member', { id: other }))).statusCode).toBe(401);
    expect((await post(huaweiBody('hw-member', 'pw-member', { name: 'hw-two' }))).statusCode).toBe(401);
    expect((await post(huaweiBody('hw-member', 'pw-member', { id: 'f'.repeat(32) }))).statusCode).toBe(401);
    const admin = await post(huaweiBody('hw-admin', 'pw-admin', { id: other }));
    expect(admin.statusCode, admin.body).toBe(201);
    expect(admin.json().token.project.id).toBe(other);
  });

  it('answers a malformed body with 400 and an unknown /v3 path with 404, never a 5xx', async () => {
    for (const body of [{}, { auth: {} }, { auth: { identity: { methods: 'password' } } }, 'not json', [1, 2]]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v3/auth/tokens',
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe(400);
    }
    const unknown = await t.app.inject({ method: 'GET', url: '/v3/projects' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe(404);
  });

  it('documents the route in /openapi.json', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/v3/auth/tokens'] ?? {})).toEqual(expect.arrayContaining(['post', 'get', 'delete']));
  });
});

describe('access keys: tenancy', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const cp = t.server.control;
    await cp.accounts.create(SYSTEM_ACTOR, 'ak-one');
    await cp.accounts.create(SYSTEM_ACTOR, 'ak-two');
    await cp.users.create(SYSTEM_ACTOR, { accountName: 'ak-one', name: 'ak-alice', password: 'pw', isAdmin: false });
    await cp.users.create(SYSTEM_ACTOR, { accountName: 'ak-one', name: 'ak-carol', password: 'pw', isAdmin: false });
    await cp.users.create(SYSTEM_ACTOR, { accountName: 'ak-two', name: 'ak-bob', password: 'pw', isAdmin: false });
  });
  afterAll(() => t.close());

  it('a user manages its own keys only; another user’s answer as missing; secretFor serves the verifier', async () => {
    const cp = t.server.control;
    const alice = (await cp.users.find({ name: 'ak-alice' }))!;
    const carol = (await cp.users.find({ name: 'ak-carol' }))!;
    const bob = (await cp.users.find({ name: 'ak-bob' }))!;
    const asAlice = { accountId: alice.accountId, isAdmin: false };

    const mine = await cp.accessKeys.create(asAlice, { id: alice.id }, alice.id);
    expect(mine.key.accessKey).toMatch(/^[A-Z0-9]{20}$/);
    expect(mine.secret).toMatch(/^[A-Za-z0-9]{40}$/);
    // Same account, another user; another account's user: both answer as missing.
    await expect(cp.accessKeys.create(asAlice, { id: carol.id }, alice.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(cp.accessKeys.create(asAlice, { name: 'ak-bob' }, alice.id)).rejects.toMatchObject({ code: 'not_found' });
    const bobs = await cp.accessKeys.create(SYSTEM_ACTOR, { id: bob.id });

    const listed = await cp.accessKeys.list(asAlice, undefined, alice.id);
    expect(listed.map((k) => k.accessKey)).toEqual([mine.key.accessKey]);
    expect(JSON.stringify(listed)).not.toContain(mine.secret);
    expect((await cp.accessKeys.list(SYSTEM_ACTOR)).length).toBe(2);
    expect(await cp.accessKeys.list(asAlice)).toEqual([]); // no signed-in user: nothing

    expect(await cp.accessKeys.remove(asAlice, bobs.key.accessKey, alice.id)).toBe(false);
    expect(await cp.accessKeys.secretFor(bobs.key.accessKey)).toMatchObject({ secret: bobs.secret, user: { id: bob.id } });
    expect(await cp.accessKeys.secretFor('HPUAEXAMPLEAK0000001')).toBeUndefined();
    expect(await cp.accessKeys.secretFor('not an ak')).toBeUndefined();
    expect(await cp.accessKeys.remove(asAlice, mine.key.accessKey, alice.id)).toBe(true);
    expect(await cp.accessKeys.secretFor(mine.key.accessKey)).toBeUndefined();
  });
});
