import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEM_ACTOR } from './access.js';
import type { ControlDeps } from './control-deps.js';
import { gatewayStatesOn } from '../store/gateway-store.js';
import { runTx } from './tx.js';

/** How long a delete that waits on the data plane waits before it answers "in use". */
export const RELEASE_WAIT_MS = 10_000;
const POLL_MS = 50;

/**
 * A gateway delete answers at once (202 / Neutron's 204) while the data plane tears the gateway down;
 * until then the gateway row still holds its subnet and VPC. A subnet or VPC delete that finds only
 * such gateways in its way waits (bounded, outside any transaction) for them to go, so "delete the
 * gateway, then its subnet" works as it does on a cloud whose deletes are synchronous. It returns at
 * once when a live gateway is in the way (the delete's own check refuses), and after `timeoutMs` anyway.
 */
export async function awaitGatewaysReleased(deps: ControlDeps, on: { subnetId: string } | { vpcId: string }, timeoutMs = RELEASE_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await runTx(deps, 'read', SYSTEM_ACTOR, (tx) => gatewayStatesOn(tx.ex, on));
    if (states.length === 0 || states.some((s) => s !== 'deleting') || Date.now() >= deadline) return;
    await sleep(POLL_MS);
  }
}
