import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

/** Neutron VPNaaS v2.0 resources (seed 003) over the shared domain: semantics the OpenStack clients and tempest rely on. */
describe('Neutron VPNaaS: IKE and IPsec policies', () => {
  let t: TestServer;
  let alice: string;
  const n = (method: string, url: string, body?: unknown, token = alice) =>
    t.app.inject({ method: method as 'GET', url: `/v2.0${url}`, headers: { 'x-auth-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });

  beforeAll(async () => {
    t = await startTestServer();
    alice = await t.account('alice');
  });
  afterAll(() => t.close());

  it('creates an IKE policy with Neutron defaults, shows and lists it', async () => {
    const r = await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'ike-a' } });
    expect(r.statusCode).toBe(201);
    const p = r.json().ikepolicy;
    expect(p).toMatchObject({ name: 'ike-a', description: '', auth_algorithm: 'sha1', encryption_algorithm: 'aes-128', phase1_negotiation_mode: 'main', ike_version: 'v1', pfs: 'group5', lifetime: { units: 'seconds', value: 3600 } });
    expect(p.tenant_id).toBe(p.project_id);
    expect(p.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await n('GET', `/vpn/ikepolicies/${p.id}`)).json().ikepolicy).toEqual(p);
    expect((await n('GET', '/vpn/ikepolicies?name=ike-a')).json().ikepolicies.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await n('GET', '/vpn/ikepolicies?name=nope')).json().ikepolicies).toEqual([]);
    expect((await n('GET', `/vpn/ikepolicies?id=${p.id}&fields=id&fields=name`)).json().ikepolicies).toEqual([{ id: p.id, name: 'ike-a' }]);
  });

  it('updates an IKE policy not in use and merges a partial lifetime', async () => {
    const p = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'ike-b', ike_version: 'v1', encryption_algorithm: 'aes-128', auth_algorithm: 'sha256' } })).json().ikepolicy;
    const u = await n('PUT', `/vpn/ikepolicies/${p.id}`, { ikepolicy: { name: 'ike-b2', description: 'Updated ike policy', encryption_algorithm: 'aes-256', ike_version: 'v2', pfs: 'group14', lifetime: { units: 'seconds', value: 2000 } } });
    expect(u.statusCode).toBe(200);
    const g = (await n('GET', `/vpn/ikepolicies/${p.id}`)).json().ikepolicy;
    expect(g).toMatchObject({ name: 'ike-b2', description: 'Updated ike policy', encryption_algorithm: 'aes-256', ike_version: 'v2', pfs: 'group14', lifetime: { units: 'seconds', value: 2000 } });
    await n('PUT', `/vpn/ikepolicies/${p.id}`, { ikepolicy: { lifetime: { value: 7200 } } });
    expect((await n('GET', `/vpn/ikepolicies/${p.id}`)).json().ikepolicy.lifetime).toEqual({ units: 'seconds', value: 7200 });
    expect((await n('DELETE', `/vpn/ikepolicies/${p.id}`)).statusCode).toBe(204);
    expect((await n('DELETE', `/vpn/ikepolicies/${p.id}`)).statusCode).toBe(404);
  });

  it('echoes an IPsec policy lifetime value as it was sent', async () => {
    const c = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'esp-a', pfs: 'group5', encryption_algorithm: 'aes-128', auth_algorithm: 'sha256' } });
    expect(c.statusCode).toBe(201);
    const p = c.json().ipsecpolicy;
    expect(p).toMatchObject({ pfs: 'group5', encryption_algorithm: 'aes-128', auth_algorithm: 'sha256', transform_protocol: 'esp', encapsulation_mode: 'tunnel' });
    const u = (await n('PUT', `/vpn/ipsecpolicies/${p.id}`, { ipsecpolicy: { description: 'Updated ipsec policy', pfs: 'group2', name: 'esp-a2', encryption_algorithm: 'aes-256', lifetime: { units: 'seconds', value: '2000' } } })).json().ipsecpolicy;
    expect(u).toMatchObject({ description: 'Updated ipsec policy', pfs: 'group2', name: 'esp-a2', encryption_algorithm: 'aes-256', lifetime: { units: 'seconds', value: '2000' } });
    expect((await n('GET', `/vpn/ipsecpolicies/${p.id}`)).json().ipsecpolicy.lifetime).toEqual({ units: 'seconds', value: 2000 });
  });

  it('refuses bad input with NeutronError bodies and 400', async () => {
    for (const [body, msg] of [
      [{ ikepolicy: { name: 'x', pfs: 'group99' } }, /pfs/],
      [{ ikepolicy: { name: 'x', lifetime: { units: 'seconds', value: 10 } } }, /too small/],
      [{ ikepolicy: { name: 'x', bogus: 1 } }, /Unrecognized attribute/],
      [{ ikepolicy: { name: 'y'.repeat(256) } }, /exceeds maximum length/],
      [{ nothing: {} }, /Unable to find 'ikepolicy'/],
    ] as const) {
      const r = await n('POST', '/vpn/ikepolicies', body);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json().NeutronError).toEqual({ type: expect.any(String), message: expect.stringMatching(msg), detail: '' });
    }
    const r = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'ah', transform_protocol: 'ah' } });
    expect([r.statusCode, r.json().NeutronError.type]).toEqual([400, 'IpsecValidationFailure']);
  });

  it('keeps projects apart, lets an admin create for another project, and answers 401 without a token', async () => {
    const bob = await t.account('bob');
    const mine = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'alice-only' } })).json().ikepolicy;
    expect((await n('GET', `/vpn/ikepolicies/${mine.id}`, undefined, bob)).statusCode).toBe(404);
    expect((await n('GET', '/vpn/ikepolicies', undefined, bob)).json().ikepolicies).toEqual([]);
    const forAlice = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'from-admin', project_id: mine.project_id } }, t.adminToken);
    expect(forAlice.statusCode).toBe(201);
    expect((await n('GET', '/vpn/ipsecpolicies')).json().ipsecpolicies.map((x: { id: string }) => x.id)).toContain(forAlice.json().ipsecpolicy.id);
    const notAdmin = await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'sneaky', tenant_id: mine.project_id } }, bob);
    expect(notAdmin.statusCode).toBe(400);
    const anon = await t.app.inject({ method: 'GET', url: '/v2.0/vpn/ikepolicies' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().NeutronError.type).toBe('HTTPUnauthorized');
  });
});
