import { DomainError, inUse } from '../domain/errors.js';
import { dropRefs } from '../store/extras-store.js';
import { getGateway, saveGateway } from '../store/gateway-store.js';
import { routesVia } from '../store/routing-table-store.js';
import { visibleTo } from './access.js';
import type { Tx } from './tx.js';

export interface DeleteGatewayOptions {
  /** Delete whatever the state (Neutron's vpnservice delete); by default a gateway still pending is refused. */
  readonly evenIfPending?: boolean;
  /** Refuse while the gateway has connections that are not being deleted (Neutron, Huawei) instead of deleting them with it (IBM). */
  readonly onlyIfEmpty?: boolean;
}

/**
 * Starts an asynchronous delete: the gateway and all its connections go to `deleting`, and no longer
 * hold what their extras referred to; the data plane (or, with none attached, the finalizer) removes
 * them. Refused while pending (unless `evenIfPending`), suspended, or a VPC route delivers to one of its connections.
 */
export async function deleteGateway(tx: Tx, id: string, opts: DeleteGatewayOptions = {}): Promise<void> {
  const gw = visibleTo(tx.actor, await getGateway(tx.ex, id), 'vpn_gateway', id);
  if (gw.lifecycleState === 'deleting') return;
  const connections = await tx.deps.connections.ofGateway(tx.ex, id);
  if (opts.onlyIfEmpty && connections.some((c) => c.lifecycleState !== 'deleting')) {
    throw inUse('vpn_gateway', id, `VPN gateway '${id}' still has connections; delete them first.`);
  }
  if (gw.lifecycleState === 'pending' && !opts.evenIfPending)
    throw new DomainError('resource_not_ready', `VPN gateway '${id}' is still being provisioned; delete it once it is stable.`);
  if (gw.lifecycleState === 'suspended') throw new DomainError('resource_not_ready', `VPN gateway '${id}' is suspended and cannot be deleted.`);
  const [route] = await routesVia(
    tx.ex,
    connections.map((c) => c.id),
  );
  if (route) {
    throw inUse(
      'vpn_gateway',
      id,
      `VPN gateway '${id}' has a connection that is the next hop of route '${route.name}' (${route.destination}); delete or change the route first.`,
    );
  }
  const now = tx.now();
  await saveGateway(
    tx.ex,
    {
      ...gw,
      lifecycleState: 'deleting',
      healthState: 'inapplicable',
      healthReasons: [],
      updatedAt: now,
      members: gw.members.map((m) => ({ ...m, lifecycleState: 'deleting' as const, healthState: 'inapplicable' as const, healthReasons: [] })),
    },
    gw.revision,
  );
  await dropRefs(tx.ex, 'vpn_gateway', id);
  const going: string[] = [];
  for (const c of connections) {
    if (c.lifecycleState === 'deleting') continue;
    await tx.deps.connections.save(tx.ex, { ...c, lifecycleState: 'deleting', status: 'down', updatedAt: now }, c.revision);
    await dropRefs(tx.ex, 'connection', c.id);
    going.push(c.id);
  }
  tx.record({ resource: 'vpn_gateway', id, action: 'deleting', gatewayIds: [id], connectionIds: going });
}
