import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCharon, stopCharon, viciSocketPath } from '../../src/dataplane/lab/charon-process.js';
import { syncGatewaySelectors } from '../../src/dataplane/lab/gateway-network.js';
import { deleteNamespace, ensureNamespace } from '../../src/dataplane/lab/ip-command.js';
import { memberNs, vpcNs } from '../../src/dataplane/lab/lab-names.js';
import type { GatewayLayout } from '../../src/dataplane/lab/network-layout.js';
import { routeEventDrops } from '../../src/dataplane/lab/netlink-drops.js';
import { labRuns } from './lab-fixture.js';

/**
 * The N=200 bring-up failure of bench-tunnels: charon learns a namespace's addresses only from
 * RTNETLINK events, and its event socket (the kernel's default buffer, ~250 events) overflowed when a
 * burst of addresses came while charon's event thread could not run. The dropped addresses stayed
 * unknown to charon, and their CHILD_SAs failed for good (`error installing route with policy … out`).
 * Here charon is frozen (SIGSTOP) while the gateway's selectors gain 600 addresses, and let go 150 ms
 * later: the kernel must have dropped events, and the sync must still end with charon knowing every
 * address.
 */
const COUNT = 600;
const ID = `ab${process.pid.toString(16).padStart(10, '0')}`;

describe.runIf(labRuns)('charon and a burst of address changes', () => {
  const ns = memberNs(ID, 1);
  const vns = vpcNs(ID);
  const dir = mkdtempSync(join(tmpdir(), 'causeway-nlburst-'));
  let charon: ChildProcess | undefined;
  const log = (): string => (existsSync(join(dir, 'charon.log')) ? readFileSync(join(dir, 'charon.log'), 'utf8') : '');

  beforeAll(async () => {
    await ensureNamespace(ns);
    await ensureNamespace(vns);
    charon = startCharon({ ns, dir });
    for (let i = 0; i < 100 && !existsSync(viciSocketPath(dir)); i++) await sleep(100);
  }, 20_000);

  afterAll(async () => {
    if (charon) await stopCharon(charon);
    await deleteNamespace(ns);
    await deleteNamespace(vns);
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with charon knowing every address, even after the kernel dropped its events', async () => {
    const addresses = Array.from({ length: COUNT }, (_, i) => `10.${100 + (i >> 8)}.${i & 255}.254`);
    const layout: GatewayLayout = {
      gatewayId: ID,
      vpcId: ID,
      members: [{ index: 1, privateIp: '10.99.0.4', publicIps: [], cut: false }],
      routeVia: '10.99.0.4',
      privatePrefix: 24,
      subnetId: ID,
      vpcSubnets: [],
      extraLocalAddresses: addresses,
      peerRoutes: [],
    };
    const pid = charon!.pid!;
    process.kill(pid, 'SIGSTOP');
    const resume = setTimeout(() => process.kill(pid, 'SIGCONT'), 150);
    try {
      await syncGatewaySelectors(layout, { extraLocalAddresses: [], peerRoutes: [], routeVia: '10.99.0.4' });
    } finally {
      clearTimeout(resume);
      process.kill(pid, 'SIGCONT');
    }
    expect((await routeEventDrops(ns)).drops).toBeGreaterThan(0); // the burst did overflow charon's socket
    const seen = (): number => {
      const text = log();
      return addresses.filter((a) => text.includes(` ${a} appeared on lo`)).length;
    };
    for (let i = 0; i < 50 && seen() < COUNT; i++) await sleep(100);
    expect(seen()).toBe(COUNT);
  }, 30_000);
});
