import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { gatewayNamespaces, memberNs } from '../../src/dataplane/lab/lab-names.js';
import { isCharonPid } from '../../src/dataplane/lab/lab-state.js';
import type { TestServer } from '../harness.js';
import { charonPid, gatewayDir, labInternet, labRuns, startLab, stopLab, vpcGateway, type LabGateway } from './lab-fixture.js';

const run = promisify(execFile);
const BIN = resolve('bin/causeway');

/**
 * `causeway lab down` while a server still serves the data directory raced the server's agent (it
 * rebuilt the namespaces; a charon outlived a second `lab down`). It now refuses, naming the pid.
 */
describe.skipIf(!labRuns)('lab: `lab down` while a server serves the lab', () => {
  let t: TestServer;
  let gw: LabGateway;
  const labDownCli = () =>
    run(BIN, ['lab', 'down', '--data-dir', t.dataDir], { timeout: 60_000, env: { ...process.env, CAUSEWAY_LAB_INTERNET: labInternet('rsnd') } });

  beforeAll(async () => {
    t = await startLab('rsnd');
    gw = await vpcGateway(t, '10.93.0.0/24', 'rsnd');
  }, 60_000);
  afterAll(() => stopLab(t), 60_000);

  it('refuses, naming the serving pid, and removes nothing', async () => {
    await expect.poll(async () => (await listNamespaces()).includes(memberNs(gw.id, 1)), { timeout: 20_000, interval: 100 }).toBe(true);
    // Both members' charons: the active one, and the standby the agent starts once it is quiet.
    const running = (m: 1 | 2): boolean => existsSync(join(gatewayDir(t, gw, m), 'charon.pid')) && isCharonPid(charonPid(t, gw, m));
    await expect.poll(() => running(1) && running(2), { timeout: 20_000, interval: 100 }).toBe(true);
    const err = await labDownCli().then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toContain(`(pid ${process.pid}) still serves the lab in ${t.dataDir}`);
    expect(await listNamespaces()).toContain(memberNs(gw.id, 1));
    expect(isCharonPid(charonPid(t, gw))).toBe(true);
  }, 60_000);

  it('once the server’s agent stops, removes everything, and a second run finds nothing left', async () => {
    const pid = charonPid(t, gw);
    t.server.agent?.stop();
    await t.server.agent?.idle(); // the reconcile in flight ends, then the agent gives the lab up
    expect((await labDownCli()).stdout).toMatch(new RegExp(`^Removed [1-9]\\d* namespaces .*, stopped 2 charon processes\\n$`));
    expect(isCharonPid(pid)).toBe(false);
    expect((await listNamespaces()).filter((ns) => ns.includes('rsnd') || gatewayNamespaces(gw.id).includes(ns))).toEqual([]);
    expect((await labDownCli()).stdout).toBe('Removed 0 namespaces, stopped 0 charon processes\n');
  }, 60_000);
});
