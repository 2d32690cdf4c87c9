import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

describe('IAM token endpoint and bearer auth', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an IAM-shaped token for a form-encoded API key', async () => {
    const { readFileSync } = await import('node:fs');
    const key = readFileSync(`${t.dataDir}/admin-api-key`, 'utf8').trim();
    const r = await t.app.inject({
      method: 'POST',
      url: '/identity/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=${key}`,
    });
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.token_type).toBe('Bearer');
    expect(b.expires_in).toBe(3600);
    expect(b.expiration).toBeGreaterThan(Date.now() / 1000);
    const payload = JSON.parse(Buffer.from(b.access_token.split('.')[1], 'base64url').toString());
    expect(payload.exp).toBe(b.expiration); // IBM SDK authenticators decode exp/iat from the JWT
    expect(typeof payload.iat).toBe('number');
    const j = await t.app.inject({ method: 'POST', url: '/identity/token', payload: { grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: key } });
    expect(j.statusCode).toBe(200);
  });

  it('refuses an unknown key or grant with IAM error bodies', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/identity/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=nope',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errorCode).toBe('BXNIM0415E');
    const g = await t.app.inject({
      method: 'POST',
      url: '/identity/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=password&apikey=x',
    });
    expect(g.statusCode).toBe(400);
    expect(g.json().errorCode).toBe('BXNIM0103E');
  });

  it('needs a valid bearer token on every /v1 request', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/v1/vpn_gateways?version=2026-06-02' });
    expect(none.statusCode).toBe(401);
    expect(none.json().errors[0].code).toBe('not_authorized');
    const bad = await t.call('GET', '/v1/vpn_gateways', { token: 'a.b.c' });
    expect(bad.statusCode).toBe(401);
    const forged = t.adminToken.slice(0, -4) + 'AAAA';
    expect((await t.call('GET', '/v1/vpn_gateways', { token: forged })).statusCode).toBe(401);
  });

  it("isolates accounts: another account's resource answers 404 like a missing one; the admin sees all", async () => {
    const alice = await t.account('alice');
    const bob = await t.account('bob');
    const { gateway } = await makeGateway(t, { token: alice });
    const conn = (await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { token: alice, body: policyConnection() })).json();
    const ike = (
      await t.call('POST', '/v1/ike_policies', {
        token: alice,
        body: { ike_version: 2, authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', dh_group: 14 },
      })
    ).json();

    const missing = await t.call('GET', '/v1/vpn_gateways/00000000-0000-4000-8000-000000000000', { token: bob });
    const foreign = await t.call('GET', `/v1/vpn_gateways/${gateway.id}`, { token: bob });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors[0].code).toBe(missing.json().errors[0].code);
    expect((await t.call('GET', `/v1/vpn_gateways/${gateway.id}/connections/${conn.id}`, { token: bob })).statusCode).toBe(404);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gateway.id}`, { token: bob })).statusCode).toBe(404);
    expect((await t.call('PATCH', `/v1/ike_policies/${ike.id}`, { token: bob, body: { name: 'stolen' } })).statusCode).toBe(404);
    expect((await t.call('GET', '/v1/vpn_gateways', { token: bob })).json().total_count).toBe(0);
    expect((await t.call('GET', '/v1/ike_policies', { token: bob })).json().total_count).toBe(0);
    // bob cannot attach alice's policy to his connection
    const bobGw = await makeGateway(t, { token: bob });
    const steal = await t.call('POST', `/v1/vpn_gateways/${bobGw.gateway.id}/connections`, {
      token: bob,
      body: policyConnection({ ike_policy: { id: ike.id } }),
    });
    expect(steal.statusCode).toBe(404);
    expect(steal.json().errors[0].code).toBe('ike_policy_not_found');

    expect((await t.call('GET', `/v1/vpn_gateways/${gateway.id}`)).statusCode).toBe(200);
    expect((await t.call('GET', '/v1/vpn_gateways')).json().total_count).toBeGreaterThanOrEqual(2);
  });

  it('the admin can create in another account by naming its resource group', async () => {
    const carol = await t.account('carol');
    const mine = (await t.call('POST', '/v1/vpcs', { token: carol, body: { name: 'carol-vpc' } })).json();
    const rg = mine.resource_group.id as string;
    const made = await t.call('POST', '/v1/ike_policies', {
      body: { name: 'for-carol', resource_group: { id: rg }, ike_version: 2, authentication_algorithm: 'sha256', encryption_algorithm: 'aes128', dh_group: 14 },
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().resource_group.id).toBe(rg);
    expect((await t.call('GET', `/v1/ike_policies/${made.json().id}`, { token: carol })).statusCode).toBe(200);
    // an ordinary account cannot do that
    const dave = await t.account('dave');
    const r = await t.call('POST', '/v1/vpcs', { token: dave, body: { resource_group: { id: rg } } });
    expect(r.statusCode).toBe(404);
    expect(r.json().errors[0].code).toBe('resource_group_not_found');
  });
});
