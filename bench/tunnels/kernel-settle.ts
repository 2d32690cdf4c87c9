import { setTimeout as sleep } from 'node:timers/promises';
import { deleteNamespace, ip } from '../../src/dataplane/lab/ip-command.js';
import type { CleanupRegistry } from './cleanup-registry.js';
import { deleteNamespacesSync } from './sync-teardown.js';

const FAST_MS = 60;
const LIMIT_MS = 60_000;

/**
 * Deleting namespaces returns at once, but the kernel tears their interfaces down afterwards, holding
 * the lock every `ip` change needs; a lab built meanwhile is seconds slower (measured: 1.5 s more for
 * a gateway with 20 subnets). So between the two runs this waits until a probe (a namespace with a
 * bridge: made, then removed) is fast twice in a row. Returns how long it waited.
 */
export async function settleKernel(cleanup: CleanupRegistry): Promise<number> {
  const probe = `cw-settle-${(process.pid % 0xffffff).toString(16)}`;
  const done = cleanup.add(
    `the probe namespace ${probe}`,
    () => deleteNamespace(probe),
    () => deleteNamespacesSync([probe]),
  );
  const t0 = Date.now();
  try {
    let fast = 0;
    while (fast < 2 && Date.now() - t0 < LIMIT_MS) {
      cleanup.check();
      const t = Date.now();
      await ip(['netns', 'add', probe]);
      await ip(['link', 'add', 'b0', 'type', 'bridge'], probe);
      await ip(['link', 'set', 'b0', 'up'], probe);
      const took = Date.now() - t;
      await deleteNamespace(probe);
      fast = took < FAST_MS ? fast + 1 : 0;
      await sleep(fast > 0 ? 100 : 250);
    }
    return Date.now() - t0;
  } finally {
    await done();
  }
}
