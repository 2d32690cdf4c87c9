import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The last commit before the rule was checked; commits after it are held to it. */
const CHECKED_AFTER = 'e2c49419318e31580dcbb3082f66f06883d83dee';

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
}

/** Commit messages: a subject of 72 characters or fewer, a blank line, and a body that says why. */
describe.runIf(existsSync(join(ROOT, '.git')))('commit messages', () => {
  it('every commit since the rule has a short subject and a body', () => {
    let range: string;
    try {
      git(['cat-file', '-e', `${CHECKED_AFTER}^{commit}`]);
      range = `${CHECKED_AFTER}..HEAD`;
    } catch {
      return; // a shallow clone without that commit: nothing to hold to the rule
    }
    const bad: string[] = [];
    for (const sha of git(['rev-list', '--no-merges', range]).split('\n').filter(Boolean)) {
      const [subject = '', blank, ...body] = git(['log', '-1', '--format=%B', sha]).replace(/\n+$/, '').split('\n');
      if (subject.length > 72) bad.push(`${sha.slice(0, 7)}: subject is ${subject.length} characters`);
      if (blank !== '' || body.join('').trim().length === 0) bad.push(`${sha.slice(0, 7)}: no body after a blank line`);
    }
    expect(bad).toEqual([]);
  });
});
