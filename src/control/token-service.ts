import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { toHex32 } from '../domain/ids.js';
import type { Actor } from '../domain/tenancy.js';
import { findAccountByKeyHash, getAccount } from '../store/account-store.js';
import type { Database } from '../store/schema.js';
import { hashApiKey } from './create-account.js';

export const TOKEN_LIFETIME_SECONDS = 3600;

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  /** Epoch seconds. */
  readonly expiration: number;
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * IAM-style access tokens: HS256 JWTs (IBM's SDK authenticators decode `exp`/`iat`), signed with a key
 * derived from the master key, so any replica sharing that key can verify them without a lookup table.
 */
export class TokenService {
  readonly #key: Buffer;
  readonly #db: Kysely<Database>;
  readonly #cache = new Map<string, { actor: Actor; until: number }>();

  constructor(db: Kysely<Database>, signingKey: Buffer) {
    this.#db = db;
    this.#key = Buffer.from(signingKey);
  }

  async issue(apiKey: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<IssuedToken | undefined> {
    const account = await findAccountByKeyHash(this.#db, hashApiKey(apiKey));
    if (!account) return undefined;
    const exp = nowSeconds + TOKEN_LIFETIME_SECONDS;
    const payload = { iss: 'causeway', sub: account.id, iat: nowSeconds, exp, account: { bss: toHex32(account.id) }, admin: account.isAdmin };
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
    return { accessToken: `${head}.${this.#sign(head)}`, expiresIn: TOKEN_LIFETIME_SECONDS, expiration: exp };
  }

  /** The actor behind a bearer token; throws not_authorized for anything else. */
  async verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Actor> {
    const cached = this.#cache.get(token);
    if (cached && cached.until > nowSeconds) return cached.actor;
    const parts = token.split('.');
    if (parts.length !== 3) throw unauthorized('The token is not a valid access token.');
    const [h, p, s] = parts as [string, string, string];
    const want = Buffer.from(this.#sign(`${h}.${p}`));
    const got = Buffer.from(s);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw unauthorized('The token signature is not valid.');
    let payload: { sub?: unknown; exp?: unknown };
    try {
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof payload;
    } catch {
      throw unauthorized('The token is not a valid access token.');
    }
    if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) throw unauthorized('The token has expired; request a new one from /identity/token.');
    if (typeof payload.sub !== 'string') throw unauthorized('The token names no account.');
    const account = await getAccount(this.#db, payload.sub);
    if (!account) throw unauthorized('The token names an account that no longer exists.');
    const actor: Actor = { accountId: account.id, isAdmin: account.isAdmin };
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(token, { actor, until: Math.min(payload.exp, nowSeconds + 30) });
    return actor;
  }

  #sign(data: string): string {
    return createHmac('sha256', this.#key).update(data).digest('base64url');
  }
}

function unauthorized(message: string): DomainError {
  return new DomainError('not_authorized', message);
}
