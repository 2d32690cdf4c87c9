import type { Connection } from '../src/domain/connection.js';
import type { GatewayMember, VpnGateway } from '../src/domain/gateway.js';
import type { IkePolicy, IpsecPolicy } from '../src/domain/policy.js';

/**
 * Domain objects for unit tests, defined once: a policy-mode gateway with an active and a standby
 * member, a connection on it, an IKE and an IPsec policy. A test changes what it is about through
 * the overrides, so what it depends on is written in the test.
 */

export const GW = '11111111-1111-4111-8111-111111111111';
export const CID = 'c0000000-0000-4000-8000-000000000001';

export const member = (index: 1 | 2, role: 'active' | 'standby', publicIp: string | null, o: Partial<GatewayMember> = {}): GatewayMember => ({
  index,
  role,
  publicIp,
  privateIp: { id: `r${index}`, address: `10.0.0.${index + 3}` },
  lifecycleState: 'stable',
  healthState: 'ok',
  healthReasons: [],
  ...o,
});

export const gateway = (o: Partial<VpnGateway> = {}): VpnGateway => ({
  id: GW,
  accountId: 'acc',
  resourceGroupId: 'rg',
  name: 'gw',
  vpcId: 'vpc',
  subnetId: 'sn',
  zone: 'z1',
  mode: 'policy',
  members: [member(1, 'active', '198.51.100.10'), member(2, 'standby', null)],
  advertisedCidrs: [],
  localAsn: 64520,
  lifecycleState: 'stable',
  healthState: 'ok',
  healthReasons: [],
  revision: 1,
  createdAt: 0,
  updatedAt: 0,
  ...o,
});

/** A route-mode gateway: two active members, each with its own public IP. */
export const routeGateway = (o: Partial<VpnGateway> = {}): VpnGateway =>
  gateway({ mode: 'route', members: [member(1, 'active', '198.51.100.11'), member(2, 'active', '198.51.100.12')], ...o });

export const connection = (o: Partial<Connection> = {}): Connection => ({
  id: CID,
  accountId: 'acc',
  gatewayId: GW,
  name: 'c',
  kind: 'policy',
  adminStateUp: true,
  establishMode: 'bidirectional',
  psk: 'sesame-open',
  peer: { address: '203.0.113.7' },
  peerIdentity: null,
  localIdentities: [],
  localCidrs: ['10.1.0.0/24'],
  peerCidrs: ['10.2.0.0/24'],
  ikePolicyId: null,
  ipsecPolicyId: null,
  autoSet: 'auto-2022-09',
  dpd: { action: 'restart', intervalSeconds: 2, timeoutSeconds: 10 },
  distributeTraffic: false,
  tunnels: [],
  status: 'down',
  statusReasons: [],
  tunnelsUp: null,
  lifecycleState: 'stable',
  firstUpAt: null,
  pinnedMember: null,
  resets: 0,
  revision: 1,
  createdAt: 0,
  updatedAt: 0,
  ...o,
});

const header = { accountId: 'acc', resourceGroupId: 'rg', name: 'p', revision: 1, createdAt: 0, updatedAt: 0 };

export const ikePolicy = (o: Partial<IkePolicy> = {}): IkePolicy => ({
  ...header,
  id: 'ike-1',
  ikeVersion: 2,
  negotiationMode: 'main',
  encryption: ['aes256'],
  integrity: ['sha256'],
  dhGroups: [14],
  lifetimeSeconds: 28800,
  ...o,
});

export const ipsecPolicy = (o: Partial<IpsecPolicy> = {}): IpsecPolicy => ({
  ...header,
  id: 'ipsec-1',
  encryption: ['aes256'],
  integrity: ['sha256'],
  pfs: ['none'],
  lifetimeSeconds: 3600,
  transform: 'esp',
  encapsulation: 'tunnel',
  ...o,
});
