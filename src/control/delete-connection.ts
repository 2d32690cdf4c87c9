import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';
import { getGateway } from '../store/gateway-store.js';
import { visible } from './access.js';
import type { ControlDeps } from './control-deps.js';

/** Starts an asynchronous delete (202): the connection goes to `deleting` until the data plane lets go. */
export async function deleteConnection(deps: ControlDeps, actor: Actor, gatewayId: string, id: string, ifMatch?: number | '*'): Promise<void> {
  const started = await deps.db.transaction().execute(async (trx) => {
    visible(actor, await getGateway(trx, gatewayId), 'vpn_gateway_not_found', gatewayId);
    const c = await deps.connections.get(trx, id);
    if (!c || c.gatewayId !== gatewayId) throw new DomainError('vpn_gateway_connection_not_found', `Connection '${id}' was not found on VPN gateway '${gatewayId}'.`);
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== c.revision) {
      throw new DomainError('precondition_failed', `If-Match does not match the connection's current ETag.`, { type: 'header', name: 'If-Match' });
    }
    if (c.lifecycleState === 'deleting') return false;
    await deps.connections.save(trx, { ...c, lifecycleState: 'deleting', status: 'down', updatedAt: deps.clock.now() });
    return true;
  });
  if (started) deps.changes.publish({ resource: 'connection', id, action: 'deleting', gatewayIds: [gatewayId] });
}
