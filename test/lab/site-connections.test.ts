import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { gatewayNamespaces, siteNs, vpcNs } from '../../src/dataplane/lab/lab-names.js';
import type { TestServer } from '../harness.js';
import { labCli, labInternet, labRuns, startLab, stopLab, vpcGateway, waitStatus, type Connection, type LabGateway } from './lab-fixture.js';
import { pingAnswered } from './ping-echoes.js';

const LAN = '192.168.50.0/24';

/**
 * Two VPCs and one lab site, all through the API and `causeway lab` as a user would: the site is
 * joined to three connections (two of one gateway, one of the other) one `lab site connect` at a
 * time, and keeps answering every one of them; a ping from each VPC subnet reaches the site's LAN.
 */
describe.skipIf(!labRuns)('lab: one site answering connections of two gateways', () => {
  let t: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  let siteIp: string;
  const conns: (Connection & { from: string })[] = [];
  const cli = (args: string[]): Promise<string> => labCli(t, 's', args);

  beforeAll(async () => {
    t = await startLab('s');
    a = await vpcGateway(t, '10.61.0.0/24', 'a');
    b = await vpcGateway(t, '10.62.0.0/24', 'b');
    const second = await t.call('POST', '/v1/subnets', { body: { vpc: { id: a.vpc }, name: 'sn-a2', ipv4_cidr_block: '10.61.1.0/24' } });
    expect(second.statusCode).toBe(201);
    siteIp = (await cli(['lab', 'site', 'create', 'multi', '--lan', LAN])).trim().split('\n').pop()!;
    expect(siteIp).toMatch(/^203\.0\.113\.\d+$/);
  }, 60_000);

  afterAll(async () => {
    await stopLab(t);
  }, 60_000);

  const connectTo = async (gw: LabGateway, from: string): Promise<void> => {
    const r = await t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, {
      body: {
        name: `site-${from.replace(/[./]/g, '-')}`,
        psk: `key-${from.replace(/[./]/g, '-')}`,
        local: { cidrs: [from] },
        peer: { address: siteIp, cidrs: [LAN] },
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    conns.push({ id: r.json().id, gw, from });
    expect(await cli(['lab', 'site', 'connect', 'multi', '--connection', r.json().id])).toMatch(/Site multi now answers connection/);
  };

  it('joined to each connection in turn, the site keeps the earlier ones: all three come up', async () => {
    await connectTo(a, '10.61.0.0/24');
    await connectTo(b, '10.62.0.0/24');
    await connectTo(a, '10.61.1.0/24');
    for (const c of conns) await waitStatus(t, c, 'up', 30_000);
  }, 120_000);

  it('a ping from each VPC subnet reaches the site LAN through its own tunnel', async () => {
    expect(conns).toHaveLength(3);
    for (const c of conns) {
      const src = c.from.replace(/0\/24$/, '1');
      await pingAnswered(vpcNs(c.gw.vpc), '192.168.50.1', { source: src });
    }
  }, 60_000);

  it('gateways deleted right after their connections take their namespaces along; lab down removes the rest, the lab internet too', async () => {
    for (const c of conns) expect((await t.call('DELETE', `/v1/vpn_gateways/${c.gw.id}/connections/${c.id}`)).statusCode).toBe(202);
    for (const g of [a, b]) expect((await t.call('DELETE', `/v1/vpn_gateways/${g.id}`)).statusCode).toBe(202);
    const ours = [...gatewayNamespaces(a.id), ...gatewayNamespaces(b.id), vpcNs(a.vpc), vpcNs(b.vpc)];
    await expect.poll(async () => (await listNamespaces()).filter((ns) => ours.includes(ns)), { timeout: 15_000, interval: 200 }).toEqual([]);
    t.server.agent?.stop(); // lab down refuses while the server's agent runs (or ends a reconcile)
    await t.server.agent?.idle();
    expect(await cli(['lab', 'down'])).toMatch(/Removed 2 namespaces/);
    expect((await listNamespaces()).filter((ns) => [labInternet('s'), siteNs('multi')].includes(ns))).toEqual([]);
  }, 60_000);
});
