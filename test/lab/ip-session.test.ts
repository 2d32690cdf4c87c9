import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, ensureNamespace, ip, listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { IpBatchError, closeIpSession, ipSessionBatch, procNetNetlink } from '../../src/dataplane/lab/ip-session.js';
import { labRuns } from './lab-fixture.js';

/** The long-lived `ip -batch` per namespace that the lab's selector changes go through. */
describe.runIf(labRuns)('ip sessions', () => {
  const ns = `cw-ipsess-${process.pid}`;

  beforeAll(async () => {
    await ensureNamespace(ns);
  });
  afterAll(async () => {
    await deleteNamespace(ns);
  });

  const addresses = async (): Promise<string[]> =>
    (await ip(['-o', '-4', 'addr', 'show', 'dev', 'lo'], ns))
      .split('\n')
      .map((l) => /inet (\S+)/.exec(l)?.[1])
      .filter((a): a is string => !!a && a !== '127.0.0.1/8');

  it('runs batches one after another in the namespace, each resolved once done', async () => {
    await Promise.all([
      ipSessionBatch(['addr add 10.77.0.1/32 dev lo', 'addr add 10.77.0.2/32 dev lo'], ns),
      ipSessionBatch(['addr add 10.77.0.3/32 dev lo'], ns),
    ]);
    expect((await addresses()).sort()).toEqual(['10.77.0.1/32', '10.77.0.2/32', '10.77.0.3/32']);
    // Its process lives in the namespace: its /proc view is the namespace's, not ours.
    expect(await procNetNetlink(ns)).toMatch(/^sk\s+Eth/);
  });

  it("a failing line rejects its batch with ip's message, runs the other lines, and leaves the session usable", async () => {
    const err = await ipSessionBatch(['addr add 10.77.0.1/32 dev lo', 'addr add 10.77.0.4/32 dev lo'], ns).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpBatchError);
    expect((err as Error).message).toMatch(/File exists|already assigned/);
    expect(await addresses()).toContain('10.77.0.4/32');
    await ipSessionBatch(['addr del 10.77.0.4/32 dev lo'], ns);
    expect(await addresses()).not.toContain('10.77.0.4/32');
  });

  it('a line ip cannot parse ends the session; the next batch gets a new one', async () => {
    await expect(ipSessionBatch(['addr add 10.77.0.9/33 dev lo'], ns)).rejects.toBeInstanceOf(IpBatchError);
    await ipSessionBatch(['addr add 10.77.0.5/32 dev lo'], ns);
    expect(await addresses()).toContain('10.77.0.5/32');
  });

  it('keeps a process whose only work is a batch alive until the batch is done, and then lets it exit', async () => {
    // The built module (make test builds first), in a process of its own with nothing else to wait for.
    const mod = resolve('dist/src/dataplane/lab/ip-session.js');
    const script = `import { ipSessionBatch } from ${JSON.stringify(mod)};
      await ipSessionBatch(['addr add 10.77.0.6/32 dev lo'], ${JSON.stringify(ns)});
      console.log('batch done');`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    expect(stdout).toContain('batch done');
    expect(await addresses()).toContain('10.77.0.6/32');
  });

  it('a session that ran many batches holds no queued listeners (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      if (w.name === 'MaxListenersExceededWarning') warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 30; i++) await ipSessionBatch(['link show dev lo'], ns);
      await new Promise((ok) => setImmediate(ok)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.message)).toEqual([]);
  });

  it('deleteNamespace ends the session first, so the namespace really goes', async () => {
    const other = `cw-ipsess2-${process.pid}`;
    await ensureNamespace(other);
    await ipSessionBatch(['addr add 10.78.0.1/32 dev lo'], other);
    await deleteNamespace(other);
    expect(await listNamespaces()).not.toContain(other);
    await closeIpSession(other); // nothing left to close
  });
});
