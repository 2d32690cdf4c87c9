import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown } from '../src/dataplane/lab/lab-teardown.js';
import { startTestServer, type TestServer } from './harness.js';

const root = process.getuid?.() === 0;
const REPO = resolve(__dirname, '..');

/**
 * The README's walk-through block, pasted into bash as written (only the server URL is pointed at the
 * test server), with the lab data plane: it must end with the tunnel up and a ping through it.
 */
describe.skipIf(!root && !process.env['CI'])('README walk-through', () => {
  let t: TestServer;
  const inet = `cw-inet-r${process.pid}`;
  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'lab', labInternet: inet }, { listen: true });
  }, 60_000);
  afterAll(async () => {
    if (!t) return;
    t.server.agent?.stop();
    await labDown(join(t.dataDir, 'lab'));
    await t.close();
  }, 60_000);

  it('runs as pasted and ends with the tunnel up and a ping through it', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Walk-through'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    expect(block).toContain('CW=http://127.0.0.1:8080');
    const script = `set -euo pipefail\n${block.replace('CW=http://127.0.0.1:8080', `CW=${t.server.url}`)}`;
    // The walk-through runs from the repository root: var/ is the server's data directory, bin/ the CLI.
    const cwd = join(t.dataDir, 'root');
    mkdirSync(cwd);
    symlinkSync(t.dataDir, join(cwd, 'var'));
    symlinkSync(join(REPO, 'bin'), join(cwd, 'bin'));
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, CAUSEWAY_LAB_INTERNET: inet },
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^198\.51\.100\.\d+$/);
    expect(lines[1]).toBe('201');
    expect(lines[2]).toMatch(/10\.240\.0\.0\/24.*10\.241\.0\.0\/24/);
    expect(stdout).toMatch(/Site branch now answers connection/);
    expect(lines).toContain('up');
    expect(stdout).toMatch(/3 packets transmitted, 3 received/);
  }, 150_000);
});

/**
 * The README's cloud.ca walk-through, pasted into bash as written (only the server URL pointed at the
 * test server), with the lab data plane: Pending, then Connected, a ping through, reset, list, delete.
 */
describe.skipIf(!root && !process.env['CI'])('README cloud.ca walk-through', () => {
  let t: TestServer;
  const inet = `cw-inet-rc${process.pid}`;
  beforeAll(async () => {
    t = await startTestServer({ dataplane: 'lab', labInternet: inet }, { listen: true });
  }, 60_000);
  afterAll(async () => {
    if (!t) return;
    t.server.agent?.stop();
    await labDown(join(t.dataDir, 'lab'));
    await t.close();
  }, 60_000);

  it('runs as pasted: Pending, Connected, a ping through, reset, one VPN in the VPC, deleted', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### cloud.ca site-to-site VPN'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    expect(block).toContain('CW=http://127.0.0.1:8080');
    const script = `set -euo pipefail\n${block.replace('CW=http://127.0.0.1:8080', `CW=${t.server.url}`)}`;
    const cwd = join(t.dataDir, 'root');
    mkdirSync(cwd);
    symlinkSync(t.dataDir, join(cwd, 'var'));
    symlinkSync(join(REPO, 'bin'), join(cwd, 'bin'));
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, CAUSEWAY_LAB_INTERNET: inet },
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('Pending');
    expect(stdout).toMatch(/Site office now answers connection/);
    expect(lines).toContain('Connected');
    expect(stdout).toMatch(/3 packets transmitted, 3 received/);
    expect(lines.slice(-3)).toEqual(['office', '1', expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  }, 150_000);
});
