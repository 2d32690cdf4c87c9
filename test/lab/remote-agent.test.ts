import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/control/index.js';
import { labDown } from '../../src/dataplane/lab/lab-teardown.js';
import { ViciClient } from '../../src/dataplane/vici/index.js';
import { startTestServer, type TestServer } from '../harness.js';
import { connectPair, labInternet, labRuns, ping, vpcGateway, waitGatewayStable, waitStatus, type LabGateway } from './lab-fixture.js';

const BIN = resolve('bin/causeway');

/**
 * The standalone agent: `causeway serve --dataplane remote` holds no data plane; a separate
 * `causeway agent --server URL` process with its own key reads desired state over the agent API,
 * runs the charons and reports status back. Restarting it tears no tunnel down.
 */
describe.skipIf(!labRuns)('lab: standalone agent over the agent API', () => {
  let t: TestServer;
  let key: string;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  const agentDir = (): string => join(t.dataDir, 'agent');
  let a: LabGateway;
  let b: LabGateway;

  const startAgent = (): ChildProcess => {
    const args = ['agent', '--server', t.server.url, '--data-dir', agentDir(), '--log-level', 'debug', '--metrics-port', String(metricsPort)];
    const child = spawn(BIN, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CAUSEWAY_AGENT_TOKEN: key },
    });
    child.stdout?.on('data', (d: Buffer) => (agentLog += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (agentLog += d.toString()));
    return child;
  };
  const stopAgent = async (): Promise<void> => {
    const child = agent;
    agent = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  };

  let metricsPort = 0;

  beforeAll(async () => {
    metricsPort = await freePort();
    t = await startTestServer({ dataplane: 'remote', labInternet: labInternet('ra'), 'quota.vpcs': '20' }, { listen: true });
    key = (await t.server.control.agentKeys.create(SYSTEM_ACTOR, 'host-1')).key;
    a = await vpcGateway(t, '10.61.0.0/24', 'a');
    b = await vpcGateway(t, '10.62.0.0/24', 'b');
    agent = startAgent();
  }, 60_000);

  afterAll(async () => {
    if (!t) return;
    await stopAgent();
    if (process.env['LAB_DEBUG']) (await import('node:fs')).appendFileSync(process.env['LAB_DEBUG'], agentLog);
    await labDown(join(agentDir(), 'lab'));
    await t.close();
  }, 60_000);

  it('refuses the agent API without an agent key, and with an account token', async () => {
    for (const authorization of [undefined, `Bearer ${t.adminToken}`, 'Bearer cwa_wrong']) {
      const r = await t.app.inject({ method: 'GET', url: '/agent/v1/gateways', headers: authorization ? { authorization } : {} });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('not_authorized');
    }
  });

  it('builds the gateways, brings a tunnel up and reports it; a ping passes', async () => {
    for (const g of [a, b]) await waitGatewayStable(t, g);
    const [c1, c2] = await connectPair(t, a, b);
    await waitStatus(t, c1, 'up', 30_000);
    await waitStatus(t, c2, 'up', 30_000);
    await ping(a, b);
    // The agent's own metrics: its reconciles and queue; the connection gauges are the server's (read from the store).
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(Number(/^causeway_agent_reconcile_duration_seconds_count\{result="ok"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/^causeway_agent_queue_depth \d+$/m);
    expect(text).not.toMatch(/^causeway_connections\{/m);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);
  }, 90_000);

  it('a restarted agent adopts the tunnels: the SA keeps its unique id', async () => {
    const sock = join(agentDir(), 'lab', `gateway-${a.id}`, 'member-1', 'charon.vici'); // the active member's charon
    const ikeIds = async (): Promise<string[]> => {
      const v = new ViciClient({ socketPath: sock });
      try {
        await v.connect(5_000);
        return (await v.listSas({ noblock: true })).map((s) => String((s.value as { uniqueid?: string }).uniqueid));
      } finally {
        v.close();
      }
    };
    const before = await ikeIds();
    expect(before.length).toBeGreaterThan(0);
    await stopAgent();
    agent = startAgent();
    await expect.poll(() => agentLog.includes('causeway agent is running'), { timeout: 15_000 }).toBe(true);
    await new Promise((ok) => setTimeout(ok, 2_000));
    expect(await ikeIds()).toEqual(before);
    await ping(a, b);
  }, 60_000);

  it('deletes through the API finish once the agent has let go', async () => {
    const [conn] = (await t.call('GET', `/v1/vpn_gateways/${a.id}/connections`)).json().connections;
    expect((await t.call('DELETE', `/v1/vpn_gateways/${a.id}/connections/${conn.id}`)).statusCode).toBe(202);
    await expect
      .poll(async () => (await t.call('GET', `/v1/vpn_gateways/${a.id}/connections/${conn.id}`)).statusCode, { timeout: 20_000, interval: 250 })
      .toBe(404);
    expect((await t.call('DELETE', `/v1/vpn_gateways/${b.id}`)).statusCode).toBe(202);
    await expect.poll(async () => (await t.call('GET', `/v1/vpn_gateways/${b.id}`)).statusCode, { timeout: 20_000, interval: 250 }).toBe(404);
  }, 60_000);
});

/** A TCP port free on loopback right now (the agent's metrics listen there). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}
