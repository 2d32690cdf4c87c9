import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_CONFIG_FORMATS } from '../src/domain/peer-config-formats.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

/** `GET …/connections/{id}/peer_config?format=`: every format as text/plain; what a format cannot express is a 400 in IBM's envelope. */
describe('IBM API: peer_config formats', () => {
  let t: TestServer;
  let base = '';
  let dh22 = '';

  beforeAll(async () => {
    t = await startTestServer();
    const { gateway } = await makeGateway(t);
    const c = await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, { body: policyConnection({ name: 'pc' }) });
    expect(c.statusCode, c.body).toBe(201);
    base = `/v1/vpn_gateways/${gateway.id}/connections`;
    const ike = await t.call('POST', '/v1/ike_policies', {
      body: { name: 'dh22', ike_version: 2, encryption_algorithm: 'aes256', authentication_algorithm: 'sha256', dh_group: 22 },
    });
    expect(ike.statusCode, ike.body).toBe(201);
    const c22 = await t.call('POST', base, {
      body: policyConnection({ name: 'pc22', ike_policy: { id: ike.json().id }, peer: { address: '203.0.113.10', cidrs: ['192.168.2.0/24'] } }),
    });
    expect(c22.statusCode, c22.body).toBe(201);
    dh22 = c22.json().id;
    base = `${base}/${c.json().id}`;
  });

  afterAll(() => t.close());

  it.each(PEER_CONFIG_FORMATS)('format=%s answers text/plain with the PSK for its owner', async (format) => {
    const r = await t.call('GET', `${base}/peer_config?format=${format}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toContain('203.0.113.9');
    const psk = 'lkj14b1oi0alcniejkso';
    expect(r.body.includes(psk) || r.body.includes(`0s${Buffer.from(psk).toString('base64')}`)).toBe(true);
  });

  it('no format is swanctl', async () => {
    const r = await t.call('GET', `${base}/peer_config`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/swanctl\.conf/);
  });

  it('an unknown format is a 400', async () => {
    const r = await t.call('GET', `${base}/peer_config?format=openswan`);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].message).toMatch(/format/);
  });

  it('a DH group a format cannot spell is a 400 naming it, in the IBM envelope; other formats still render', async () => {
    const r = await t.call('GET', `${base.replace(/[^/]+$/, dh22)}/peer_config?format=libreswan`);
    expect(r.statusCode).toBe(400);
    const [e] = r.json().errors;
    expect(e.code).toBe('algorithm_combination');
    expect(e.message).toMatch(/libreswan cannot express the Diffie-Hellman group 22/);
    expect(e.target).toMatchObject({ type: 'parameter', name: 'format', value: 'libreswan' });
    expect((await t.call('GET', `${base.replace(/[^/]+$/, dh22)}/peer_config?format=pfsense`)).statusCode).toBe(200);
  });
});
