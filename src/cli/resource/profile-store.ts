import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What `causeway login` keeps: the server, the API key, and the last IAM token with its expiry (seconds since the epoch). */
export interface Profile {
  url: string;
  apikey: string;
  token?: string;
  expiration?: number;
}

/** `$CAUSEWAY_HOME`, else `~/.causeway`. */
export function profileDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['CAUSEWAY_HOME'] || join(homedir(), '.causeway');
}

export const profilePath = (env: NodeJS.ProcessEnv = process.env): string => join(profileDir(env), 'profile.json');

export function readProfile(env: NodeJS.ProcessEnv = process.env): Profile | undefined {
  const file = profilePath(env);
  if (!existsSync(file)) return undefined;
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Partial<Profile>;
    if (typeof p.url !== 'string' || typeof p.apikey !== 'string') return undefined;
    return {
      url: p.url,
      apikey: p.apikey,
      ...(typeof p.token === 'string' ? { token: p.token } : {}),
      ...(typeof p.expiration === 'number' ? { expiration: p.expiration } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Writes a file only its owner can read: a temporary file made 0600 is renamed over the target, so a
 * reader never sees it half-written and an existing file with looser modes never holds the new secret.
 */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes the profile: the directory 0700, the file 0600 (both re-asserted if they existed with looser modes). */
export function writeProfile(p: Profile, env: NodeJS.ProcessEnv = process.env): string {
  const dir = profileDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = profilePath(env);
  writePrivateFile(file, `${JSON.stringify(p, null, 2)}\n`);
  return file;
}

export function removeProfile(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = profilePath(env);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}
