import { describe, expect, it } from 'vitest';
import type { Connection } from '../domain/connection.js';
import { type DesiredConnection, desiredConnection } from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { IkePolicy, IpsecPolicy } from '../domain/policy.js';
import { connection, gateway, ikePolicy, ipsecPolicy, member } from '../../test/domain-fixtures.js';
import { DesiredMemo } from './desired-memo.js';

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
});
