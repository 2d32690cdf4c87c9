import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { desiredGatewayState } from '../../domain/desired-state.js';
import type { Connection } from '../../domain/connection.js';
import type { VpnGateway } from '../../domain/gateway.js';
import { PlanSchema } from './agent-schema.js';

const gateway: VpnGateway = {
  id: 'gw-1',
  accountId: 'acc',
  resourceGroupId: 'rg',
  name: 'gw',
  vpcId: 'vpc-1',
  subnetId: 'sn-1',
  zone: 'lab-1',
  mode: 'policy',
  members: [
    {
      index: 1,
      role: 'active',
      publicIp: '198.51.100.7',
      privateIp: { id: 'r1', address: '10.0.0.4' },
      lifecycleState: 'stable',
      healthState: 'ok',
      healthReasons: [],
    },
    {
      index: 2,
      role: 'standby',
      publicIp: null,
      privateIp: { id: 'r2', address: '10.0.0.5' },
      lifecycleState: 'stable',
      healthState: 'ok',
      healthReasons: [{ code: 'x', message: 'y' }],
    },
  ],
  advertisedCidrs: [],
  localAsn: 64520,
  lifecycleState: 'stable',
  healthState: 'ok',
  healthReasons: [],
  revision: 3,
  createdAt: 1,
  updatedAt: 2,
};
const connection: Connection = {
  id: 'c-1',
  accountId: 'acc',
  gatewayId: 'gw-1',
  name: 'c',
  kind: 'policy',
  adminStateUp: true,
  establishMode: 'bidirectional',
  psk: 'secret-psk',
  peer: { address: '203.0.113.9' },
  peerIdentity: null,
  localIdentities: [],
  localCidrs: ['10.0.0.0/24'],
  peerCidrs: ['192.168.1.0/24'],
  ikePolicyId: null,
  ipsecPolicyId: null,
  autoSet: 'auto-2022-09',
  dpd: { action: 'restart', intervalSeconds: 2, timeoutSeconds: 10 },
  distributeTraffic: false,
  tunnels: [],
  status: 'down',
  statusReasons: [],
  lifecycleState: 'pending',
  revision: 1,
  createdAt: 1,
  updatedAt: 1,
};

/** A plan serialized through the agent API's response schema arrives field for field (the schema is an allow-list). */
describe('agent plan schema', () => {
  it('loses nothing of a plan', async () => {
    const plan = {
      gatewayId: 'gw-1',
      generation: 42,
      gateway,
      vpcShared: true,
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
      connections: [{ id: 'c-1', adminStateUp: true, lifecycleState: 'pending' as const, localCidrs: ['10.0.0.0/24'], peerCidrs: ['192.168.1.0/24'] }],
      desired: desiredGatewayState(gateway, [{ connection }]),
    };
    const gone = { gatewayId: 'x', generation: 1, gateway: null, subnets: [], connections: [], desired: null, vpcShared: false };
    const app = Fastify();
    app.get('/plan', { schema: { response: { 200: PlanSchema } } }, async () => plan);
    app.get('/gone', { schema: { response: { 200: PlanSchema } } }, async () => gone);
    const got = (await app.inject({ method: 'GET', url: '/plan' })).json();
    expect(got).toEqual(JSON.parse(JSON.stringify(plan)));
    expect((await app.inject({ method: 'GET', url: '/gone' })).json()).toEqual(gone);
    await app.close();
  });
});
