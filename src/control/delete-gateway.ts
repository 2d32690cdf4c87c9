import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';
import type { VpnGateway } from '../domain/gateway.js';
import { getGateway, saveGateway } from '../store/gateway-store.js';
import type { Executor } from '../store/schema.js';
import { visible } from './access.js';
import type { ControlDeps } from './control-deps.js';

export interface DeleteGatewayOptions {
  /** Neutron deletes a vpnservice whatever its state; IBM refuses while the gateway is still pending. */
  readonly evenIfPending?: boolean;
  /** Runs first in the delete's transaction (a dialect's own checks and records); may refuse by throwing. */
  readonly alongside?: (ex: Executor, g: VpnGateway) => Promise<void>;
}

/**
 * Starts an asynchronous delete: the gateway and all its connections go to `deleting`; the data
 * plane (or, with none attached, the finalizer) removes them. Refused while pending or suspended.
 */
export async function deleteGateway(deps: ControlDeps, actor: Actor, id: string, opts: DeleteGatewayOptions = {}): Promise<void> {
  const started = await deps.db.transaction().execute(async (trx) => {
    const gw = visible(actor, await getGateway(trx, id), 'vpn_gateway_not_found', id);
    if (gw.lifecycleState === 'deleting') return false;
    await opts.alongside?.(trx, gw);
    if (gw.lifecycleState === 'pending' && !opts.evenIfPending) throw new DomainError('resource_not_ready', `VPN gateway '${id}' is still being provisioned; delete it once it is stable.`);
    if (gw.lifecycleState === 'suspended') throw new DomainError('resource_not_ready', `VPN gateway '${id}' is suspended and cannot be deleted.`);
    const now = deps.clock.now();
    await saveGateway(trx, {
      ...gw, lifecycleState: 'deleting', healthState: 'inapplicable', healthReasons: [], updatedAt: now,
      members: gw.members.map((m) => ({ ...m, lifecycleState: 'deleting' as const, healthState: 'inapplicable' as const, healthReasons: [] })),
    });
    for (const c of await deps.connections.ofGateway(trx, id)) {
      if (c.lifecycleState !== 'deleting') await deps.connections.save(trx, { ...c, lifecycleState: 'deleting', status: 'down', updatedAt: now });
    }
    return true;
  });
  if (started) deps.changes.publish({ resource: 'vpn_gateway', id, action: 'deleting', gatewayIds: [id] });
}
