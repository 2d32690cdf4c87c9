import { deleteGatewayRow, gatewaysInState } from '../store/gateway-store.js';
import { deletePublicIpsOf, deleteReservedIpsOf } from '../store/network-store.js';
import type { ControlDeps } from './control-deps.js';

/**
 * What a data plane let go of on a gateway: only its deleted connections (the gateway itself lives
 * on, or is still being torn down), or the whole gateway with everything on it.
 */
export type ReleaseScope = 'connections' | 'gateway';

/**
 * Removes what is in `deleting` once nothing holds it any more. With no data plane attached this
 * runs shortly after each delete; the agent calls it for what it has torn down.
 * Returns how many objects were removed.
 */
export async function finalizeDeletes(deps: ControlDeps, filter: (gatewayId: string) => boolean = () => true, scope: ReleaseScope = 'gateway'): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    let n = 0;
    for (const c of await deps.connections.inState(trx, 'deleting')) {
      if (!filter(c.gatewayId)) continue;
      await deps.connections.delete(trx, c.id);
      n++;
    }
    for (const g of scope === 'gateway' ? await gatewaysInState(trx, 'deleting') : []) {
      if (!filter(g.id)) continue;
      for (const c of await deps.connections.ofGateway(trx, g.id)) await deps.connections.delete(trx, c.id);
      await deleteReservedIpsOf(trx, g.id);
      await deletePublicIpsOf(trx, g.id);
      await trx.deleteFrom('vpnservices').where('gateway_id', '=', g.id).execute();
      await deleteGatewayRow(trx, g.id);
      n++;
    }
    return n;
  });
}
