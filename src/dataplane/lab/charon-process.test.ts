import { describe, expect, it } from 'vitest';
import { charonConf } from './charon-process.js';

describe('charonConf', () => {
  it("ignores lo only for a member's charon, whose lo holds just the local_ts addresses", () => {
    expect(charonConf({ ns: 'cw-gw-x-1', dir: '/tmp/x', ignoreLoopback: true })).toMatch(/^\s*interfaces_ignore = lo$/m);
    // A route tunnel's charon has its IKE address on lo: it must keep seeing it.
    expect(charonConf({ ns: 'cw-tun-x', dir: '/tmp/x' })).not.toMatch(/interfaces_ignore/);
  });

  it('does not listen to route events: an address burst must fit its event socket (strongSwan 5.9.8 spins once it overflows)', () => {
    for (const conf of [charonConf({ ns: 'cw-gw-x-1', dir: '/tmp/x', ignoreLoopback: true }), charonConf({ ns: 'cw-tun-x', dir: '/tmp/x' })]) {
      // charon's own section, not a plugin's: `charon.process_route` decides whether it joins the route groups.
      expect(conf).toMatch(/^charon \{[\s\S]*^ {2}process_route = no$/m);
    }
  });
});
