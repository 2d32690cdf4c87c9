import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_VERSION, makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

describe('VPCs, subnets and VPN gateways', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });
  const err = (r: { json(): unknown }) => (r.json() as { errors: { code: string; message: string; target?: { name: string } }[] }).errors[0]!;

  it('a policy gateway has an active and a standby member, one public IP from the pool, private IPs in its subnet', async () => {
    const { gateway, subnetId, vpcId } = await makeGateway(t, { name: 'gw-policy' });
    const g = (await t.call('GET', `/v1/vpn_gateways/${gateway.id}`)).json();
    expect(g).toMatchObject({
      name: 'gw-policy',
      mode: 'policy',
      lifecycle_state: 'stable',
      resource_type: 'vpn_gateway',
      subnet: { id: subnetId },
      vpc: { id: vpcId },
    });
    expect(g.members.map((m: { role: string }) => m.role)).toEqual(['active', 'standby']);
    expect(g.members[0].public_ip.address).toMatch(/^198\.51\.100\.\d+$/);
    expect(g.members[1].public_ip.address).toBe('0.0.0.0');
    expect(g.members[0].private_ip.address).toMatch(/^10\.240\.0\.\d+$/);
    expect(g.health_reasons[0].code).toBe('data_plane_not_attached');
    expect(g.crn).toMatch(/^crn:v1:causeway:private:is:lab:a\/[0-9a-f]{32}::vpn:/);
    expect(g.status).toBeUndefined();
    expect(g.local_asn).toBeUndefined();
    // versions before 2023-10-10 also show status
    expect((await t.call('GET', `/v1/vpn_gateways/${gateway.id}`, { version: '2023-01-01' })).json().status).toBe('available');
  });

  it('route mode is the default, with two public IPs and local_asn 64520', async () => {
    const vpc = (await t.call('POST', '/v1/vpcs', { body: { name: 'vpc-route' } })).json();
    const sn = (await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc.id }, ipv4_cidr_block: '10.10.0.0/24', zone: { name: 'lab-1' } } })).json();
    const r = await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { href: sn.href } } });
    expect(r.statusCode).toBe(201);
    const g = r.json();
    expect(g.mode).toBe('route');
    expect(g.local_asn).toBe(64520);
    expect(g.advertised_cidrs).toEqual([]);
    const ips = g.members.map((m: { public_ip: { address: string } }) => m.public_ip.address);
    expect(new Set(ips).size).toBe(2);
    expect(ips).not.toContain('0.0.0.0');
    // one route gateway per zone per VPC
    const again = await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: sn.id } } });
    expect(again.statusCode).toBe(400);
    expect(err(again).code).toBe('over_quota');
    // advertised CIDRs sub-resource
    const u = `/v1/vpn_gateways/${g.id}/advertised_cidrs`;
    expect((await t.call('PUT', `${u}/10.20.0.0%2F16`)).statusCode).toBe(201);
    expect((await t.call('PUT', `${u}/10.20.0.0/16`)).statusCode).toBe(204);
    expect((await t.call('GET', `${u}/10.20.0.0%2F16`)).statusCode).toBe(204);
    expect((await t.call('GET', u)).json()).toEqual({ advertised_cidrs: ['10.20.0.0/16'] });
    expect((await t.call('DELETE', `${u}/10.20.0.0%2F16`)).statusCode).toBe(204);
    expect((await t.call('GET', `${u}/10.20.0.0%2F16`)).statusCode).toBe(404);
    const asn = await t.call('PATCH', `/v1/vpn_gateways/${g.id}`, { body: { local_asn: 65100 } });
    expect(asn.statusCode).toBe(400);
    expect((await t.call('PATCH', `/v1/vpn_gateways/${g.id}`, { body: { local_asn: 65001 } })).json().local_asn).toBe(65001);
  });

  it('gateway rules: subnet must exist, name unique in the VPC, policy mode has no ASN, unknown fields refused', async () => {
    expect(err(await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: '00000000-0000-4000-8000-000000000000' }, mode: 'policy' } })).code).toBe(
      'subnet_not_found',
    );
    const token = await t.account('gwrules');
    const { subnetId } = await makeGateway(t, { token, name: 'same' });
    const dup = await t.call('POST', '/v1/vpn_gateways', { token, body: { subnet: { id: subnetId }, mode: 'policy', name: 'same' } });
    expect(dup.statusCode).toBe(400);
    const asn = await t.call('POST', '/v1/vpn_gateways', { token, body: { subnet: { id: subnetId }, mode: 'policy', local_asn: 65001 } });
    expect(err(asn).code).toBe('mode_mismatch');
    const unknown = await t.call('POST', '/v1/vpn_gateways', { token, body: { subnet: { id: subnetId }, mode: 'policy', colour: 'blue' } });
    expect(unknown.statusCode).toBe(400);
    expect(err(unknown)).toMatchObject({ code: 'unknown_field', target: { name: 'colour' } });
    // 3 gateways per zone per account
    expect((await t.call('POST', '/v1/vpn_gateways', { token, body: { subnet: { id: subnetId }, mode: 'policy' } })).statusCode).toBe(201);
    expect((await t.call('POST', '/v1/vpn_gateways', { token, body: { subnet: { id: subnetId }, mode: 'policy' } })).statusCode).toBe(201);
    expect(err(await t.call('POST', '/v1/vpn_gateways', { token, body: { subnet: { id: subnetId }, mode: 'policy' } })).code).toBe('over_quota');
  });

  it('delete answers 202, cascades to connections through deleting, then 404; subnet and VPC are then free', async () => {
    const token = await t.account('deleter');
    const { gateway, subnetId, vpcId } = await makeGateway(t, { token });
    const c = (await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { token, body: policyConnection() })).json();
    expect(err(await t.call('DELETE', `/v1/subnets/${subnetId}`, { token })).code).toBe('subnet_in_use');
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gateway.id}`, { token })).statusCode).toBe(202);
    const during = (await t.call('GET', `/v1/vpn_gateways/${gateway.id}`, { token })).json();
    expect(during.lifecycle_state).toBe('deleting');
    expect((await t.call('GET', `/v1/vpn_gateways/${gateway.id}/connections/${c.id}`, { token })).json().lifecycle_state).toBe('deleting');
    expect((await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { token, body: policyConnection() })).statusCode).toBe(409);
    await expect.poll(async () => (await t.call('GET', `/v1/vpn_gateways/${gateway.id}`, { token })).statusCode, { timeout: 5000 }).toBe(404);
    expect((await t.call('GET', `/v1/vpn_gateways/${gateway.id}/connections/${c.id}`, { token })).statusCode).toBe(404);
    expect(err(await t.call('DELETE', `/v1/vpcs/${vpcId}`, { token })).code).toBe('vpc_in_use');
    expect((await t.call('DELETE', `/v1/subnets/${subnetId}`, { token })).statusCode).toBe(204);
    expect((await t.call('DELETE', `/v1/vpcs/${vpcId}`, { token })).statusCode).toBe(204);
  });

  it('gateway list: sort, mode filter, pagination envelope', async () => {
    const all = (await t.call('GET', '/v1/vpn_gateways?limit=100')).json();
    expect(all.limit).toBe(100);
    expect(all.total_count).toBe(all.vpn_gateways.length);
    const names = (await t.call('GET', '/v1/vpn_gateways?sort=name&limit=100')).json().vpn_gateways.map((g: { name: string }) => g.name);
    expect(names).toEqual([...names].sort());
    const created = (await t.call('GET', '/v1/vpn_gateways?limit=100')).json().vpn_gateways.map((g: { created_at: string }) => g.created_at);
    expect(created).toEqual([...created].sort().reverse());
    const routes = (await t.call('GET', '/v1/vpn_gateways?mode=route')).json().vpn_gateways;
    expect(routes.every((g: { mode: string }) => g.mode === 'route')).toBe(true);
    const p1 = (await t.call('GET', '/v1/vpn_gateways?limit=1&sort=name')).json();
    expect(p1.next.href).toMatch(/start=/);
    expect(p1.next.href).toMatch(/sort=name/);
    const p2 = (await t.call('GET', `/v1/vpn_gateways?${new URL(p1.next.href).searchParams.toString()}`)).json();
    expect(p2.vpn_gateways[0].name >= p1.vpn_gateways[0].name).toBe(true);
    for (const limit of ['0', '101', 'abc', '-1']) expect((await t.call('GET', `/v1/vpn_gateways?limit=${limit}`)).statusCode).toBe(400);
    expect(err(await t.call('GET', '/v1/vpn_gateways?start=bm9wZQ')).target?.name).toBe('start');
  });

  it('subnet rules: valid CIDR, no overlap inside a VPC, known zone', async () => {
    const vpc = (await t.call('POST', '/v1/vpcs', { body: {} })).json();
    const mk = (cidr: string, zone?: string) =>
      t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc.id }, ipv4_cidr_block: cidr, ...(zone ? { zone: { name: zone } } : {}) } });
    expect((await mk('10.1.0.0/24')).statusCode).toBe(201);
    expect(err(await mk('10.1.0.128/25')).code).toBe('cidr_overlap');
    expect((await mk('10.1.1.1/24')).statusCode).toBe(400);
    expect((await mk('10.1.2.0/30')).statusCode).toBe(400);
    expect(err(await mk('10.1.3.0/24', 'mars-1')).target?.name).toBe('zone');
    expect((await t.call('GET', `/v1/subnets?vpc.id=${vpc.id}`)).json().total_count).toBe(1);
  });
});

describe('version, errors and documents', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('version is required and checked; generation must be 2', async () => {
    const get = (q: string) => t.app.inject({ method: 'GET', url: `/v1/ike_policies${q}`, headers: { authorization: `Bearer ${t.adminToken}` } });
    const codes = async (q: string) => {
      const r = await get(q);
      return [r.statusCode, r.json().errors?.[0]?.code];
    };
    expect(await codes('')).toEqual([400, 'invalid_version']);
    expect(await codes('?version=2026-13-01')).toEqual([400, 'invalid_version']);
    expect(await codes('?version=yesterday')).toEqual([400, 'invalid_version']);
    expect(await codes('?version=2999-01-01')).toEqual([400, 'invalid_version']);
    expect(await codes('?version=2018-01-01')).toEqual([400, 'invalid_version_range']);
    expect(await codes('?version=2026-06-02&generation=1')).toEqual([400, 'invalid_generation']);
    expect((await get('?version=2026-06-02')).statusCode).toBe(200);
    expect((await get(`?version=${LEGACY_VERSION}&generation=2`)).statusCode).toBe(200);
  });

  it('every error has the IBM envelope and every response a request id', async () => {
    const r = await t.call('GET', '/v1/vpn_gateways/nope');
    expect(r.statusCode).toBe(404);
    const b = r.json();
    expect(b.status_code).toBe(404);
    expect(b.trace).toBe(r.headers['x-request-id']);
    expect(b.errors[0]).toMatchObject({ code: 'vpn_gateway_not_found' });
    expect(b.errors[0].more_info).toMatch(/\/docs\/errors#vpn_gateway_not_found$/);
    expect((await t.call('GET', '/v1/nothing-here')).json().errors[0].code).toBe('not_found');
    const bad = await t.call('POST', '/v1/ike_policies', { body: '{"ike_version": 2,' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].code).toBe('invalid_json');
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).headers['x-request-id']).toBeTruthy();
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and a readable reference', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/vpn_gateways',
      '/v1/vpn_gateways/{gw}/connections/{id}',
      '/v1/ike_policies/{id}/connections',
      '/v1/vpn_gateways/{gw}/connections/{id}/local_cidrs/{prefix}/{len}',
      '/identity/token',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/v1/ike_policies'].post.requestBody.content['application/json'].schema.properties.key_lifetime.maximum).toBe(86400);
    const html = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('/v1/vpn_gateways/{gw}/connections');
    expect((await t.app.inject({ method: 'GET', url: '/docs/errors' })).body).toContain('id="precondition_failed"');
  });
});
