import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vpcNs } from '../../src/dataplane/lab/lab-names.js';
import { labDown } from '../../src/dataplane/lab/lab-teardown.js';
import { startTestServer, type TestServer } from '../harness.js';
import { waitGatewayStable } from './lab-fixture.js';
import { pingAnswered } from './ping-echoes.js';

const root = process.getuid?.() === 0;

/** End to end with real charon: two VPCs joined by a connection on each gateway; a ping goes through. */
describe.skipIf(!root && !process.env['CI'])('lab: two VPCs joined by a tunnel', () => {
  let t: TestServer;
  const gw: { id: string; vpc: string; ip: string }[] = [];

  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'lab', labInternet: `cw-inet-e${process.pid}` });
    for (const n of [1, 2]) {
      const vpc = (await t.call('POST', '/v1/vpcs', { body: { name: `vpc-${n}` } })).json();
      const sn = (await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc.id }, ipv4_cidr_block: `10.${n}.0.0/24` } })).json();
      const g = (await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: sn.id }, mode: 'policy', name: `gw-${n}` } })).json();
      gw.push({ id: g.id, vpc: vpc.id, ip: g.members[0].public_ip.address });
    }
  }, 60_000);

  afterAll(async () => {
    if (!t) return;
    t.server.agent?.stop();
    await t.server.agent?.idle();
    if (process.env['LAB_DEBUG']) {
      const { readdirSync, readFileSync, existsSync } = await import('node:fs');
      for (const d of readdirSync(join(t.dataDir, 'lab'))) {
        const f = join(t.dataDir, 'lab', d, 'charon.log');
        if (existsSync(f)) (await import('node:fs')).appendFileSync(process.env['LAB_DEBUG'], `==== ${d}\n${readFileSync(f, 'utf8')}\n`);
      }
    }
    await labDown(join(t.dataDir, 'lab')); // before the data directory (and its records) goes
    await t.close();
  }, 60_000);

  it('gateways become stable once the agent has built them', async () => {
    for (const g of gw) await waitGatewayStable(t, g);
  }, 60_000);

  it('brings the tunnel up and passes a ping from VPC 1 to VPC 2', async () => {
    const conn = (from: number, to: number) => ({
      name: `to-vpc-${to}`,
      psk: 'lab-secret-123',
      local: { cidrs: [`10.${from}.0.0/24`] },
      peer: { address: gw[to - 1]!.ip, cidrs: [`10.${to}.0.0/24`] },
    });
    const c1 = (await t.call('POST', `/v1/vpn_gateways/${gw[0]!.id}/connections`, { body: conn(1, 2) })).json();
    const c2 = (await t.call('POST', `/v1/vpn_gateways/${gw[1]!.id}/connections`, { body: conn(2, 1) })).json();
    for (const [g, c] of [
      [gw[0]!, c1],
      [gw[1]!, c2],
    ] as const) {
      await expect
        .poll(async () => (await t.call('GET', `/v1/vpn_gateways/${g.id}/connections/${c.id}`)).json().status, { timeout: 30_000, interval: 250 })
        .toBe('up');
    }
    await pingAnswered(vpcNs(gw[0]!.vpc), '10.2.0.1');
  }, 90_000);
});
