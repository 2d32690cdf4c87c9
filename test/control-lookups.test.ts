import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import type { Actor } from '../src/domain/tenancy.js';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

/** The two cheap lookups the cloud.ca create path uses: a VPC's gateways with extras, and connections by name or peer. */
describe('control lookups: gateways.inVpc and connections.namedOrTo', () => {
  let t: TestServer;
  let alice: Actor;
  let bob: Actor;
  let aliceToken: string;
  beforeAll(async () => {
    t = await startTestServer();
    aliceToken = await t.account('alice');
    await t.account('bob');
    alice = { accountId: (await t.server.control.accounts.find({ name: 'alice' }))!.id, isAdmin: false };
    bob = { accountId: (await t.server.control.accounts.find({ name: 'bob' }))!.id, isAdmin: false };
  });
  afterAll(() => t.close());

  it('inVpc: the live gateways of a VPC with one dialect’s extras, oldest first; another account sees none', async () => {
    const { vpcId, gateway } = await makeGateway(t, { token: aliceToken });
    const cp = t.server.control;
    expect((await cp.gateways.inVpc(alice, vpcId)).map((g) => [g.gateway.id, g.extras])).toEqual([[gateway.id, undefined]]);
    await cp.extras.put(alice, 'vpn_gateway', gateway.id, { dialect: 'x', data: { vpcId } });
    expect((await cp.gateways.inVpc(alice, vpcId, { extras: 'x' }))[0]!.extras).toEqual({ vpcId });
    expect((await cp.gateways.inVpc(alice, vpcId, { extras: 'y' }))[0]!.extras).toBeUndefined();
    expect(await cp.gateways.inVpc(bob, vpcId)).toEqual([]);
    expect(await cp.gateways.inVpc(SYSTEM_ACTOR, vpcId)).toHaveLength(1);
    await cp.gateways.remove(alice, gateway.id);
    expect(await cp.gateways.inVpc(alice, vpcId)).toEqual([]);
  });

  it('namedOrTo: connections with the name or to the peer address, in the actor’s account only', async () => {
    const { gateway } = await makeGateway(t, { token: aliceToken, cidr: '10.9.0.0/24' });
    for (const [name, address] of [
      ['one', '203.0.113.1'],
      ['two', '203.0.113.2'],
      ['three', '203.0.113.3'],
    ] as const) {
      const r = await t.call('POST', `/v1/vpn_gateways/${gateway.id}/connections`, {
        token: aliceToken,
        body: policyConnection({ name, local: { cidrs: ['10.9.0.0/24'] }, peer: { address, cidrs: ['192.168.9.0/24'] } }),
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const names = async (actor: Actor, name: string, peerAddress: string) =>
      (await t.server.control.connections.namedOrTo(actor, name, peerAddress))
        .map((c) => c.name)
        .filter((n) => ['one', 'two', 'three'].includes(n))
        .sort((a, b) => ['one', 'two', 'three'].indexOf(a) - ['one', 'two', 'three'].indexOf(b));
    expect(await names(alice, 'one', '203.0.113.2')).toEqual(['one', 'two']);
    expect(await names(alice, 'three', '198.51.100.200')).toEqual(['three']);
    expect(await names(alice, 'none', '203.0.113.3')).toEqual(['three']);
    expect(await names(alice, 'none', '203.0.113.99')).toEqual([]);
    expect(await names(bob, 'one', '203.0.113.2')).toEqual([]);
  });
});
