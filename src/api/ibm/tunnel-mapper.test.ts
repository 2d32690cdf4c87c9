import { describe, expect, it } from 'vitest';
import { reason } from '../../domain/status-reasons.js';
import { tunnelStatus } from './tunnel-mapper.js';

const weak = reason('weak_algorithm_in_use', 'sha1');
const dpd = reason('peer_not_responding');

describe('tunnelStatus', () => {
  it("shows the member's own tunnel: up when reported up, else down", () => {
    const c = { status: 'up', tunnelsUp: [2] } as const;
    expect(tunnelStatus(c, 2, [weak])).toEqual({ status: 'up', reasons: [weak] });
    expect(tunnelStatus(c, 1, [weak])).toEqual({ status: 'down', reasons: [reason('tunnel_down'), weak] });
  });

  it("a down tunnel of a down connection shows the connection's reasons", () => {
    expect(tunnelStatus({ status: 'down', tunnelsUp: [] }, 1, [dpd])).toEqual({ status: 'down', reasons: [dpd] });
  });

  it("never reported (no data plane, an older agent): the connection's status", () => {
    expect(tunnelStatus({ status: 'up', tunnelsUp: null }, 1, [])).toEqual({ status: 'up', reasons: [] });
    expect(tunnelStatus({ status: 'down', tunnelsUp: null }, 2, [dpd])).toEqual({ status: 'down', reasons: [dpd] });
  });
});
