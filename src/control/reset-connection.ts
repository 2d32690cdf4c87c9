import type { ConnectionView } from './connection-queries.js';
import { getConnection } from './connection-queries.js';
import { recordEvents } from './connection-events.js';
import type { Tx } from './tx.js';
import { loadConnection } from './update-connection.js';

/**
 * Re-initiates a connection's tunnel (cloud.ca's `operation=reset`, Huawei's `reset`, the native
 * `POST …/connections/{id}/reset`): the data plane replaces the IKE_SA and its CHILD_SAs, so the
 * tunnel comes back with new SAs. The configuration and its revision (an ETag) do not change.
 */
export async function resetConnection(tx: Tx, gatewayId: string, id: string): Promise<ConnectionView> {
  const c = await loadConnection(tx, gatewayId, id, true);
  await tx.deps.connections.save(tx.ex, { ...c, resets: c.resets + 1 }, c.revision);
  tx.record({ resource: 'connection', id, action: 'reset', gatewayIds: [gatewayId] });
  await recordEvents(tx, [{ connection: c, type: 'reset', details: { resets: c.resets + 1 } }]);
  return getConnection(tx, gatewayId, id);
}
