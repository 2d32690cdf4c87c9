import { dropRefs } from '../store/extras-store.js';
import { checkIfMatch, loadConnection } from './update-connection.js';
import type { Tx } from './tx.js';

/**
 * Starts an asynchronous delete (IBM 202): the connection goes to `deleting` and no longer holds what
 * its extras referred to, until the data plane lets go of it.
 */
export async function deleteConnection(tx: Tx, gatewayId: string, id: string, opts: { ifMatch?: number | '*' } = {}): Promise<void> {
  const c = await loadConnection(tx, gatewayId, id, false);
  checkIfMatch(c, opts.ifMatch);
  if (c.lifecycleState === 'deleting') return;
  await tx.deps.connections.save(tx.ex, { ...c, lifecycleState: 'deleting', status: 'down', updatedAt: tx.now() }, c.revision);
  await dropRefs(tx.ex, 'connection', id);
  tx.record({ resource: 'connection', id, action: 'deleting', gatewayIds: [gatewayId] });
}
