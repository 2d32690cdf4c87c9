import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '..', 'bin', 'causeway');

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

describe('causeway CLI', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'cw-cli-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGTERM');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a bad setting stops serve with a message naming the setting', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['serve', '--port', 'abc'], {}, /'port' \(--port \/ CAUSEWAY_PORT\)/],
      [['serve'], { CAUSEWAY_PORT: '70000' }, /'port'.*70000/],
      [['serve', '--crypto-legacy', 'maybe'], {}, /'crypto\.legacy' \(--crypto-legacy \/ CAUSEWAY_CRYPTO_LEGACY\)/],
      [['serve', '--db', 'mysql://x'], {}, /'db'/],
      [['serve', '--public-pool', '10.0.0.1/24'], {}, /'publicPool'/],
      [['serve', '--quota', 'ikePolicies=many'], {}, /'quota\.ikePolicies'/],
      [['serve', '--dataplane', 'moon'], {}, /dataplane/],
    ];
    for (const [args, env, msg] of cases) {
      const r = run([...args, '--data-dir', tmp()], env);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    }
  });

  it('serve bootstraps admin; account create works while the server runs and prints the key last', async () => {
    const dataDir = tmp();
    const port = await freePort();
    const child = spawn(BIN, ['serve', '--data-dir', dataDir, '--port', String(port), '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    await expect.poll(() => out, { timeout: 20_000 }).toMatch(/causeway is serving/);
    expect(out).toContain(join(dataDir, 'admin-api-key'));
    const r = run(['account', 'create', 'bob', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const key = r.stdout.trim().split(/\s+/).pop()!;
    expect(key).toMatch(/^cw_/);
    expect(out).not.toContain(key);
    const tok = await fetch(`http://127.0.0.1:${port}/identity/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: key }),
    });
    expect(tok.status).toBe(200);
    const token = ((await tok.json()) as { access_token: string }).access_token;
    const list = await fetch(`http://127.0.0.1:${port}/v1/vpn_gateways?version=2026-06-02&generation=2`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    const dup = run(['account', 'create', 'bob', '--data-dir', dataDir]);
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toMatch(/already exists/);
    expect(run(['account', 'list', '--data-dir', dataDir]).stdout).toMatch(/admin\s+\(admin\)[\s\S]*bob/);
    process.kill(child.pid!, 'SIGTERM');
    await new Promise((ok) => child.once('exit', ok));
    expect(child.exitCode).toBe(0);
  });
});
