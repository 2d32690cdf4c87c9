import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { gatewayNamespaces, siteNs, vpcNs } from '../../src/dataplane/lab/lab-names.js';
import type { TestServer } from '../harness.js';
import { labCli, labInternet, labRuns, saOf, startLab, stopLab, type LabGateway } from './lab-fixture.js';
import { pingAnswered } from './ping-echoes.js';

const TAG = 'cca';
const LAN = '192.168.77.0/24';
const SITE = 'ccasite';

/**
 * A cloud.ca site-to-site VPN made with cloud.ca's own calls (the VPC and its subnet through /v1,
 * as cloud.ca VPCs are outside the dialect) to a lab site: it goes Pending → Connected, carries a
 * ping from the VPC to the site's LAN, comes back on a new IKE_SA after `?operation=reset`, and its
 * delete (with the VPC's auto-made gateway, deleted through /v1) leaves nothing behind.
 */
describe.skipIf(!labRuns)('lab: a cloud.ca site-to-site VPN to a lab site', () => {
  let t: TestServer;
  let key: string;
  let vpcId: string;
  let siteIp: string;
  let id: string;
  let gw: LabGateway;
  const base = '/cloudca/v1/services/compute-on/admin/sitetositevpns';
  const cca = (method: string, path: string, body?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url: `${base}${path}`,
      headers: { 'mc-api-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const state = async (): Promise<string> => (await cca('GET', `/${id}`)).json().data.state;
  const cli = (args: string[]): Promise<string> => labCli(t, TAG, args);

  beforeAll(async () => {
    t = await startLab(TAG);
    key = readFileSync(join(t.dataDir, 'admin-api-key'), 'utf8').trim();
    vpcId = (await t.call('POST', '/v1/vpcs', { body: { name: 'cca-vpc' } })).json().id;
    const sn = await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpcId }, name: 'cca-sn', ipv4_cidr_block: '10.77.0.0/24' } });
    expect(sn.statusCode, sn.body).toBe(201);
    siteIp = (await cli(['lab', 'site', 'create', SITE, '--lan', LAN])).trim().split('\n').pop()!;
    expect(siteIp).toMatch(/^203\.0\.113\.\d+$/);
  }, 60_000);

  afterAll(async () => {
    await stopLab(t);
  }, 60_000);

  it('is Pending when made, then Connected once the site answers; a ping crosses the tunnel', async () => {
    const r = await cca('POST', '', {
      name: 'stargate',
      vpcId,
      gateway: siteIp,
      cidr: '192.168.77.5/24',
      ipSecPsk: 'WtOBS9GRux2XtJPtHY2TUvrv',
      ikeEncryptionAlgorithm: 'AES256',
      ikeHashAlgorithm: 'sha1',
      ikeDhGroup: 'modp1536',
      ikeLifetime: 86400,
      espEncryptionAlgorithm: 'aes256',
      espHashAlgorithm: 'SHA1',
      espPerfectForwardSecrecy: 'Group-5',
      espLifetime: 3600,
      dpd: true,
      forceEncap: false,
    });
    expect(r.statusCode, r.body).toBe(200);
    const t0 = Date.now();
    id = r.json().data.id;
    expect(r.json().data).toMatchObject({ state: 'Pending', cidr: '192.168.77.5/24', gateway: siteIp });
    const g = (await t.call('GET', '/v1/vpn_gateways')).json().vpn_gateways.find((x: { name: string }) => x.name === 'cloudca-cca-vpc');
    gw = { id: g.id, vpc: vpcId, ip: g.members[0].public_ip.address, cidr: '10.77.0.0/24', router: '10.77.0.1' };
    expect(await cli(['lab', 'site', 'connect', SITE, '--connection', id])).toMatch(/now answers connection/);
    await expect.poll(state, { timeout: 40_000, interval: 100 }).toBe('Connected');
    console.log(`cloud.ca site-to-site VPN: Connected ${Date.now() - t0} ms after create`);
    await pingAnswered(vpcNs(vpcId), '192.168.77.1');
  }, 120_000);

  it('?operation=reset comes back on a new IKE_SA, Connected again, and pings through', async () => {
    const before = await saOf(t, { id, gw });
    expect(before).toBeDefined();
    const r = await cca('POST', `/${id}?operation=reset`);
    expect(r.statusCode, r.body).toBe(200);
    await expect
      .poll(async () => (await saOf(t, { id, gw }))?.ike['uniqueid'], { timeout: 30_000, interval: 200 })
      .not.toMatch(new RegExp(`^(${String(before!.ike['uniqueid'])})?$`));
    await expect.poll(state, { timeout: 30_000, interval: 100 }).toBe('Connected');
    await pingAnswered(vpcNs(vpcId), '192.168.77.1');
  }, 90_000);

  it('delete, then the kept VPC gateway through /v1: nothing of it is left; lab down removes the site', async () => {
    expect((await cca('DELETE', `/${id}`)).statusCode).toBe(200);
    expect((await cca('GET', `/${id}`)).statusCode).toBe(404);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${gw.id}`)).statusCode).toBe(202);
    const ours = [...gatewayNamespaces(gw.id), vpcNs(vpcId)];
    await expect.poll(async () => (await listNamespaces()).filter((ns) => ours.includes(ns)), { timeout: 20_000, interval: 200 }).toEqual([]);
    await expect.poll(async () => (await t.call('GET', '/v1/vpn_gateways')).json().vpn_gateways.length, { timeout: 20_000, interval: 200 }).toBe(0);
    expect((await t.call('GET', '/v1/ike_policies')).json().ike_policies).toHaveLength(0);
    expect((await t.call('GET', '/v1/ipsec_policies')).json().ipsec_policies).toHaveLength(0);
    t.server.agent?.stop(); // lab down refuses while the server's agent runs (or ends a reconcile)
    await t.server.agent?.idle();
    await cli(['lab', 'down']);
    expect((await listNamespaces()).filter((ns) => [labInternet(TAG), siteNs(SITE)].includes(ns))).toEqual([]);
  }, 60_000);
});
