import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';
import { getGateway, saveGateway } from '../store/gateway-store.js';
import { visible } from './access.js';
import type { ControlDeps } from './control-deps.js';

/**
 * Starts an asynchronous delete: the gateway and all its connections go to `deleting`; the data
 * plane (or, with none attached, the finalizer) removes them. Refused while pending or suspended.
 */
export async function deleteGateway(deps: ControlDeps, actor: Actor, id: string): Promise<void> {
  const started = await deps.db.transaction().execute(async (trx) => {
    const gw = visible(actor, await getGateway(trx, id), 'vpn_gateway_not_found', id);
    if (gw.lifecycleState === 'deleting') return false;
    if (gw.lifecycleState === 'pending') throw new DomainError('resource_not_ready', `VPN gateway '${id}' is still being provisioned; delete it once it is stable.`);
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
