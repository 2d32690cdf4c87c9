import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

const ike = (extra: Record<string, unknown> = {}) => ({
  ike_version: 2,
  authentication_algorithm: 'sha256',
  encryption_algorithm: 'aes128',
  dh_group: 14,
  ...extra,
});
const esp = (extra: Record<string, unknown> = {}) => ({ authentication_algorithm: 'sha256', encryption_algorithm: 'aes128', pfs: 'disabled', ...extra });

describe('IKE and IPsec policies', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });
  const err = (r: { json(): unknown }) => (r.json() as { errors: { code: string; message: string; target?: { name: string } }[] }).errors[0]!;

  it('creates with singular fields, shows arrays too, with IBM defaults', async () => {
    const r = await t.call('POST', '/v1/ike_policies', { body: ike({ name: 'ike-a' }) });
    expect(r.statusCode).toBe(201);
    const p = r.json();
    expect(p).toMatchObject({
      name: 'ike-a',
      ike_version: 2,
      key_lifetime: 28800,
      negotiation_mode: 'main',
      resource_type: 'ike_policy',
      authentication_algorithms: ['sha256'],
      dh_groups: [14],
      connections: [],
    });
    expect(p.href).toMatch(/\/v1\/ike_policies\//);
    expect(p.resource_group.id).toMatch(/^[0-9a-f]{32}$/);
    const s = (await t.call('POST', '/v1/ipsec_policies', { body: esp() })).json();
    expect(s).toMatchObject({ key_lifetime: 3600, pfs: 'disabled', pfs_groups: ['disabled'], encapsulation_mode: 'tunnel', transform_protocol: 'esp' });
    expect(s.name).toMatch(/^[a-z][-a-z0-9]*$/); // a generated default name
  });

  it('arrays with several values show IBM sentinels in the singular fields', async () => {
    const p = (
      await t.call('POST', '/v1/ike_policies', {
        body: { ike_version: 2, authentication_algorithms: ['sha256', 'sha384'], encryption_algorithms: ['aes256'], dh_groups: [19, 20, 31] },
      })
    ).json();
    expect(p.authentication_algorithm).toBe('multiple');
    expect(p.encryption_algorithm).toBe('aes256');
    expect(p.dh_group).toBe(65535);
    const sentinel = await t.call('POST', '/v1/ike_policies', { body: ike({ dh_group: 65535 }) });
    expect(sentinel.statusCode).toBe(400);
    const both = await t.call('POST', '/v1/ike_policies', { body: ike({ dh_groups: [14] }) });
    expect(both.statusCode).toBe(400);
    expect(err(both).target?.name).toBe('dh_groups');
    const none = await t.call('POST', '/v1/ike_policies', { body: { ike_version: 2, authentication_algorithm: 'sha256', encryption_algorithm: 'aes128' } });
    expect(none.statusCode).toBe(400);
    expect(err(none).code).toBe('missing_field');
  });

  it('writing a singular field replaces the list (sync rule)', async () => {
    const p = (
      await t.call('POST', '/v1/ike_policies', {
        body: { ike_version: 2, authentication_algorithms: ['sha256', 'sha512'], encryption_algorithms: ['aes256'], dh_groups: [14, 19] },
      })
    ).json();
    const r = (
      await t.call('PATCH', `/v1/ike_policies/${p.id}`, { body: { dh_group: 20 }, headers: { 'content-type': 'application/merge-patch+json' } })
    ).json();
    expect(r.dh_groups).toEqual([20]);
    expect(r.dh_group).toBe(20);
    expect(r.authentication_algorithms).toEqual(['sha256', 'sha512']);
  });

  it('IKEv1 takes one algorithm of each kind', async () => {
    const r = await t.call('POST', '/v1/ike_policies', {
      body: { ike_version: 1, authentication_algorithms: ['sha256', 'sha384'], encryption_algorithm: 'aes128', dh_group: 14 },
    });
    expect(r.statusCode).toBe(400);
    expect((await t.call('POST', '/v1/ike_policies', { body: ike({ ike_version: 1 }) })).statusCode).toBe(201);
  });

  it('enforces key lifetime ranges (IKE 1800-86400, IPsec 300-86400)', async () => {
    for (const [body, path, status] of [
      [ike({ key_lifetime: 1799 }), '/v1/ike_policies', 400],
      [ike({ key_lifetime: 86401 }), '/v1/ike_policies', 400],
      [ike({ key_lifetime: 1800 }), '/v1/ike_policies', 201],
      [esp({ key_lifetime: 299 }), '/v1/ipsec_policies', 400],
      [esp({ key_lifetime: 300 }), '/v1/ipsec_policies', 201],
      [esp({ key_lifetime: 86400 }), '/v1/ipsec_policies', 201],
    ] as const) {
      const r = await t.call('POST', path, { body });
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      if (status === 400) expect(err(r).target?.name).toBe('key_lifetime');
    }
  });

  it('GCM if and only if authentication is disabled; no GCM/non-GCM mix', async () => {
    expect(
      (await t.call('POST', '/v1/ipsec_policies', { body: esp({ encryption_algorithm: 'aes256gcm16', authentication_algorithm: 'disabled' }) })).statusCode,
    ).toBe(201);
    const a = await t.call('POST', '/v1/ipsec_policies', { body: esp({ encryption_algorithm: 'aes256gcm16', authentication_algorithm: 'sha256' }) });
    expect(a.statusCode).toBe(400);
    expect(err(a).message).toMatch(/disabled/);
    expect(
      (await t.call('POST', '/v1/ipsec_policies', { body: esp({ encryption_algorithm: 'aes256', authentication_algorithm: 'disabled' }) })).statusCode,
    ).toBe(400);
    const mix = await t.call('POST', '/v1/ipsec_policies', {
      body: { encryption_algorithms: ['aes256gcm16', 'aes256'], authentication_algorithms: ['disabled'], pfs: 'disabled' },
    });
    expect(mix.statusCode).toBe(400);
    // switching away from GCM needs a new authentication in the same PATCH
    const g = (await t.call('POST', '/v1/ipsec_policies', { body: esp({ encryption_algorithm: 'aes128gcm16', authentication_algorithm: 'disabled' }) })).json();
    expect((await t.call('PATCH', `/v1/ipsec_policies/${g.id}`, { body: { encryption_algorithm: 'aes128' } })).statusCode).toBe(400);
    const ok = await t.call('PATCH', `/v1/ipsec_policies/${g.id}`, { body: { encryption_algorithm: 'aes128', authentication_algorithm: 'sha384' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().authentication_algorithms).toEqual(['sha384']);
  });

  it('accepts the weak algorithms of seed 000 (md5, sha1, 3des, DH 2 and 5)', async () => {
    const r = await t.call('POST', '/v1/ike_policies', {
      body: { ike_version: 1, authentication_algorithm: 'md5', encryption_algorithm: '3des', dh_group: 2 },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().encryption_algorithm).toBe('triple_des');
    expect(
      (await t.call('POST', '/v1/ipsec_policies', { body: { authentication_algorithm: 'sha1', encryption_algorithm: 'triple_des', pfs: 'group_5' } }))
        .statusCode,
    ).toBe(201);
  });

  it('refuses deleting a policy in use (409), allows it once detached; lists its connections', async () => {
    const { gateway } = await makeGateway(t);
    const p = (await t.call('POST', '/v1/ike_policies', { body: ike() })).json();
    const c = (await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { body: policyConnection({ ike_policy: { href: p.href } }) })).json();
    expect(c.ike_policy.id).toBe(p.id);
    const del = await t.call('DELETE', `/v1/ike_policies/${p.id}`);
    expect(del.statusCode).toBe(409);
    expect(err(del).code).toBe('ike_policy_in_use');
    const shown = (await t.call('GET', `/v1/ike_policies/${p.id}`)).json();
    expect(shown.connections).toEqual([{ href: c.href, id: c.id, name: c.name, resource_type: 'vpn_gateway_connection' }]);
    const list = (await t.call('GET', `/v1/ike_policies/${p.id}/connections`)).json();
    expect(list.total_count).toBe(1);
    expect(list.connections[0].id).toBe(c.id);
    // merge patch null → back to auto-negotiation
    const patched = (
      await t.call('PATCH', `/v1/vpn_gateways/${gateway.id}/connections/${c.id}`, {
        body: { ike_policy: null },
        headers: { 'content-type': 'application/merge-patch+json' },
      })
    ).json();
    expect(patched.ike_policy).toBeUndefined();
    expect((await t.call('DELETE', `/v1/ike_policies/${p.id}`)).statusCode).toBe(204);
    expect((await t.call('GET', `/v1/ike_policies/${p.id}`)).statusCode).toBe(404);
  });

  it('names are unique per account', async () => {
    expect((await t.call('POST', '/v1/ipsec_policies', { body: esp({ name: 'dup' }) })).statusCode).toBe(201);
    const r = await t.call('POST', '/v1/ipsec_policies', { body: esp({ name: 'dup' }) });
    expect(r.statusCode).toBe(400);
    expect(err(r).code).toBe('name_not_unique');
    expect((await t.call('POST', '/v1/ipsec_policies', { body: esp({ name: 'Not_Valid' }) })).statusCode).toBe(400);
  });

  it('an IKEv1 policy cannot pair with a multi-algorithm IPsec policy on a connection', async () => {
    const { gateway } = await makeGateway(t, { cidr: '10.9.0.0/24' });
    const v1 = (await t.call('POST', '/v1/ike_policies', { body: ike({ ike_version: 1 }) })).json();
    const multi = (
      await t.call('POST', '/v1/ipsec_policies', {
        body: { authentication_algorithms: ['sha256', 'sha384'], encryption_algorithms: ['aes128'], pfs_groups: ['group_14'] },
      })
    ).json();
    const r = await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, {
      body: policyConnection({ local: { cidrs: ['10.9.0.0/24'] }, ike_policy: { id: v1.id }, ipsec_policy: { id: multi.id } }),
    });
    expect(r.statusCode).toBe(400);
    expect(err(r).code).toBe('algorithm_combination');
    // The same rule on an update of a policy in use, from either side, with several connections using it.
    const v2 = (await t.call('POST', '/v1/ike_policies', { body: ike({ ike_version: 2 }) })).json();
    const single = (await t.call('POST', '/v1/ipsec_policies', { body: esp() })).json();
    for (const [i, p] of [multi, single].entries()) {
      const c = await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, {
        body: policyConnection({ name: `pair-${i}`, local: { cidrs: ['10.9.0.0/24'] }, ike_policy: { id: v2.id }, ipsec_policy: { id: p.id } }),
      });
      expect(c.statusCode).toBe(201);
    }
    const toV1 = await t.call('PATCH', `/v1/ike_policies/${v2.id}`, { body: { ike_version: 1 } });
    expect(toV1.statusCode).toBe(400);
    expect(err(toV1).code).toBe('algorithm_combination');
    const c3 = await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, {
      body: policyConnection({ name: 'pair-v1', local: { cidrs: ['10.9.0.0/24'] }, ike_policy: { id: v1.id }, ipsec_policy: { id: single.id } }),
    });
    expect(c3.statusCode).toBe(201);
    const toMulti = await t.call('PATCH', `/v1/ipsec_policies/${single.id}`, { body: { authentication_algorithms: ['sha256', 'sha384'] } });
    expect(toMulti.statusCode).toBe(400);
    expect(err(toMulti).code).toBe('algorithm_combination');
  });
});

describe('policy quotas and crypto.legacy=deny', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ cryptoLegacy: 'deny', 'quota.ikePolicies': '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses weak algorithms at create with a clear error', async () => {
    const r = await t.call('POST', '/v1/ike_policies', { body: ike({ authentication_algorithm: 'sha1' }) });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].code).toBe('weak_algorithm_denied');
    expect(r.json().errors[0].message).toMatch(/sha1/);
    const s = await t.call('POST', '/v1/ipsec_policies', { body: esp({ pfs: 'group_2' }) });
    expect(s.statusCode).toBe(400);
  });

  it('counts policies against a configurable quota', async () => {
    expect((await t.call('POST', '/v1/ike_policies', { body: ike() })).statusCode).toBe(201);
    expect((await t.call('POST', '/v1/ike_policies', { body: ike() })).statusCode).toBe(201);
    const r = await t.call('POST', '/v1/ike_policies', { body: ike() });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].code).toBe('over_quota');
  });
});
