import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

/**
 * The per-gateway connection and CIDR totals are kept on the gateway row by the connection store.
 * After any sequence of creates, CIDR edits, rejected edits and deletes they must equal a recount.
 */
describe('per-gateway connection totals', () => {
  let t: TestServer;
  let gw: string;
  beforeAll(async () => {
    t = await startTestServer({ 'quota.connectionsPerGateway': '1000', 'quota.cidrsPerGateway': '100000' });
    gw = (await makeGateway(t)).gateway.id;
  });
  afterAll(async () => {
    await t.close();
  });

  async function recount() {
    const db = t.server.store.db;
    const rows = await db.selectFrom('connections').select(['local_cidrs', 'peer_cidrs']).where('gateway_id', '=', gw).execute();
    const kept = await db.selectFrom('vpn_gateways').select(['connection_count', 'connection_cidr_count']).where('id', '=', gw).executeTakeFirstOrThrow();
    const cidrs = rows.reduce((n, r) => n + (JSON.parse(r.local_cidrs) as unknown[]).length + (JSON.parse(r.peer_cidrs) as unknown[]).length, 0);
    return { kept: { count: Number(kept.connection_count), cidrs: Number(kept.connection_cidr_count) }, actual: { count: rows.length, cidrs } };
  }

  it('match a recount after random operations', async () => {
    const ids: string[] = [];
    let n = 0;
    const op = fc.oneof(
      fc.constant({ kind: 'create' as const }),
      fc.record({ kind: fc.constant('add' as const), side: fc.constantFrom('local', 'peer'), octet: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('remove' as const), side: fc.constantFrom('local', 'peer'), octet: fc.integer({ min: 0, max: 40 }) }),
      fc.constant({ kind: 'delete' as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.nat(), async (ops, pick) => {
        for (const o of ops) {
          const target = ids.length ? ids[pick % ids.length] : undefined;
          if (o.kind === 'create') {
            n++;
            const r = await t.call('POST', `/v1/vpn_gateways/${gw}/connections`, {
              body: policyConnection({ name: `c${n}`, peer: { address: '203.0.113.9', cidrs: [`172.16.${n % 250}.0/24`] } }),
            });
            if (r.statusCode === 201) ids.push(r.json().id);
          } else if (target && o.kind === 'delete') {
            await t.call('DELETE', `/v1/vpn_gateways/${gw}/connections/${target}`);
            ids.splice(ids.indexOf(target), 1);
          } else if (target && (o.kind === 'add' || o.kind === 'remove')) {
            const cidr = o.side === 'local' ? `10.240.${o.octet}.0%2F24` : `192.0.2.${o.octet * 4}%2F30`;
            await t.call(o.kind === 'add' ? 'PUT' : 'DELETE', `/v1/vpn_gateways/${gw}/connections/${target}/${o.side}/cidrs/${cidr}`);
          }
        }
        await expect.poll(async () => (await recount()).actual.count, { timeout: 5000 }).toBe(ids.length);
        const { kept, actual } = await recount();
        expect(kept).toEqual(actual);
      }),
      { numRuns: 15 },
    );
  });
});
