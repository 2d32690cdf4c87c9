import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { cca, type CloudcaAccount, cloudcaAccount, firstError, seedBody, vpcWithSubnets } from './cloudca-fixture.js';

describe('cloud.ca site-to-site VPNs (/cloudca/v1, seed 002)', () => {
  let t: TestServer;
  let a: CloudcaAccount;
  let b: CloudcaAccount;
  let vpc: { vpcId: string; subnetIds: string[] };
  beforeAll(async () => {
    t = await startTestServer();
    a = await cloudcaAccount(t, 'test_area');
    b = await cloudcaAccount(t, 'other_area');
    vpc = await vpcWithSubnets(t, a, 'stargate-vpc', ['10.240.0.0/24', '10.241.0.0/24']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('auth: no key or an unknown key is 403; another account, or an unknown service code, answers 404', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/cloudca/v1/services/compute-on/test_area/sitetositevpns' });
    expect(none.statusCode).toBe(403);
    expect(firstError(none)).toMatchObject({ code: 4030, context: { header: 'MC-Api-Key' } });
    const bad = await cca(t, { ...a, key: 'cw_nope' }, 'GET', '/sitetositevpns');
    expect(bad.statusCode).toBe(403);
    const other = await cca(t, { ...b, env: 'test_area' }, 'GET', '/sitetositevpns');
    expect(other.statusCode).toBe(404);
    expect(firstError(other).code).toBe(4040);
    const svc = await t.app.inject({ method: 'GET', url: `/cloudca/v1/services/compute-xx/test_area/sitetositevpns`, headers: { 'mc-api-key': a.key } });
    expect(svc.statusCode).toBe(404);
    const qc = await t.app.inject({ method: 'GET', url: `/cloudca/v1/services/compute-qc/test_area/sitetositevpns`, headers: { 'mc-api-key': a.key } });
    expect(qc.statusCode).toBe(200);
  });

  let id: string;
  it("seed 002's create, verbatim: the object as the seed shows it, state Pending; the VPC's gateway made once", async () => {
    const r = await cca(t, a, 'POST', '/sitetositevpns', seedBody(vpc.vpcId));
    expect(r.statusCode, r.body).toBe(200);
    const { data } = r.json();
    id = data.id;
    const { vpcId: _v, ...seed } = seedBody(vpc.vpcId);
    expect(data).toEqual({ id: data.id, state: 'Pending', vpcId: vpc.vpcId, ...seed });
    // The gateway: policy mode, in the first subnet, named after the VPC; local CIDRs = the VPC's subnets.
    const gws = (await t.call('GET', '/v1/vpn_gateways', { token: a.token })).json().vpn_gateways;
    expect(gws).toHaveLength(1);
    expect(gws[0]).toMatchObject({ name: 'cloudca-stargate-vpc', mode: 'policy', subnet: { id: vpc.subnetIds[0] } });
    const conn = (await t.call('GET', `/v1/vpn_gateways/${gws[0].id}/connections/${id}`, { token: a.token })).json();
    expect(conn).toMatchObject({
      name: 'stargate',
      local: { cidrs: ['10.240.0.0/24', '10.241.0.0/24'] },
      peer: { address: '19.19.19.19', cidrs: ['10.12.0.0/22'] },
    });
    // A second VPN on the VPC uses the same gateway; the documentation's spellings work too.
    const r2 = await cca(t, a, 'POST', '/sitetositevpns', {
      ...seedBody(vpc.vpcId, { name: 'atlantis', gateway: '19.19.19.20', cidr: '172.16.0.0/16' }),
      ikeEncryptionAlgorithm: 'AES256',
      ikeHashAlgorithm: 'SHA1',
      ikeDhGroup: 'Group-2 (1024-bit)',
      espEncryptionAlgorithm: 'AES128',
      espHashAlgorithm: 'MD5',
      espPerfectForwardSecrecy: 'None',
      dpd: true,
    });
    expect(r2.statusCode, r2.body).toBe(200);
    expect(r2.json().data).toMatchObject({
      ikeEncryptionAlgorithm: 'aes256',
      ikeHashAlgorithm: 'sha1',
      ikeDhGroup: 'modp1024',
      espEncryptionAlgorithm: 'aes128',
      espHashAlgorithm: 'md5',
      espPerfectForwardSecrecy: 'none',
      dpd: true,
      cidr: '172.16.0.0/16',
    });
    expect((await t.call('GET', '/v1/vpn_gateways', { token: a.token })).json().vpn_gateways).toHaveLength(1);
  });

  it('list ({data, metadata.recordCount}, ?vpc_id=) and get show ipSecPsk to the owner; another environment sees none', async () => {
    const l = await cca(t, a, 'GET', '/sitetositevpns');
    expect(l.statusCode).toBe(200);
    expect(l.json().metadata).toEqual({ recordCount: 2 });
    expect(
      l
        .json()
        .data.map((x: { name: string }) => x.name)
        .sort(),
    ).toEqual(['atlantis', 'stargate']);
    expect((await cca(t, a, 'GET', `/sitetositevpns?vpc_id=${vpc.vpcId}`)).json().metadata.recordCount).toBe(2);
    expect((await cca(t, a, 'GET', '/sitetositevpns?vpc_id=00000000-0000-0000-0000-000000000000')).json()).toEqual({ data: [], metadata: { recordCount: 0 } });
    const g = await cca(t, a, 'GET', `/sitetositevpns/${id}`);
    expect(g.statusCode).toBe(200);
    expect(g.json().data).toMatchObject({ id, name: 'stargate', ipSecPsk: 'WtOBS9GRux2XtJPtHY2TUvrv', cidr: '10.12.0.2/22', state: 'Pending' });
    expect((await cca(t, b, 'GET', '/sitetositevpns')).json().metadata.recordCount).toBe(0);
    const theirs = await cca(t, b, 'GET', `/sitetositevpns/${id}`);
    expect(theirs.statusCode).toBe(404);
    expect(firstError(theirs)).toMatchObject({ code: 4040, context: { type: 'sitetositevpns' } });
  });

  it.each([
    ['a short PSK', { ipSecPsk: 'abc123' }, 'ipSecPsk'],
    ['a PSK with punctuation', { ipSecPsk: 'abcdef-12345' }, 'ipSecPsk'],
    ['a used gateway', { gateway: '19.19.19.19', name: 'x1', cidr: '172.20.0.0/16' }, 'gateway'],
    ['a used name', { gateway: '19.19.19.30' }, 'name'],
    ['an unknown cipher', { ikeEncryptionAlgorithm: 'blowfish', name: 'x2', gateway: '19.19.19.31' }, 'ikeEncryptionAlgorithm'],
    ['an unknown hash', { espHashAlgorithm: 'sha256', name: 'x3', gateway: '19.19.19.32' }, 'espHashAlgorithm'],
    ['ikeDhGroup None', { ikeDhGroup: 'None', name: 'x4', gateway: '19.19.19.33' }, 'ikeDhGroup'],
    ['a bad cidr', { cidr: '10.12.0.0/33', name: 'x5', gateway: '19.19.19.34' }, 'cidr'],
    ['a cidr overlapping the VPC', { cidr: '10.240.0.0/16', name: 'x6', gateway: '19.19.19.35' }, 'cidr'],
    ['a gateway that is no IP address', { gateway: 'peer.example.com', name: 'x7' }, 'gateway'],
    ['a lifetime out of range', { ikeLifetime: 86401, name: 'x8', gateway: '19.19.19.36' }, 'ikeLifetime'],
    ['a lifetime under the domain minimum', { espLifetime: 5, name: 'x9', gateway: '19.19.19.37' }, 'espLifetime'],
    ['an unknown VPC', { vpcId: 'r006-00000000-0000-0000-0000-000000000000', name: 'x10', gateway: '19.19.19.38' }, 'vpcId'],
  ])('refuses %s with a 400 in the cloud.ca envelope naming the field', async (_what, patch, field) => {
    const r = await cca(t, a, 'POST', '/sitetositevpns', { ...seedBody(vpc.vpcId), ...patch });
    expect(r.statusCode, r.body).toBe(400);
    expect(firstError(r)).toMatchObject({ code: 4000, context: { field } });
    expect(firstError(r).message.length).toBeGreaterThan(10);
  });

  it('a missing field, a non-JSON body and a VPC without subnets are 400s; PUT is 405; nothing half-made', async () => {
    const { ipSecPsk: _p, ...noPsk } = seedBody(vpc.vpcId, { name: 'y1', gateway: '19.19.19.40' });
    const m = await cca(t, a, 'POST', '/sitetositevpns', noPsk);
    expect(m.statusCode).toBe(400);
    expect(firstError(m).context).toMatchObject({ field: 'ipSecPsk' });
    expect((await cca(t, a, 'POST', '/sitetositevpns', '{"name": ')).statusCode).toBe(400);
    const empty = await vpcWithSubnets(t, a, 'empty-vpc', []);
    const e = await cca(t, a, 'POST', '/sitetositevpns', seedBody(empty.vpcId, { name: 'y2', gateway: '19.19.19.41' }));
    expect(e.statusCode).toBe(400);
    expect(firstError(e).message).toMatch(/no subnet/);
    const put = await cca(t, a, 'PUT', `/sitetositevpns/${id}`, {});
    expect(put.statusCode).toBe(405);
    expect(firstError(put).code).toBe(4050);
    // Nothing was left behind by the refusals: two VPNs, one gateway, their four policies.
    expect((await cca(t, a, 'GET', '/sitetositevpns')).json().metadata.recordCount).toBe(2);
    expect((await t.call('GET', '/v1/ike_policies', { token: a.token })).json().ike_policies).toHaveLength(2);
    expect((await t.call('GET', '/v1/ipsec_policies', { token: a.token })).json().ipsec_policies).toHaveLength(2);
  });

  it('reset (?operation=reset) re-initiates: 200 with the object; another operation is a 400', async () => {
    const r = await cca(t, a, 'POST', `/sitetositevpns/${id}?operation=reset`, undefined, { 'content-type': 'application/json' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().data).toMatchObject({ id, name: 'stargate', cidr: '10.12.0.2/22' });
    const v = await t.server.control.connections.find({ accountId: (await t.server.control.accounts.find({ name: 'test_area' }))!.id, isAdmin: false }, id);
    expect(v.connection.resets).toBe(1);
    const bad = await cca(t, a, 'POST', `/sitetositevpns/${id}?operation=stop`);
    expect(bad.statusCode).toBe(400);
    expect((await cca(t, a, 'POST', `/sitetositevpns/${id}`)).statusCode).toBe(400);
  });

  it('delete answers the object, removes its policies, keeps the VPC gateway; then 404', async () => {
    const d = await cca(t, a, 'DELETE', `/sitetositevpns/${id}`);
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().data).toMatchObject({ id, name: 'stargate' });
    expect((await cca(t, a, 'GET', `/sitetositevpns/${id}`)).statusCode).toBe(404);
    expect((await cca(t, a, 'DELETE', `/sitetositevpns/${id}`)).statusCode).toBe(404);
    expect((await t.call('GET', '/v1/ike_policies', { token: a.token })).json().ike_policies).toHaveLength(1);
    expect((await t.call('GET', '/v1/vpn_gateways', { token: a.token })).json().vpn_gateways).toHaveLength(1);
    // The name is free again once the old tunnel is torn down (the connection name is unique per gateway until then).
    let again = await cca(t, a, 'POST', '/sitetositevpns', seedBody(vpc.vpcId));
    for (let i = 0; i < 40 && again.statusCode === 400; i++) {
      expect(firstError(again).context).toMatchObject({ field: 'name' });
      await new Promise((r) => setTimeout(r, 100));
      again = await cca(t, a, 'POST', '/sitetositevpns', seedBody(vpc.vpcId));
    }
    expect(again.statusCode, again.body).toBe(200);
  });

  it('two concurrent first creates on a new VPC make one gateway', async () => {
    const v2 = await vpcWithSubnets(t, a, 'race-vpc', ['10.250.0.0/24']);
    const rs = await Promise.all([
      cca(t, a, 'POST', '/sitetositevpns', seedBody(v2.vpcId, { name: 'r1', gateway: '19.19.19.50', cidr: '172.30.0.0/16' })),
      cca(t, a, 'POST', '/sitetositevpns', seedBody(v2.vpcId, { name: 'r2', gateway: '19.19.19.51', cidr: '172.31.0.0/16' })),
    ]);
    expect(rs.map((r) => r.statusCode)).toEqual([200, 200]);
    const gws = (await t.call('GET', '/v1/vpn_gateways', { token: a.token })).json().vpn_gateways.filter((g: { vpc: { id: string } }) => g.vpc.id === v2.vpcId);
    expect(gws).toHaveLength(1);
  });
});

describe('cloud.ca with crypto.legacy=deny', () => {
  it("seed 002's 3des/sha1/modp1536 is a clear 400 naming the weak algorithms", async () => {
    const t = await startTestServer({ cryptoLegacy: 'deny' });
    try {
      const a = await cloudcaAccount(t, 'test_area');
      const vpc = await vpcWithSubnets(t, a, 'v', ['10.240.0.0/24']);
      const r = await cca(t, a, 'POST', '/sitetositevpns', seedBody(vpc.vpcId));
      expect(r.statusCode).toBe(400);
      expect(firstError(r)).toMatchObject({ code: 4000, context: { reason: 'weak_algorithm_denied' } });
      expect(firstError(r).message).toMatch(/3des/);
      expect((await t.call('GET', '/v1/vpn_gateways', { token: a.token })).json().vpn_gateways).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
