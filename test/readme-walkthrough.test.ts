import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

/** The README's walk-through block, pasted into bash as written (only the server URL is pointed at the test server). */
describe('README walk-through', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer({}, { listen: true }); });
  afterAll(async () => { await t.close(); });

  it('runs as pasted and ends with the connection stored, its CIDR added and an honest status', async () => {
    const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Walk-through'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    expect(block).toContain('CW=http://127.0.0.1:8080');
    const script = `set -euo pipefail\n${block.replace('CW=http://127.0.0.1:8080', `CW=${t.server.url}`)}`;
    // The walk-through reads var/admin-api-key from the repository root; give it the test server's.
    const cwd = join(t.dataDir, 'root');
    mkdirSync(cwd);
    symlinkSync(t.dataDir, join(cwd, 'var'));
    const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd, encoding: 'utf8', timeout: 30_000 });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^198\.51\.100\.\d+$/);
    expect(lines[1]).toBe('201');
    expect(lines[2]).toMatch(/10\.240\.0\.0\/24.*10\.241\.0\.0\/24/);
    expect(lines.slice(-2)).toEqual(['down', 'data_plane_not_attached']);
  });
});
