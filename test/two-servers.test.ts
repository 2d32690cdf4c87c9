import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeBatch } from '../src/control/index.js';
import type { Router } from '../src/domain/router.js';
import { getGateway, saveGateway } from '../src/store/gateway-store.js';
import { getRouter, insertRouter, saveRouter } from '../src/store/router-store.js';
import { startTestServer, type TestServer, VERSION } from './harness.js';

const BIN = resolve(__dirname, '..', 'bin', 'causeway');

function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => ok(port));
      })
      .on('error', ko);
  });
}

/**
 * Two API servers on one database, as a scale-out deployment runs them: this test's server (A) and
 * a `causeway serve` process (B) on the same data directory. The rules that keep the data right hold
 * across them: uniqueness (indexes), quotas (checked inside the write's transaction), conditional
 * saves, and the change log, which each server reads from the other's writes.
 */
describe('two API servers on one database', () => {
  let a: TestServer;
  let b: ChildProcess;
  let bUrl: string;

  beforeAll(async () => {
    a = await startTestServer({ 'quota.connectionsPerGateway': '5', 'quota.ikePolicies': '1000' });
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = spawn(
      BIN,
      ['serve', '--data-dir', a.dataDir, '--port', String(port), '--quota', 'connectionsPerGateway=5', '--quota', 'ikePolicies=1000', '--log-level', 'warn'],
      { stdio: 'ignore' },
    );
    const until = Date.now() + 20_000;
    while ((await fetch(`${bUrl}/healthz`).catch(() => undefined))?.status !== 200) {
      if (Date.now() > until) throw new Error('the second server did not start');
      await new Promise((ok) => setTimeout(ok, 100));
    }
  });
  afterAll(async () => {
    if (b.exitCode === null) {
      process.kill(b.pid!, 'SIGTERM');
      await new Promise((ok) => b.once('exit', ok));
    }
    await a.close();
  });

  /** The same IBM request through A (inject) or B (HTTP); the admin token works on both (one master key). */
  async function call(server: 'a' | 'b', method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const url = `${path}${path.includes('?') ? '&' : '?'}version=${VERSION}&generation=2`;
    if (server === 'a') {
      const r = await a.call(method, url, body === undefined ? {} : { body });
      return { status: r.statusCode, json: r.body ? (r.json() as Record<string, unknown>) : {} };
    }
    const r = await fetch(`${bUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${a.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
  const ikeBody = (name: string) => ({
    name,
    ike_version: 2,
    authentication_algorithm: 'sha256',
    encryption_algorithm: 'aes256',
    dh_group: 14,
    key_lifetime: 28800,
  });
  const errorCode = (r: { json: Record<string, unknown> }) => (r.json['errors'] as { code: string }[] | undefined)?.[0]?.code;

  it('a name is taken once, whichever server the requests reach', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => call(i % 2 ? 'a' : 'b', 'POST', '/v1/ike_policies', ikeBody('same-name'))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect([r.status, errorCode(r)]).toEqual([400, 'name_not_unique']);
  });

  it('a quota holds across servers: connection creates on both stop at the limit', async () => {
    const vpc = (await call('a', 'POST', '/v1/vpcs', {})).json;
    const subnet = (await call('b', 'POST', '/v1/subnets', { vpc: { id: vpc['id'] }, ipv4_cidr_block: '10.5.0.0/24' })).json;
    const gw = (await call('a', 'POST', '/v1/vpn_gateways', { subnet: { id: subnet['id'] }, mode: 'policy' })).json;
    const conn = (i: number) => ({
      psk: 'lkj14b1oi0alcniejkso',
      local: { cidrs: ['10.5.0.0/24'] },
      peer: { address: `203.0.113.${10 + i}`, cidrs: [`192.168.${i}.0/24`] },
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(i % 2 ? 'a' : 'b', 'POST', `/v1/vpn_gateways/${String(gw['id'])}/connections`, conn(i))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of results.filter((x) => x.status !== 201)) expect(errorCode(r)).toBe('over_quota');
    expect(((await call('b', 'GET', `/v1/vpn_gateways/${String(gw['id'])}`)).json['connections'] as unknown[]).length).toBe(5);
  });

  it('a save conditional on the revision read refuses a write made from a stale read', async () => {
    const vpc = (await call('b', 'POST', '/v1/vpcs', {})).json;
    const subnet = (await call('b', 'POST', '/v1/subnets', { vpc: { id: vpc['id'] }, ipv4_cidr_block: '10.6.0.0/24' })).json;
    const id = String((await call('b', 'POST', '/v1/vpn_gateways', { subnet: { id: subnet['id'] }, mode: 'route' })).json['id']);
    const read = (await a.server.store.read((ex) => getGateway(ex, id)))!;
    expect((await call('b', 'PATCH', `/v1/vpn_gateways/${id}`, { name: 'renamed-by-b' })).status).toBe(200);
    // A still holds the revision it read before B's update.
    await expect(a.server.store.write((ex) => saveGateway(ex, { ...read, name: 'stale' }, read.revision))).rejects.toMatchObject({ code: 'concurrent_update' });
    expect((await call('a', 'GET', `/v1/vpn_gateways/${id}`)).json['name']).toBe('renamed-by-b');
  });

  it('a router update from a stale read is refused too', async () => {
    const account = await a.server.store.read((ex) => ex.selectFrom('accounts').select('id').executeTakeFirstOrThrow());
    const r: Router = {
      id: randomUUID(),
      accountId: account.id,
      name: 'r',
      description: '',
      adminStateUp: true,
      externalNetworkId: null,
      externalIp: null,
      createdAt: 1,
      updatedAt: 1,
      revision: 0,
    };
    await a.server.store.write((ex) => insertRouter(ex, r));
    await a.server.store.write((ex) => saveRouter(ex, { ...r, name: 'first' }, r.revision));
    await expect(a.server.store.write((ex) => saveRouter(ex, { ...r, name: 'stale' }, r.revision))).rejects.toMatchObject({ code: 'concurrent_update' });
    expect((await a.server.store.read((ex) => getRouter(ex, r.id)))?.name).toBe('first');
  });

  it("each server reads the other's changes from the change log, in generation order", async () => {
    const seen: ChangeBatch[] = [];
    const from = await a.server.control.changes.current();
    const stop = a.server.control.changes.follow(from, (batch) => seen.push(batch), { pollMs: 50 });
    try {
      expect((await call('b', 'POST', '/v1/vpcs', {})).status).toBe(201);
      expect((await call('b', 'POST', '/v1/vpcs', {})).status).toBe(201);
      await expect.poll(() => seen.flatMap((s) => s.entries).map((e) => e.generation), { timeout: 3000, interval: 20 }).toEqual([from + 1, from + 2]);
    } finally {
      stop();
    }
    const current = await a.server.control.changes.current();
    expect(await a.server.control.changes.read(current + 10)).toMatchObject({ resync: true, generation: current });
    expect(await a.server.control.changes.read(current)).toEqual({ generation: current, resync: false, entries: [] });
    // A reader behind what the log still holds (pruned past it) resyncs; one right at the edge reads on.
    await a.server.store.write((ex) =>
      ex
        .deleteFrom('changes')
        .where('generation', '<=', from + 1)
        .execute(),
    );
    expect(await a.server.control.changes.read(from)).toEqual({ generation: current, resync: true, entries: [] });
    expect(await a.server.control.changes.read(from + 1)).toMatchObject({ resync: false, entries: [{ generation: from + 2 }] });
  });
});
