import { describe, expect, it } from 'vitest';
import { connection, gateway, member, routeGateway } from '../../test/domain-fixtures.js';
import { desiredConnection } from '../domain/desired-connection.js';
import { memberGroups, standbyGroups, tunnelGroups } from './member-groups.js';

const policy = desiredConnection(gateway(), connection(), undefined, undefined);
const route = desiredConnection(routeGateway(), connection({ kind: 'route_static', localCidrs: [], peerCidrs: [] }), undefined, undefined);

describe('memberGroups', () => {
  it('policy mode: both members load the same conn; the standby without start actions and the same phase 1', () => {
    const [active] = memberGroups([policy], 'policy', 1, 'active');
    const [standby] = memberGroups([policy], 'policy', 2, 'standby');
    expect(standby!.name).toBe(active!.name);
    expect(standby!.ikeHash).toBe(active!.ikeHash);
    expect(standby!.conn['keyingtries']).toBe(active!.conn['keyingtries']);
    const child = `cw-${policy.connectionId}-1`;
    expect((active!.conn['children'] as Record<string, Record<string, unknown>>)[child]!['start_action']).toBe('start');
    expect((standby!.conn['children'] as Record<string, Record<string, unknown>>)[child]!['start_action']).toBe('none');
    expect(standby!.children.get(child)).toMatchObject({ start: false, connectionId: policy.connectionId });
    // Promoting the standby changes exactly its CHILDs: charon runs their start action at once.
    expect(standby!.children.get(child)!.hash).not.toBe(active!.children.get(child)!.hash);
  });

  it('route mode: a member charon loads no route tunnel; each tunnel charon its own one', () => {
    expect(memberGroups([route], 'route', 1, 'active')).toEqual([]);
    const one = tunnelGroups(route, 1);
    const two = tunnelGroups(route, 2);
    expect([...one[0]!.children.keys()]).toEqual([`cw-${route.connectionId}-t1-1`]);
    expect([...two[0]!.children.keys()]).toEqual([`cw-${route.connectionId}-t2-1`]);
    expect(one[0]!.conn['local_addrs']).toEqual(['198.51.100.11']);
    expect(two[0]!.conn['local_addrs']).toEqual(['198.51.100.12']);
  });

  it('a peer_only connection is the same on both members', () => {
    const d = desiredConnection(
      gateway({ members: [member(1, 'active', '198.51.100.11'), member(2, 'standby', null)] }),
      connection({ establishMode: 'peer_only' }),
      undefined,
      undefined,
    );
    const [a] = memberGroups([d], 'policy', 1, 'active');
    expect(standbyGroups([a!])[0]!.children).toEqual(a!.children);
  });
});
