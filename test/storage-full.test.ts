import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeLogger, startServer } from '../src/cli/server.js';
import { loadSettings } from '../src/config/settings.js';
import { VERSION } from './harness.js';

/** Fills the file system at `dir` (ENOSPC ends it); returns the filler file. */
function fill(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    for (let n = 4096; n >= 1; n = Math.floor(n / 2)) {
      try {
        for (;;) writeSync(fd, Buffer.alloc(n, 1));
      } catch {
        /* next smaller */
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

/**
 * A full disk (a small tmpfs of the test's own, as root): a write answers 507 in the dialect's envelope
 * saying storage is full, the log names SQLITE_FULL, nothing half-written stays, reads keep working,
 * and writes work again once space is freed.
 */
describe.runIf(process.getuid?.() === 0)('storage full', () => {
  it('answers 507 saying storage is full and logs the cause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m,mode=0700', 'cw-full-test', dir]);
    const lines: string[] = [];
    const sink = new Writable({
      write(c: Buffer, _e, cb) {
        lines.push(c.toString());
        cb();
      },
    });
    const server = await startServer(
      loadSettings({ dataDir: dir, port: '0', 'quota.ikePolicies': '100000', 'quota.vpcs': '100000' }, {}),
      {},
      { logger: makeLogger('info', sink), listen: false },
    );
    try {
      const token = (
        await server.app.inject({
          method: 'POST',
          url: '/identity/token',
          payload: {
            grant_type: 'urn:ibm:params:oauth:grant-type:apikey',
            apikey: (await import('node:fs')).readFileSync(join(dir, 'admin-api-key'), 'utf8').trim(),
          },
        })
      ).json().access_token as string;
      const ike = (i: number) =>
        server.app.inject({
          method: 'POST',
          url: `/v1/ike_policies?version=${VERSION}`,
          headers: { authorization: `Bearer ${token}` },
          payload: { name: `p-${i}`, ike_version: 2, authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', dh_group: 14, key_lifetime: 28800 },
        });
      expect((await ike(0)).statusCode).toBe(201);
      const filler = fill(dir);
      let failed: Awaited<ReturnType<typeof ike>> | undefined;
      let made = 1;
      for (let i = 1; i < 2000 && !failed; i++) {
        const r = await ike(i);
        if (r.statusCode === 201) made++;
        else failed = r;
      }
      expect(failed, 'a write failed once the disk was full').toBeDefined();
      expect(failed!.statusCode).toBe(507);
      expect(failed!.json().errors[0]).toMatchObject({ code: 'storage_full', message: expect.stringMatching(/storage is full/) });
      expect(lines.join('')).toMatch(/SQLITE_FULL/);
      expect(lines.join('')).not.toMatch(/cannot rollback/);
      // Nothing half-written: the list holds exactly what was created; reads still work.
      const list = await server.app.inject({
        method: 'GET',
        url: `/v1/ike_policies?version=${VERSION}&limit=1`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect([list.statusCode, list.json().total_count]).toEqual([200, made]);
      const neutron = await server.app.inject({
        method: 'POST',
        url: '/v2.0/vpn/ikepolicies',
        headers: { 'x-auth-token': token },
        payload: { ikepolicy: { name: 'n' } },
      });
      expect([neutron.statusCode, neutron.json().NeutronError?.type]).toEqual([507, 'HTTPInsufficientStorage']);
      unlinkSync(filler);
      expect((await ike(100_000)).statusCode).toBe(201);
    } finally {
      await server.close();
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
