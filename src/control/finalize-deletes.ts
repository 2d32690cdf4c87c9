import { deleteExtrasOf } from '../store/extras-store.js';
import { deleteGatewayRow, gatewaysDeletingUpTo } from '../store/gateway-store.js';
import { deletePublicIpsOf, deleteReservedIpsOf } from '../store/network-store.js';
import type { Tx } from './tx.js';

/**
 * What a data plane let go of on a gateway: only its deleted connections (the gateway itself lives
 * on, or is still being torn down), or the whole gateway with everything on it.
 */
export type ReleaseScope = 'connections' | 'gateway';

export interface ReleaseFilter {
  readonly gatewayId?: string;
  readonly scope?: ReleaseScope;
  /**
   * The generation of the plan the data plane tore down: only what was being deleted by then goes.
   * A connection or gateway deleted later is still held by the data plane. Undefined: everything.
   */
  readonly generation?: number;
}

/**
 * Removes what is in `deleting` once nothing holds it any more. With no data plane attached this runs
 * shortly after each delete; an agent calls it for what it has torn down. Returns how many objects went.
 */
export async function finalizeDeletes(tx: Tx, f: ReleaseFilter = {}): Promise<number> {
  let n = 0;
  const conns = await tx.deps.connections.deletingUpTo(tx.ex, f.gatewayId, f.generation);
  for (const c of conns) await tx.deps.connections.delete(tx.ex, c.id);
  await deleteExtrasOf(
    tx.ex,
    'connection',
    conns.map((c) => c.id),
  );
  n += conns.length;
  for (const g of (f.scope ?? 'gateway') === 'gateway' ? await gatewaysDeletingUpTo(tx.ex, f.gatewayId, f.generation) : []) {
    const rest = await tx.deps.connections.ofGateway(tx.ex, g.id);
    for (const c of rest) await tx.deps.connections.delete(tx.ex, c.id);
    await deleteExtrasOf(
      tx.ex,
      'connection',
      rest.map((c) => c.id),
    );
    await deleteReservedIpsOf(tx.ex, g.id);
    await deletePublicIpsOf(tx.ex, g.id);
    await deleteExtrasOf(tx.ex, 'vpn_gateway', [g.id]);
    await deleteGatewayRow(tx.ex, g.id);
    n++;
  }
  return n;
}
