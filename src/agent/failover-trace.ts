import { appendFileSync } from 'node:fs';

/**
 * `CAUSEWAY_HA_TRACE=<file>`: one timestamped line per step of a policy failover (VICI lost, reconcile
 * queued and started, address moved, routes moved, conns loaded, initiated), appended to that file,
 * to line up with the members' charon logs when a failover is slow. Off (a no-op) when unset.
 */
const file = process.env['CAUSEWAY_HA_TRACE'];

export function haTrace(gatewayId: string, step: string): void {
  if (file) appendFileSync(file, `${new Date().toISOString()} ${gatewayId} ${step}\n`);
}
