import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.js';
import { writePrivateFile, writeProfile } from './profile-store.js';

const dirs: string[] = [];
const home = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'cw-cli-unit-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the API client picks its server and key', () => {
  it("sends the profile's key only to the profile's server", () => {
    const env = { CAUSEWAY_HOME: home() };
    writeProfile({ url: 'http://127.0.0.1:8080', apikey: 'cwk_saved' }, env);
    expect(ApiClient.fromEnvironment(env).url).toBe('http://127.0.0.1:8080');
    expect(ApiClient.fromEnvironment({ ...env, CAUSEWAY_URL: 'http://127.0.0.1:8080/' }).url).toBe('http://127.0.0.1:8080');
    expect(() => ApiClient.fromEnvironment({ ...env, CAUSEWAY_URL: 'https://elsewhere.example' })).toThrow(/set CAUSEWAY_APIKEY/);
    expect(ApiClient.fromEnvironment({ ...env, CAUSEWAY_URL: 'https://elsewhere.example', CAUSEWAY_APIKEY: 'cwk_other' }).url).toBe(
      'https://elsewhere.example',
    );
  });

  it('is not logged in without a profile or both variables', () => {
    expect(() => ApiClient.fromEnvironment({ CAUSEWAY_HOME: home() })).toThrow(/not logged in/);
  });
});

describe('files that hold secrets', () => {
  it('are 0600 even where a looser file was before, and never left half-written', () => {
    const file = join(home(), 'to-site.conf');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    writePrivateFile(file, 'secret\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
