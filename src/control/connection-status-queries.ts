import type { Connection } from '../domain/connection.js';
import { connectionWeakAlgorithms } from '../domain/effective-crypto.js';
import { connectionReasons } from '../domain/status-reasons.js';
import type { Reason } from '../domain/tenancy.js';
import { getIkePolicies, getIpsecPolicies } from '../store/policy-store.js';
import { listScope } from './access.js';
import type { Tx } from './tx.js';
import { byId } from './view-refs.js';

/** What a live status cell shows of a connection: the same status reasons as its full view. */
export interface ConnectionStatusView {
  readonly connection: Pick<Connection, 'id' | 'gatewayId' | 'status' | 'lifecycleState'>;
  readonly statusReasons: readonly Reason[];
}

/** The most a status read returns, oldest first (the console's lists show no more). */
export const STATUS_READ_LIMIT = 1000;

/**
 * The status of every connection the actor may see, oldest first: light rows and their policies in
 * batches, no gateway views and no pre-shared key opened. For a view polled often (the console's
 * live status), where the full list would decrypt every connection's key on every pass.
 */
export async function listConnectionStatuses(tx: Tx): Promise<ConnectionStatusView[]> {
  const rows = await tx.deps.connections.statusRows(tx.ex, listScope(tx.actor), STATUS_READ_LIMIT);
  const ike = byId(await getIkePolicies(tx.ex, [...new Set(rows.flatMap((c) => (c.ikePolicyId ? [c.ikePolicyId] : [])))]));
  const esp = byId(await getIpsecPolicies(tx.ex, [...new Set(rows.flatMap((c) => (c.ipsecPolicyId ? [c.ipsecPolicyId] : [])))]));
  const attached = tx.settings.dataplane !== 'none';
  return rows.map((c) => ({
    connection: { id: c.id, gatewayId: c.gatewayId, status: c.status, lifecycleState: c.lifecycleState },
    statusReasons: connectionReasons(
      c.statusReasons,
      connectionWeakAlgorithms(c, c.ikePolicyId ? ike.get(c.ikePolicyId) : undefined, c.ipsecPolicyId ? esp.get(c.ipsecPolicyId) : undefined),
      attached,
      c.adminStateUp,
      c.kind === 'route_bgp',
    ),
  }));
}
