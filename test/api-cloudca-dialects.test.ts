/* eslint-disable @typescript-eslint/no-explicit-any -- the dialects' answers are loose JSON in tests */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutronCall, startTestServer, type TestServer } from './harness.js';
import { cca, type CloudcaAccount, cloudcaAccount, seedBody, vpcWithSubnets } from './cloudca-fixture.js';

/** One domain: a site-to-site VPN made through cloud.ca is a connection in /v1 and /v2.0, and the other way round. */
describe('cloud.ca ↔ IBM (native /v1)', () => {
  let t: TestServer;
  let a: CloudcaAccount;
  let vpc: { vpcId: string; subnetIds: string[] };
  let gw: string;
  beforeAll(async () => {
    t = await startTestServer();
    a = await cloudcaAccount(t, 'ibm_env');
    vpc = await vpcWithSubnets(t, a, 'ibm-vpc', ['10.240.0.0/24']);
  });
  afterAll(() => t.close());

  it('a cloud.ca VPN is a native connection on the VPC gateway, with its own policies and the same PSK', async () => {
    const made = (await cca(t, a, 'POST', '/sitetositevpns', seedBody(vpc.vpcId))).json().data;
    const g = (await t.call('GET', '/v1/vpn_gateways', { token: a.token })).json().vpn_gateways[0];
    gw = g.id;
    const c = (await t.call('GET', `/v1/vpn_gateways/${gw}/connections/${made.id}`, { token: a.token })).json();
    expect(c).toMatchObject({ name: 'stargate', psk: 'WtOBS9GRux2XtJPtHY2TUvrv', peer: { address: '19.19.19.19', cidrs: ['10.12.0.0/22'] } });
    const ike = (await t.call('GET', `/v1/ike_policies/${c.ike_policy.id}`, { token: a.token })).json();
    expect(ike).toMatchObject({ ike_version: 2, encryption_algorithm: 'triple_des', authentication_algorithm: 'sha1', dh_group: 5, key_lifetime: 86400 });
    const esp = (await t.call('GET', `/v1/ipsec_policies/${c.ipsec_policy.id}`, { token: a.token })).json();
    expect(esp).toMatchObject({ encryption_algorithm: 'triple_des', authentication_algorithm: 'sha1', pfs: 'group_5', key_lifetime: 3600 });
    // A native edit shows in cloud.ca: a new peer CIDR replaces the one sent (the CIDR as sent is shown only while it still names it).
    expect((await t.call('PUT', `/v1/vpn_gateways/${gw}/connections/${made.id}/peer/cidrs/10.13.0.0%2F16`, { token: a.token })).statusCode).toBe(201);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw}/connections/${made.id}/peer/cidrs/10.12.0.0%2F22`, { token: a.token })).statusCode).toBe(204);
    expect((await cca(t, a, 'GET', `/sitetositevpns/${made.id}`)).json().data.cidr).toBe('10.13.0.0/16');
  });

  it('a native connection on the cloud.ca gateway shows in cloud.ca (auto-negotiated crypto: the set’s first); one on another gateway does not', async () => {
    const r = await t.call('POST', `/v1/vpn_gateways/${gw}/connections`, {
      token: a.token,
      body: { name: 'native', psk: 'nativekey123', local: { cidrs: ['10.240.0.0/24'] }, peer: { address: '19.19.19.88', cidrs: ['172.18.0.0/16'] } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const shown = (await cca(t, a, 'GET', `/sitetositevpns/${r.json().id}`)).json().data;
    expect(shown).toMatchObject({
      name: 'native',
      state: 'Pending',
      vpcId: vpc.vpcId,
      gateway: '19.19.19.88',
      cidr: '172.18.0.0/16',
      ipSecPsk: 'nativekey123',
      ikeEncryptionAlgorithm: 'aes128',
      ikeHashAlgorithm: 'sha256',
      ikeDhGroup: 'modp2048',
      espPerfectForwardSecrecy: 'none',
      dpd: true,
      forceEncap: false,
    });
    // A gateway the account made natively is not a cloud.ca VPC gateway: its connections stay out of the list.
    const other = await vpcWithSubnets(t, a, 'plain-vpc', ['10.50.0.0/24']);
    const pg = (await t.call('POST', '/v1/vpn_gateways', { token: a.token, body: { subnet: { id: other.subnetIds[0] }, mode: 'policy' } })).json();
    const hidden = await t.call('POST', `/v1/vpn_gateways/${pg.id}/connections`, {
      token: a.token,
      body: { psk: 'nativekey123', local: { cidrs: ['10.50.0.0/24'] }, peer: { address: '19.19.19.89', cidrs: ['172.19.0.0/16'] } },
    });
    expect(hidden.statusCode).toBe(201);
    expect((await cca(t, a, 'GET', `/sitetositevpns/${hidden.json().id}`)).statusCode).toBe(404);
    const names = (await cca(t, a, 'GET', '/sitetositevpns')).json().data.map((x: any) => x.name);
    expect(names.sort()).toEqual(['native', 'stargate']);
    // A native delete takes it out of cloud.ca.
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw}/connections/${r.json().id}`, { token: a.token })).statusCode).toBe(202);
    expect((await cca(t, a, 'GET', `/sitetositevpns/${r.json().id}`)).statusCode).toBe(404);
  });
});

describe('cloud.ca ↔ Neutron (/v2.0)', () => {
  let t: TestServer;
  let a: CloudcaAccount;
  let vpc: { vpcId: string; subnetIds: string[] };
  const n = (method: string, url: string, body?: unknown) => neutronCall(t, method, url, body, a.token);
  beforeAll(async () => {
    t = await startTestServer();
    a = await cloudcaAccount(t, 'neutron_env');
    vpc = await vpcWithSubnets(t, a, 'n-vpc', ['10.240.0.0/24']);
  });
  afterAll(() => t.close());

  let svc: string;
  it('a cloud.ca VPN is an ipsec-site-connection of a vpnservice (the VPC gateway), with its policies', async () => {
    const made = (await cca(t, a, 'POST', '/sitetositevpns', { ...seedBody(vpc.vpcId), dpd: true })).json().data;
    const c = (await n('GET', `/vpn/ipsec-site-connections/${made.id}`)).json().ipsec_site_connection;
    expect(c).toMatchObject({ name: 'stargate', peer_address: '19.19.19.19', peer_cidrs: ['10.12.0.0/22'], psk: 'WtOBS9GRux2XtJPtHY2TUvrv', status: 'DOWN' });
    expect(c.dpd).toMatchObject({ action: 'restart', interval: 30, timeout: 120 });
    svc = c.vpnservice_id;
    expect((await n('GET', `/vpn/vpnservices/${svc}`)).json().vpnservice).toMatchObject({ name: 'cloudca-n-vpc' });
    const ike = (await n('GET', `/vpn/ikepolicies/${c.ikepolicy_id}`)).json().ikepolicy;
    expect(ike).toMatchObject({ encryption_algorithm: '3des', auth_algorithm: 'sha1', pfs: 'group5', ike_version: 'v2', lifetime: { value: 86400 } });
    // A Neutron delete takes it out of cloud.ca.
    expect((await n('DELETE', `/vpn/ipsec-site-connections/${made.id}`)).statusCode).toBe(204);
    expect((await cca(t, a, 'GET', `/sitetositevpns/${made.id}`)).statusCode).toBe(404);
  });

  it('a Neutron connection on the VPC gateway (endpoint groups) shows in cloud.ca, and a cloud.ca delete removes it', async () => {
    const local = (await n('POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'subnet', endpoints: [vpc.subnetIds[0]] } })).json().endpoint_group;
    const peer = (await n('POST', '/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: ['172.22.0.0/16'] } })).json().endpoint_group;
    const ike = (await n('POST', '/vpn/ikepolicies', { ikepolicy: { name: 'n-ike', encryption_algorithm: 'aes-256', ike_version: 'v2' } })).json().ikepolicy;
    const esp = (await n('POST', '/vpn/ipsecpolicies', { ipsecpolicy: { name: 'n-esp', encryption_algorithm: 'aes-192' } })).json().ipsecpolicy;
    const r = await n('POST', '/vpn/ipsec-site-connections', {
      ipsec_site_connection: {
        name: 'from-neutron',
        vpnservice_id: svc,
        ikepolicy_id: ike.id,
        ipsecpolicy_id: esp.id,
        local_ep_group_id: local.id,
        peer_ep_group_id: peer.id,
        peer_address: '19.19.19.77',
        peer_id: '19.19.19.77',
        psk: 'neutronkey12',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().ipsec_site_connection.id;
    const shown = (await cca(t, a, 'GET', `/sitetositevpns/${id}`)).json().data;
    expect(shown).toMatchObject({
      name: 'from-neutron',
      vpcId: vpc.vpcId,
      gateway: '19.19.19.77',
      cidr: '172.22.0.0/16',
      ipSecPsk: 'neutronkey12',
      ikeEncryptionAlgorithm: 'aes256',
      ikeHashAlgorithm: 'sha1',
      ikeDhGroup: 'modp1536',
      ikeLifetime: 3600,
      espEncryptionAlgorithm: 'aes192',
      espPerfectForwardSecrecy: 'modp1536',
      dpd: true,
    });
    expect((await cca(t, a, 'DELETE', `/sitetositevpns/${id}`)).statusCode).toBe(200);
    expect((await n('GET', `/vpn/ipsec-site-connections/${id}`)).statusCode).toBe(404);
    // Neutron's policies were not cloud.ca's to remove.
    expect((await n('GET', `/vpn/ikepolicies/${ike.id}`)).statusCode).toBe(200);
    expect((await n('GET', `/vpn/ipsecpolicies/${esp.id}`)).statusCode).toBe(200);
  });
});
