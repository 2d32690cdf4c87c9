import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsOf } from '../../src/cli/lab-command.js';
import { listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { siteNs, uplinkPeer } from '../../src/dataplane/lab/lab-names.js';
import { recordLabSettings, recordedLabSettings } from '../../src/dataplane/lab/lab-settings-record.js';
import { LabState } from '../../src/dataplane/lab/lab-state.js';
import type { TestServer } from '../harness.js';
import { labInternet, labRuns, startLab, stopLab } from './lab-fixture.js';

const run = promisify(execFile);
const BIN = resolve('bin/causeway');

describe('lab commands read the lab settings the server recorded', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-rsn-'));
    recordLabSettings(join(dir, 'lab'), { publicPool: '198.51.100.0/25', sitePool: '203.0.113.64/26', labInternet: 'cw-inet-rsnrec' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the recorded ones when the command is given none', () => {
    const notes: string[] = [];
    const s = settingsOf({ dataDir: dir }, {}, (m) => notes.push(m));
    expect([s.publicPool.text, s.sitePool.text, s.labInternet]).toEqual(['198.51.100.0/25', '203.0.113.64/26', 'cw-inet-rsnrec']);
    expect(notes).toEqual([]);
  });

  it('lets a flag or a variable win, with a note naming both values when it differs', () => {
    const notes: string[] = [];
    const s = settingsOf({ dataDir: dir, labInternet: 'cw-inet-rsnflag' }, { CAUSEWAY_SITE_POOL: '203.0.113.128/26' }, (m) => notes.push(m));
    expect([s.publicPool.text, s.sitePool.text, s.labInternet]).toEqual(['198.51.100.0/25', '203.0.113.128/26', 'cw-inet-rsnflag']);
    expect(notes.join('')).toMatch(/using 203\.0\.113\.128\/26 for sitePool, but the server on .* recorded 203\.0\.113\.64\/26/);
    expect(notes.join('')).toMatch(/using cw-inet-rsnflag for labInternet, .* recorded cw-inet-rsnrec/);
  });

  it('says nothing when a given value is the recorded one', () => {
    const notes: string[] = [];
    expect(settingsOf({ dataDir: dir }, { CAUSEWAY_LAB_INTERNET: 'cw-inet-rsnrec' }, (m) => notes.push(m)).labInternet).toBe('cw-inet-rsnrec');
    expect(notes).toEqual([]);
  });

  it('falls back to the defaults on a data directory no server recorded', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cw-rsn-'));
    try {
      expect(settingsOf({ dataDir: empty }, {}, () => undefined).labInternet).toBe('cw-inet');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

/**
 * The bug: `causeway lab site create` ignored the server's --lab-internet and pools, so the site
 * landed on another lab internet and its tunnel never came up.
 */
describe.skipIf(!labRuns)('lab: `lab site create` on a lab server’s data directory', () => {
  let t: TestServer;
  const INET = labInternet('rsn');
  beforeAll(async () => {
    t = await startLab('rsn', { sitePool: '203.0.113.192/26' });
  }, 60_000);
  afterAll(() => stopLab(t), 60_000);

  it('the server recorded its lab settings at start', () => {
    expect(recordedLabSettings(join(t.dataDir, 'lab'))).toEqual({ publicPool: '198.51.100.0/24', sitePool: '203.0.113.192/26', labInternet: INET });
  });

  it('puts the site on the server’s lab internet and in its site pool, given neither', async () => {
    const env = { ...process.env };
    for (const k of ['CAUSEWAY_LAB_INTERNET', 'CAUSEWAY_SITE_POOL', 'CAUSEWAY_PUBLIC_POOL']) delete env[k];
    const r = await run(BIN, ['lab', 'site', 'create', 'rsnsite', '--lan', '192.168.93.0/24', '--data-dir', t.dataDir], { timeout: 60_000, env });
    expect(r.stderr).toBe('');
    const site = new LabState(join(t.dataDir, 'lab')).get('site', 'rsnsite');
    expect(site?.internetNs).toBe(INET);
    expect(site?.publicIp).toMatch(/^203\.0\.113\.(19[2-9]|2\d\d)$/);
    expect(r.stdout.trim().split('\n').pop()).toBe(site?.publicIp);
    expect(await listNamespaces()).toContain(siteNs('rsnsite'));
    // The site's uplink is plugged into the server's lab internet.
    const uplink = uplinkPeer(Buffer.from('rsnsite').toString('hex').padEnd(12, '0'), 9);
    expect((await run('ip', ['-n', INET, '-o', 'link', 'show', 'dev', uplink])).stdout).toContain(uplink);
  }, 60_000);
});
