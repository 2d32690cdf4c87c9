import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM for secrets at rest (pre-shared keys). Format: `v1:<base64 iv|tag|ciphertext>`. */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('master key: must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64')}`;
  }

  /** Recently opened secrets, so reading lists does not pay one decipher per row. Bounded. */
  readonly #opened = new Map<string, string>();

  open(sealed: string): string {
    const hit = this.#opened.get(sealed);
    if (hit !== undefined) return hit;
    const plain = this.#open(sealed);
    if (this.#opened.size >= 10_000) this.#opened.clear();
    this.#opened.set(sealed, plain);
    return plain;
  }

  #open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('secret: unknown format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }

  /** Keeps the key out of logs and inspection. */
  toJSON(): string {
    return '[SecretBox]';
  }
}
