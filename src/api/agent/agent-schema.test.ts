import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { desiredGatewayState } from '../../domain/desired-state.js';
import { connection as fixtureConnection, gateway as fixtureGateway, member } from '../../../test/domain-fixtures.js';
import { PlanSchema } from './agent-schema.js';

// Values away from the defaults where a field could be lost on the way: a member's reasons, distinct times.
const gateway = fixtureGateway({
  id: 'gw-1',
  vpcId: 'vpc-1',
  subnetId: 'sn-1',
  zone: 'lab-1',
  members: [member(1, 'active', '198.51.100.7'), member(2, 'standby', null, { healthReasons: [{ code: 'x', message: 'y' }] })],
  revision: 3,
  createdAt: 1,
  updatedAt: 2,
});
const connection = fixtureConnection({
  id: 'c-1',
  gatewayId: 'gw-1',
  psk: 'secret-psk',
  peer: { address: '203.0.113.9' },
  localCidrs: ['10.0.0.0/24'],
  peerCidrs: ['192.168.1.0/24'],
  lifecycleState: 'pending',
  createdAt: 1,
  updatedAt: 1,
});

/** A plan serialized through the agent API's response schema arrives field for field (the schema is an allow-list). */
describe('agent plan schema', () => {
  it('loses nothing of a plan', async () => {
    const plan = {
      gatewayId: 'gw-1',
      generation: 42,
      gateway,
      vpcShared: true,
      vpcRoutesShared: false,
      vpcRoutes: [
        {
          routingTableId: 'rt-1',
          routeId: 'r-1',
          destination: '192.168.9.0/24',
          action: 'deliver' as const,
          nextHopConnectionId: 'c-1',
          priority: 2,
          zone: 'us-south-1',
          subnetCidrs: ['10.0.0.0/24'],
        },
        // A drop route has no next hop: none is made up on the way.
        {
          routingTableId: 'rt-1',
          routeId: 'r-2',
          destination: '192.168.9.128/25',
          action: 'drop' as const,
          priority: 2,
          zone: 'us-south-1',
          subnetCidrs: ['10.0.0.0/24'],
        },
      ],
      subnets: [
        {
          id: 'sn-1',
          accountId: 'acc',
          resourceGroupId: 'rg',
          vpcId: 'vpc-1',
          zone: 'lab-1',
          name: 's',
          cidr: '10.0.0.0/24',
          ipVersion: 4 as const,
          createdAt: 1,
        },
      ],
      connections: [
        {
          id: 'c-1',
          adminStateUp: true,
          lifecycleState: 'pending' as const,
          localCidrs: ['10.0.0.0/24'],
          peerCidrs: ['192.168.1.0/24'],
          distributeTraffic: true,
        },
      ],
      desired: desiredGatewayState(gateway, [{ connection }]),
    };
    const gone = {
      gatewayId: 'x',
      generation: 1,
      gateway: null,
      subnets: [],
      connections: [],
      desired: null,
      vpcShared: false,
      vpcRoutesShared: false,
      vpcRoutes: [],
    };
    const app = Fastify();
    app.get('/plan', { schema: { response: { 200: PlanSchema } } }, async () => plan);
    app.get('/gone', { schema: { response: { 200: PlanSchema } } }, async () => gone);
    const got = (await app.inject({ method: 'GET', url: '/plan' })).json();
    expect(got).toEqual(JSON.parse(JSON.stringify(plan)));
    expect((await app.inject({ method: 'GET', url: '/gone' })).json()).toEqual(gone);
    await app.close();
  });
});
