import { describe, expect, it } from 'vitest';
import type { Connection } from '../domain/connection.js';
import type { DesiredConnection } from '../domain/desired-state.js';
import { desiredConnection } from '../domain/desired-connection.js';
import type { GatewayMember, VpnGateway } from '../domain/gateway.js';
import type { IkePolicy, IpsecPolicy } from '../domain/policy.js';
import { connection, gateway, ikePolicy, ipsecPolicy, member } from '../../test/domain-fixtures.js';
import { connectionInputs, DesiredMemo, gatewayInputs } from './desired-memo.js';

describe('DesiredMemo', () => {
  it('remembers each connection as built, and builds it afresh when anything it is built from changed', () => {
    const memo = new DesiredMemo();
    const c = connection({ revision: 7, ikePolicyId: 'ike-1', ipsecPolicyId: 'ipsec-1' });
    const [i, e, g] = [ikePolicy({ dhGroups: [19] }), ipsecPolicy({ encryption: ['aes256gcm16'], integrity: [], pfs: [20] }), gateway({ revision: 3 })];
    const built = (gw: VpnGateway, x: Connection, xi: IkePolicy, xe: IpsecPolicy): DesiredConnection =>
      memo.gatewayState(gw, [{ connection: x, ikePolicy: xi, ipsecPolicy: xe }]).connections[0]!;
    const first = built(g, c, i, e);
    expect(first).toEqual(desiredConnection(g, c, i, e));
    // Equal inputs, even as other objects: the same result, not built again.
    expect(built(gateway({ revision: 3 }), { ...c }, { ...i }, { ...e })).toBe(first);
    const changed: [VpnGateway, Connection, IkePolicy, IpsecPolicy][] = [
      [g, { ...c, psk: 'another-key' }, i, e],
      [g, { ...c, peerCidrs: ['10.99.0.0/16'] }, i, e],
      [g, c, { ...i, dhGroups: [20] }, e],
      [g, c, i, { ...e, pfs: [19] }],
      [gateway({ revision: 3, members: [member(1, 'active', '198.51.100.77'), member(2, 'standby', null)] }), c, i, e],
    ];
    for (const [xg, xc, xi, xe] of changed) {
      const again = built(xg, xc, xi, xe);
      expect(again).not.toBe(first);
      expect(again).toEqual(desiredConnection(xg, xc, xi, xe));
      expect(again.hash).not.toBe(first.hash);
    }
    // Another control plane's memo builds its own.
    expect(new DesiredMemo().gatewayState(g, [{ connection: c, ikePolicy: i, ipsecPolicy: e }]).connections[0]).not.toBe(first);
  });

  it('keeps a build when only what the agent reports changed (status, reasons, lifecycle, health)', () => {
    const memo = new DesiredMemo();
    const c = connection();
    const g = gateway();
    const first = memo.gatewayState(g, [{ connection: c }]).connections[0]!;
    const reported: Connection = {
      ...c,
      status: 'up',
      statusReasons: [{ code: 'ike_sa_down', message: 'x' }],
      tunnelsUp: [1],
      firstUpAt: 5,
      lifecycleState: 'stable',
      updatedAt: c.updatedAt + 1,
    };
    const gwReported: VpnGateway = {
      ...g,
      healthState: 'degraded',
      lifecycleState: 'updating',
      updatedAt: g.updatedAt + 1,
      members: g.members.map((m) => ({ ...m, healthState: 'degraded', lifecycleState: 'updating' })),
    };
    expect(memo.gatewayState(gwReported, [{ connection: reported }]).connections[0]).toBe(first);
  });

  it('leaves out of its key only fields desiredConnection does not read', () => {
    // The guard for the key: should desiredConnection come to read one of these, this fails, and the
    // field goes into connectionInputs or gatewayInputs.
    const c = connection();
    const g = gateway();
    const base = desiredConnection(g, c, undefined, undefined);
    const otherConnection: Connection = {
      ...c,
      status: c.status === 'up' ? 'down' : 'up',
      statusReasons: [{ code: 'x', message: 'y' }],
      tunnelsUp: [1, 2],
      firstUpAt: 42,
      lifecycleState: 'failed',
      updatedAt: c.updatedAt + 1000,
    };
    expect(connectionInputs(otherConnection)).toBe(connectionInputs(c));
    expect(desiredConnection(g, otherConnection, undefined, undefined)).toEqual(base);
    // gatewayInputs is a list of what is read, so every other field is given here: a field added to
    // VpnGateway or GatewayMember does not compile until this test gives it another value too.
    const elseOfGateway: Omit<VpnGateway, 'id' | 'members'> = {
      accountId: 'another',
      resourceGroupId: 'another',
      name: 'another',
      vpcId: 'another',
      subnetId: 'another',
      zone: 'another',
      mode: g.mode === 'policy' ? 'route' : 'policy',
      advertisedCidrs: ['10.250.0.0/16'],
      localAsn: 65099,
      lifecycleState: 'failed',
      healthState: 'faulted',
      healthReasons: [{ code: 'x', message: 'y' }],
      revision: g.revision + 1,
      createdAt: 1,
      updatedAt: 2,
    };
    const elseOfMember: Omit<GatewayMember, 'index' | 'role' | 'publicIp'> = {
      privateIp: { id: 'another', address: '10.250.0.9' },
      lifecycleState: 'failed',
      healthState: 'faulted',
      healthReasons: [{ code: 'x', message: 'y' }],
    };
    const otherGateway: VpnGateway = { ...g, ...elseOfGateway, members: g.members.map((m) => ({ ...m, ...elseOfMember })) };
    expect(gatewayInputs(otherGateway)).toBe(gatewayInputs(g));
    expect(desiredConnection(otherGateway, c, undefined, undefined)).toEqual(base);
    // What it does read is in the key.
    expect(connectionInputs({ ...c, psk: 'another' })).not.toBe(connectionInputs(c));
    expect(gatewayInputs({ ...g, members: g.members.map((m) => ({ ...m, publicIp: '203.0.113.99' })) })).not.toBe(gatewayInputs(g));
  });
});
