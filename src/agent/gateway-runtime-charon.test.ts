import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { isCharonPid, pidAlive } from '../dataplane/lab/lab-state.js';
import { CharonTestInstance, charonTestSkipReason } from '../dataplane/vici/charon-test-instance.js';
import { GatewayRuntime } from './gateway-runtime.js';

const skip = charonTestSkipReason();

/**
 * A member's charon killed while a reconcile of its gateway runs: the reconcile's next request to it
 * must fail at once. It waited 2 s for a reconnect (closedTimeoutMs) while holding the gateway's lock,
 * and the failover waited behind it: at 200 tunnels, 8 of 9 such failovers took 2.4–2.6 s.
 */
describe.skipIf(skip !== undefined)(`GatewayRuntime with a real charon ${skip ?? ''}`, () => {
  let charon: CharonTestInstance;

  beforeAll(async () => {
    charon = await CharonTestInstance.start();
  }, 30_000);

  afterAll(() => charon?.dispose(), 30_000);

  it('a charon that died: the runtime lets go of it, and a request in hand fails at once', async () => {
    const pid = charon.pid!;
    // What CharonSupervisor.pid() checks: the process lives and is a charon (a zombie is not).
    const supervisor = { socket: charon.socketPath, dir: charon.dir, pid: () => (pidAlive(pid) && isCharonPid(pid) ? pid : undefined) };
    let lost = 0;
    const rt = new GatewayRuntime('gw', supervisor as unknown as CharonSupervisor, { onEvent: () => undefined, onLost: () => lost++ });
    const vici = await rt.connect();
    expect(await vici.listSas()).toEqual([]);
    await charon.stopCharon('SIGKILL');
    await expect.poll(() => lost, { timeout: 5_000, interval: 20 }).toBe(1);
    await expect.poll(() => rt.vici, { timeout: 2_000, interval: 10 }).toBeUndefined();
    const t0 = Date.now();
    await expect(vici.listSas()).rejects.toThrow(/closed/);
    expect(Date.now() - t0).toBeLessThan(500);
  }, 20_000);
});
