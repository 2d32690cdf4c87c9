import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlDeps } from './control-deps.js';

/** How long a delete that waits on the data plane waits before it answers "in use". */
export const RELEASE_WAIT_MS = 10_000;
const POLL_MS = 50;

/**
 * A gateway delete answers at once (202 / Neutron's 204) while the data plane tears the gateway down;
 * until then the gateway row still holds its subnet and VPC. A subnet or VPC delete that finds only
 * such gateways in its way waits (bounded) for them to go, so "delete the gateway, then its subnet"
 * works as it does on a cloud whose deletes are synchronous. It returns at once when a live gateway
 * is in the way (the caller's in-use check refuses), and after `timeoutMs` in any case.
 */
export async function awaitGatewaysReleased(deps: ControlDeps, on: { subnetId: string } | { vpcId: string }, timeoutMs = RELEASE_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let q = deps.db.selectFrom('vpn_gateways').select('lifecycle_state');
    q = 'subnetId' in on ? q.where('subnet_id', '=', on.subnetId) : q.where('vpc_id', '=', on.vpcId);
    const states = (await q.execute()).map((r) => r.lifecycle_state);
    if (states.length === 0 || states.some((s) => s !== 'deleting') || Date.now() >= deadline) return;
    await sleep(POLL_MS);
  }
}
