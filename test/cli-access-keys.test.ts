import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '..', 'bin', 'causeway');
const run = (args: string[]) => spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env }, timeout: 60_000 });

describe('causeway user access-key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-cli-ak-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const d = ['--data-dir', dir];

  it('creates (AK and SK shown once), lists AKs only, refuses a third, deletes', () => {
    expect(run(['account', 'create', 'acme', ...d]).status).toBe(0);
    expect(run(['user', 'create', '--account', 'acme', '--name', 'alice', '--password', 'pw', ...d]).status).toBe(0);

    const created = run(['user', 'access-key', 'create', '--user', 'alice', ...d]);
    expect(created.status, created.stderr).toBe(0);
    const ak = /^AK ([A-Z0-9]{20})$/m.exec(created.stdout)?.[1];
    const sk = /^SK ([A-Za-z0-9]{40})$/m.exec(created.stdout)?.[1];
    expect(ak).toBeDefined();
    expect(sk).toBeDefined();

    // Sealed at rest: the secret is nowhere in the data directory's files.
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      try {
        expect(readFileSync(p).includes(sk!), f).toBe(false);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EISDIR') throw e;
      }
    }

    const list = run(['user', 'access-key', 'list', '--user', 'alice', ...d]);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(ak!);
    expect(list.stdout).toContain('user alice');
    expect(list.stdout).not.toContain(sk!);

    expect(run(['user', 'access-key', 'create', '--user', 'alice', ...d]).status).toBe(0);
    const third = run(['user', 'access-key', 'create', '--user', 'alice', ...d]);
    expect(third.status).not.toBe(0);
    expect(third.stderr).toMatch(/already has 2 access keys/);

    const nobody = run(['user', 'access-key', 'create', '--user', 'bob', ...d]);
    expect(nobody.status).not.toBe(0);
    expect(nobody.stderr).toMatch(/User 'bob' was not found/);

    const del = run(['user', 'access-key', 'delete', ak!, ...d]);
    expect(del.status, del.stderr).toBe(0);
    expect(run(['user', 'access-key', 'list', '--user', 'alice', ...d]).stdout).not.toContain(ak!);
    const again = run(['user', 'access-key', 'delete', ak!, ...d]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/there is no access key/);
  }, 120_000);
});
