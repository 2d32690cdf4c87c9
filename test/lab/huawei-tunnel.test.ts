/* eslint-disable @typescript-eslint/no-explicit-any -- Huawei answers are loose JSON in tests */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { gatewayNamespaces, siteNs, vpcNs } from '../../src/dataplane/lab/lab-names.js';
import type { TestServer } from '../harness.js';
import { huaweiAccount } from '../huawei-fixture.js';
import { labCli, labInternet, labRuns, saOf, startLab, stopLab, type LabGateway } from './lab-fixture.js';
import { pingAnswered } from './ping-echoes.js';

const LAN = '192.168.57.0/24';
const VPC_CIDR = '10.57.0.0/24';

/**
 * A real tunnel made with Huawei's own calls only (vpn-gateways, customer-gateways, vpn-connection
 * with style POLICY and policy_rules), polled as Terraform polls, to a lab site: ping through it,
 * reset it (new IKE_SA), tear it down (poll until 404) and leave nothing behind.
 */
describe.skipIf(!labRuns)('lab: a Huawei POLICY connection to a lab site', () => {
  let t: TestServer;
  let a: Awaited<ReturnType<typeof huaweiAccount>>;
  let siteIp: string;
  let vpcId: string;
  let gwId: string;
  let cgwId: string;
  let connId: string;
  const cli = (args: string[]): Promise<string> => labCli(t, 'hw', args);
  const poll = async (path: string, done: (status: number, body: any) => boolean, timeout = 60_000): Promise<any> => {
    const end = Date.now() + timeout;
    for (;;) {
      const r = await a.hw('GET', path);
      const body = r.statusCode === 200 ? r.json() : undefined;
      if (done(r.statusCode, body)) return body;
      if (Date.now() > end) throw new Error(`timed out polling ${path}: ${r.statusCode} ${r.body}`);
      await new Promise((f) => setTimeout(f, 250));
    }
  };

  beforeAll(async () => {
    t = await startLab('hw');
    a = await huaweiAccount(t, 'hwlab');
    siteIp = (await cli(['lab', 'site', 'create', 'hwsite', '--lan', LAN])).trim().split('\n').pop()!;
    expect(siteIp).toMatch(/^203\.0\.113\.\d+$/);
  }, 60_000);

  afterAll(async () => {
    await stopLab(t);
  }, 60_000);

  it('makes the tunnel with Huawei calls, polls to ACTIVE, pings through it', async () => {
    const vpc = (await t.call('POST', '/v1/vpcs', { token: a.ibm, body: {} })).json();
    vpcId = vpc.id;
    const subnet = (await t.call('POST', '/v1/subnets', { token: a.ibm, body: { vpc: { id: vpc.id }, ipv4_cidr_block: VPC_CIDR } })).json();
    const start = Date.now();
    const g = await a.hw('POST', '/vpn-gateways', { vpn_gateway: { name: 'hw-gw', vpc_id: vpc.id, connect_subnet: subnet.id, local_subnets: [VPC_CIDR] } });
    expect(g.statusCode, g.body).toBe(201);
    gwId = g.json().vpn_gateway.id;
    // Terraform: poll the gateway until ACTIVE (PENDING_CREATE meanwhile), then read eip1.id.
    const gw = (await poll(`/vpn-gateways/${gwId}`, (s, b) => s === 200 && b.vpn_gateway.status !== 'PENDING_CREATE')).vpn_gateway;
    expect(gw.status).toBe('ACTIVE');
    const c = await a.hw('POST', '/customer-gateways', { customer_gateway: { name: 'hw-site', id_value: siteIp } });
    expect(c.statusCode, c.body).toBe(201);
    cgwId = c.json().customer_gateway.id;
    const v = await a.hw('POST', '/vpn-connection', {
      vpn_connection: {
        name: 'hw-vpn',
        vgw_id: gwId,
        vgw_ip: gw.eip1.id,
        cgw_id: cgwId,
        style: 'policy',
        psk: 'Huawei-lab-psk-1',
        policy_rules: [{ source: VPC_CIDR, destination: [LAN] }],
      },
    });
    expect(v.statusCode, v.body).toBe(201);
    connId = v.json().vpn_connection.id;
    expect(await cli(['lab', 'site', 'connect', 'hwsite', '--connection', connId])).toMatch(/now answers connection/);
    const up = (await poll(`/vpn-connection/${connId}`, (s, b) => s === 200 && b.vpn_connection.status === 'ACTIVE', 60_000)).vpn_connection;
    expect(up.status).toBe('ACTIVE');
    console.log(`huawei: time to ACTIVE (gateway create to connection ACTIVE) ${Date.now() - start} ms`);
    await pingAnswered(vpcNs(vpcId), '192.168.57.1', { source: '10.57.0.1' });
  }, 150_000);

  it('reset re-establishes the SA (a new IKE_SA unique id) and traffic flows again', async () => {
    const conn = { id: connId, gw: { id: gwId } as LabGateway };
    const before = await saOf(t, conn as never);
    expect(before).toBeDefined();
    const r = await a.hw('POST', `/vpn-connection/${connId}/reset`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().request_id).toBe(r.headers['x-request-id']);
    await expect
      .poll(async () => (await saOf(t, conn as never))?.ike['uniqueid'], { timeout: 30_000, interval: 200 })
      .not.toMatch(new RegExp(`^(${String(before!.ike['uniqueid'])})?$`));
    await poll(`/vpn-connection/${connId}`, (s, b) => s === 200 && b.vpn_connection.status === 'ACTIVE', 30_000);
    await pingAnswered(vpcNs(vpcId), '192.168.57.1', { source: '10.57.0.1' });
  }, 90_000);

  it('tears down with Huawei calls (poll until 404) and leaves nothing behind', async () => {
    expect((await a.hw('DELETE', `/vpn-connection/${connId}`)).statusCode).toBe(204);
    await poll(`/vpn-connection/${connId}`, (s) => s === 404);
    expect((await a.hw('DELETE', `/customer-gateways/${cgwId}`)).statusCode).toBe(204);
    await poll(`/customer-gateways/${cgwId}`, (s) => s === 404);
    expect((await a.hw('DELETE', `/vpn-gateways/${gwId}`)).statusCode).toBe(204);
    await poll(`/vpn-gateways/${gwId}`, (s) => s === 404);
    await expect
      .poll(async () => (await listNamespaces()).filter((ns) => gatewayNamespaces(gwId).includes(ns)), { timeout: 20_000, interval: 200 })
      .toEqual([]);
    expect((await t.call('GET', `/v1/ike_policies`, { token: a.ibm })).json().ike_policies).toEqual([]);
    expect((await t.call('GET', `/v1/ipsec_policies`, { token: a.ibm })).json().ipsec_policies).toEqual([]);
    t.server.agent?.stop(); // lab down refuses while the server's agent runs (or ends a reconcile)
    await t.server.agent?.idle();
    expect(await cli(['lab', 'down'])).toMatch(/Removed \d+ namespaces/);
    expect((await listNamespaces()).filter((ns) => [labInternet('hw'), siteNs('hwsite'), vpcNs(vpcId)].includes(ns))).toEqual([]);
  }, 90_000);
});
