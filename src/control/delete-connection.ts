import { inUse } from '../domain/errors.js';
import { dropRefs } from '../store/extras-store.js';
import { routesVia } from '../store/routing-table-store.js';
import { checkIfMatch, loadConnection } from './update-connection.js';
import type { Tx } from './tx.js';

/**
 * Starts an asynchronous delete (IBM 202): the connection goes to `deleting` and no longer holds what
 * its extras referred to, until the data plane lets go of it. Refused while a VPC route delivers to it.
 */
export async function deleteConnection(tx: Tx, gatewayId: string, id: string, opts: { ifMatch?: number | '*' } = {}): Promise<void> {
  const c = await loadConnection(tx, gatewayId, id, false);
  checkIfMatch(c, opts.ifMatch);
  if (c.lifecycleState === 'deleting') return;
  const [route] = await routesVia(tx.ex, [id]);
  if (route)
    throw inUse(
      'connection',
      id,
      `VPN gateway connection '${id}' is the next hop of route '${route.name}' (${route.destination}); delete or change the route first.`,
    );
  await tx.deps.connections.save(
    tx.ex,
    { ...c, lifecycleState: 'deleting', status: 'down', tunnelsUp: c.tunnelsUp === null ? null : [], updatedAt: tx.now() },
    c.revision,
  );
  await dropRefs(tx.ex, 'connection', id);
  tx.record({ resource: 'connection', id, action: 'deleting', gatewayIds: [gatewayId] });
}
