import type { Connection } from '../../domain/connection.js';
import { reason } from '../../domain/status-reasons.js';
import type { Reason } from '../../domain/tenancy.js';

/**
 * The status of a route-mode connection's tunnel on gateway member `member`: up while the data plane's
 * last report saw an installed CHILD_SA of the connection on that member. Until a report says which
 * tunnels are up (no data plane, an older agent) each tunnel shows the connection's status. `reasons`
 * are the connection's: a down tunnel of a down connection shows why the connection is down; a down
 * tunnel of an up connection says that it is down, before the connection's advisories.
 */
export function tunnelStatus(
  c: Pick<Connection, 'status' | 'tunnelsUp'>,
  member: 1 | 2,
  reasons: readonly Reason[],
): { readonly status: 'up' | 'down'; readonly reasons: readonly Reason[] } {
  if (c.tunnelsUp === null) return { status: c.status, reasons };
  if (c.tunnelsUp.includes(member)) return { status: 'up', reasons };
  return { status: 'down', reasons: c.status === 'up' ? [reason('tunnel_down'), ...reasons] : reasons };
}
