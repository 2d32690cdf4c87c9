import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimServing, releaseServing, servingPid } from './lab-serving-record.js';

describe('the serving record of a lab', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cw-rsn-serving-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names this process while it claims the lab, nothing once released', () => {
    expect(servingPid(root)).toBeUndefined();
    claimServing(root);
    expect(servingPid(root)).toBe(process.pid);
    releaseServing(root);
    expect(servingPid(root)).toBeUndefined();
  });

  it('ignores a record whose process is gone', () => {
    const gone = spawnSync('true').pid!;
    writeFileSync(join(root, 'serving.json'), JSON.stringify({ pid: gone }));
    expect(servingPid(root)).toBeUndefined();
  });

  it('ignores a record whose PID now belongs to another process (start time differs)', () => {
    writeFileSync(join(root, 'serving.json'), JSON.stringify({ pid: process.pid, started: '1' }));
    expect(servingPid(root)).toBeUndefined();
  });

  it('does not remove a record another process wrote', () => {
    writeFileSync(join(root, 'serving.json'), JSON.stringify({ pid: process.ppid }));
    releaseServing(root);
    expect(servingPid(root)).toBe(process.ppid);
  });

  it('ignores an unreadable record', () => {
    writeFileSync(join(root, 'serving.json'), '{not json');
    expect(servingPid(root)).toBeUndefined();
  });
});
