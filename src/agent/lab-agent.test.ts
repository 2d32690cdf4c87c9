import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseStrictCidr } from '../domain/cidr.js';
import type { AgentBackend } from './agent-backend.js';
import { LabAgent, statusDelayMs } from './lab-agent.js';

describe('statusDelayMs', () => {
  it('waits 100 ms after a cheap refresh (or none yet), and 3 times the last one after a costly one', () => {
    expect(statusDelayMs(undefined)).toBe(100);
    expect(statusDelayMs(20)).toBe(100);
    expect(statusDelayMs(80)).toBe(240);
    expect(statusDelayMs(400.4)).toBe(1201);
  });
});

describe('LabAgent loop: a held burst', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.useRealTimers();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** An agent on a backend that only feeds changes; its reconciler's two entry points replaced by recorders. */
  async function loop(): Promise<{ agent: LabAgent; feed: (id: string) => void; done: string[] }> {
    const labRoot = mkdtempSync(join(tmpdir(), 'cw-agent-loop-'));
    dirs.push(labRoot);
    let onChange: (ids: readonly string[] | 'all') => void = () => undefined;
    const backend = {
      gatewayIds: () => Promise.resolve([]),
      watch: (f: typeof onChange) => {
        onChange = f;
        return () => undefined;
      },
    } as unknown as AgentBackend;
    const agent = new LabAgent({
      backend,
      labRoot,
      lab: { pools: { gateways: parseStrictCidr('192.0.2.0/24')!, sites: parseStrictCidr('203.0.113.0/24')! }, internetNs: 'cw-inet-loop' },
    });
    const done: string[] = [];
    agent.reconciler.reconcile = (id: string) => {
      done.push(`reconcile ${id}`);
      return Promise.resolve({ standby: true });
    };
    agent.reconciler.syncStandby = (id: string) => {
      done.push(`standby ${id}`);
      return Promise.resolve();
    };
    await agent.start();
    return { agent, feed: (id) => onChange([id]), done };
  }

  it('idle() waits for it, and no standby sync runs between its halves', async () => {
    vi.useFakeTimers();
    const { agent, feed, done } = await loop();
    feed('g1'); // quiet before: reconciled at once
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual(['reconcile g1']);
    // A burst: a change every 40 ms for 1.2 s, held all along; the first reconcile's standby sync comes due meanwhile.
    let idle = false;
    for (let i = 0; i < 30; i++) {
      feed('g1');
      if (i === 0) void agent.idle().then(() => (idle = true));
      await vi.advanceTimersByTimeAsync(40);
    }
    expect(done).toEqual(['reconcile g1']);
    expect(idle).toBe(false);
    // The burst pauses: its one reconcile, and then the standby sync that waited for it.
    await vi.advanceTimersByTimeAsync(50);
    expect(done).toEqual(['reconcile g1', 'reconcile g1', 'standby g1']);
    expect(idle).toBe(true);
    agent.stop();
  });
});
