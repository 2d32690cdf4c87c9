import { describe, expect, it } from 'vitest';
import type { ConnectionKind } from '../domain/connection.js';
import { gateway, routeGateway } from '../../test/domain-fixtures.js';
import { kindFor } from './create-connection.js';

const refusal = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected kindFor to refuse');
};

describe('kindFor: the connection kind from the gateway mode and the request', () => {
  it('without an explicit kind: policy on a policy gateway; route_static or route_bgp on a route gateway from routing_protocol', () => {
    expect(kindFor(gateway(), {})).toBe('policy');
    expect(kindFor(routeGateway(), {})).toBe('route_static');
    expect(kindFor(routeGateway(), { routingProtocol: 'bgp' })).toBe('route_bgp');
    expect(kindFor(routeGateway(), { routingProtocol: 'none' })).toBe('route_static');
    // An update that does not touch the routing keeps the kind it had.
    expect(kindFor(routeGateway(), {}, 'route_bgp')).toBe('route_bgp');
  });

  it('an explicit kind (Huawei’s style) is taken as asked on a route gateway, policy included', () => {
    for (const kind of ['policy', 'route_static', 'route_bgp'] as const) expect(kindFor(routeGateway(), { kind })).toBe(kind);
    // It wins over routing_protocol and over the current kind.
    expect(kindFor(routeGateway(), { kind: 'policy', routingProtocol: 'bgp' }, 'route_static')).toBe('policy');
  });

  it('an explicit policy kind on a policy gateway is accepted', () => {
    expect(kindFor(gateway(), { kind: 'policy' })).toBe('policy');
  });

  it.each<ConnectionKind>(['route_static', 'route_bgp'])('an explicit %s on a policy gateway is refused: mode_mismatch on the field kind', (kind) => {
    expect(refusal(() => kindFor(gateway(), { kind }))).toMatchObject({
      code: 'mode_mismatch',
      kind: 'invalid',
      target: { type: 'field', name: 'kind' },
      message: `A ${kind} connection needs a route-mode gateway.`,
    });
  });

  it('route-only fields on a policy gateway are refused by their wire name, even with kind policy', () => {
    expect(refusal(() => kindFor(gateway(), { kind: 'policy', routingProtocol: 'none' }))).toMatchObject({
      code: 'mode_mismatch',
      target: { type: 'field', name: 'routingProtocol' },
      message: 'routing_protocol applies to route-mode gateways only.',
    });
    expect(refusal(() => kindFor(gateway(), { distributeTraffic: false }))).toMatchObject({
      message: 'distribute_traffic applies to route-mode gateways only.',
    });
    expect(refusal(() => kindFor(gateway(), { tunnels: [] }))).toMatchObject({ message: 'tunnels applies to route-mode gateways only.' });
  });
});
