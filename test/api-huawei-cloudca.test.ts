/* eslint-disable @typescript-eslint/no-explicit-any -- the answers are loose JSON in tests */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { cca, type CloudcaAccount, seedBody, vpcWithSubnets } from './cloudca-fixture.js';
import { startTestServer, type TestServer } from './harness.js';

/**
 * The pair Huawei v5 ↔ cloud.ca, one account seen through both. A cloud.ca VPN is a policy connection
 * on the VPC's policy-mode gateway, which Huawei shows as a POLICY connection (its rules, its policies
 * in Huawei's spellings) and can delete. A Huawei connection sits on a route-mode Huawei gateway,
 * which cloud.ca has no shape for (its VPNs live on the VPC's one policy gateway): it is not listed.
 */
describe('one account through Huawei v5 and cloud.ca', () => {
  let t: TestServer;
  let a: CloudcaAccount;
  let hw: (method: string, path: string, body?: unknown) => Promise<any>;
  let vpcId: string;
  let subnetId: string;

  beforeAll(async () => {
    t = await startTestServer();
    const { apiKey } = await t.server.control.accounts.create(SYSTEM_ACTOR, 'pair');
    const token = (
      await t.app.inject({
        method: 'POST',
        url: '/identity/token',
        payload: `grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=${encodeURIComponent(apiKey)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).json().access_token as string;
    a = { env: 'pair', key: apiKey, token };
    const project = (await t.server.control.accounts.find({ name: 'pair' }))!.id;
    // The IAM token of the account works as X-Auth-Token on /v5 too.
    hw = (method, path, body) =>
      t.app.inject({
        method: method as 'GET',
        url: `/v5/${project}${path}`,
        headers: { 'x-auth-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
    ({
      vpcId,
      subnetIds: [subnetId = ''],
    } = await vpcWithSubnets(t, a, 'pairvpc', ['10.80.0.0/24']));
  });
  afterAll(() => t.close());

  it('cloud.ca → Huawei: a site-to-site VPN shows as a POLICY connection with its rules and policies, and Huawei can delete it', async () => {
    const made = await cca(t, a, 'POST', '/sitetositevpns', {
      ...seedBody(vpcId, { gateway: '203.0.113.40', cidr: '192.168.40.0/24' }),
      ikeEncryptionAlgorithm: 'AES256',
    });
    expect(made.statusCode, made.body).toBe(200);
    const id = made.json().data.id as string;

    const shown = await hw('GET', `/vpn-connection/${id}`);
    expect(shown.statusCode, shown.body).toBe(200);
    const c = shown.json().vpn_connection;
    expect(c).toMatchObject({ id, name: 'stargate', style: 'POLICY' });
    expect(c.policy_rules).toEqual([expect.objectContaining({ source: '10.80.0.0/24', destination: ['192.168.40.0/24'] })]);
    expect(c.ikepolicy).toMatchObject({ encryption_algorithm: 'aes-256', authentication_algorithm: 'sha1', dh_group: 'group5', lifetime_seconds: 86400 });
    expect(c.ipsecpolicy).toMatchObject({ encryption_algorithm: '3des', authentication_algorithm: 'sha1', pfs: 'group5', lifetime_seconds: 3600 });
    expect(JSON.stringify(c)).not.toContain('WtOBS9GRux2XtJPtHY2TUvrv'); // Huawei never shows a PSK
    expect((await hw('GET', '/vpn-connection')).json().vpn_connections.map((x: { id: string }) => x.id)).toContain(id);

    expect((await hw('DELETE', `/vpn-connection/${id}`)).statusCode).toBe(204);
    expect((await cca(t, a, 'GET', `/sitetositevpns/${id}`)).statusCode).toBe(404);
  });

  it('Huawei → cloud.ca: a connection on a Huawei (route-mode) gateway is not a cloud.ca VPN', async () => {
    const gw = await hw('POST', '/vpn-gateways', { vpn_gateway: { vpc_id: vpcId, connect_subnet: subnetId, local_subnets: ['10.80.0.0/24'] } });
    expect(gw.statusCode, gw.body).toBe(201);
    const gwId = gw.json().vpn_gateway.id as string;
    const eip = (await hw('GET', `/vpn-gateways/${gwId}`)).json().vpn_gateway.eip1.id as string;
    const cgw = (await hw('POST', '/customer-gateways', { customer_gateway: { id_value: '203.0.113.41' } })).json().customer_gateway.id as string;
    const conn = await hw('POST', '/vpn-connection', {
      vpn_connection: {
        vgw_id: gwId,
        vgw_ip: eip,
        cgw_id: cgw,
        style: 'policy',
        psk: 'Pair-psk-1234',
        policy_rules: [{ source: '10.80.0.0/24', destination: ['192.168.41.0/24'] }],
      },
    });
    expect(conn.statusCode, conn.body).toBe(201);
    const id = conn.json().vpn_connection.id as string;
    expect((await cca(t, a, 'GET', `/sitetositevpns/${id}`)).statusCode).toBe(404);
    expect((await cca(t, a, 'GET', '/sitetositevpns')).json().data.map((x: { id: string }) => x.id)).not.toContain(id);
    // The same peer gateway is still free for a cloud.ca VPN: cloud.ca's rule counts its own VPNs.
    const again = await cca(t, a, 'POST', '/sitetositevpns', seedBody(vpcId, { name: 'second', gateway: '203.0.113.41', cidr: '192.168.42.0/24' }));
    expect(again.statusCode, again.body).toBe(200);
  });
});
