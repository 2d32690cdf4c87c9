import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The 32-byte master key: CAUSEWAY_MASTER_KEY (64 hex digits or base64), else <data-dir>/master.key,
 * made with mode 0600 on first start. It seals pre-shared keys and signs access tokens.
 */
export function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv): Buffer {
  const fromEnv = env['CAUSEWAY_MASTER_KEY'];
  if (fromEnv !== undefined) return decode(fromEnv, 'CAUSEWAY_MASTER_KEY');
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) return decode(readFileSync(file, 'utf8').trim(), file);
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

function decode(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error(`master key in ${where} must be 32 bytes (64 hex digits or base64)`);
  return key;
}

/** Separate keys for separate purposes, derived from the master key. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  return createHmac('sha256', master).update(`causeway:${purpose}:v1`).digest();
}
