import type { ObservedSas, SaCounters } from '../domain/sa-facts.js';
import type { Reason } from '../domain/tenancy.js';
import type { Executor } from './schema.js';

/** Live connections by status and reported reasons: one row per distinct pair (few), counted by the database. */
export async function connectionStatusCounts(ex: Executor): Promise<{ status: 'up' | 'down'; reasons: string[]; count: number }[]> {
  const rows = await ex
    .selectFrom('connections')
    .select(['status', 'status_reasons', (eb) => eb.fn.countAll<number>().as('n')])
    .where('lifecycle_state', '!=', 'deleting')
    .groupBy(['status', 'status_reasons'])
    .execute();
  return rows.map((r) => ({
    status: r.status === 'up' ? 'up' : 'down',
    reasons: (JSON.parse(r.status_reasons) as Reason[]).map((x) => x.code),
    count: Number(r.n),
  }));
}

/** The traffic counters last observed of every live connection that has any. */
export async function connectionCounters(ex: Executor): Promise<{ id: string; gatewayId: string; counters: SaCounters }[]> {
  const rows = await ex
    .selectFrom('connections')
    .select(['id', 'gateway_id', 'observed'])
    .where('observed', 'is not', null)
    .where('lifecycle_state', '!=', 'deleting')
    .execute();
  return rows.flatMap((r) => {
    const o = JSON.parse(r.observed!) as ObservedSas;
    return o.counters ? [{ id: r.id, gatewayId: r.gateway_id, counters: o.counters }] : [];
  });
}
