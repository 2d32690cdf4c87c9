import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import { toHex32 } from '../domain/ids.js';
import type { Account, Actor } from '../domain/tenancy.js';
import { hashApiKey } from './create-account.js';

/** What token checks look up (each in its own read transaction): accounts and Keystone users. */
export interface TokenLookups {
  account(id: string): Promise<Account | undefined>;
  accountByKeyHash(keyHash: string): Promise<Account | undefined>;
  user(id: string): Promise<{ readonly accountId: string; readonly isAdmin: boolean; readonly name?: string } | undefined>;
}

export const TOKEN_LIFETIME_SECONDS = 3600;

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  /** Epoch seconds. */
  readonly expiration: number;
}

/** What a token says, once its signature and expiry are checked. */
export interface TokenClaims {
  /** The account the token acts on (for a Keystone token: its project). */
  readonly sub: string;
  readonly iat: number;
  readonly exp: number;
  /** The Keystone user behind the token; absent on native (API key) tokens. */
  readonly usr?: string;
  /** Keystone authentication methods that produced the token. */
  readonly mth?: readonly string[];
  /** Keystone audit ids: this token's, then the one it was obtained from (token method). */
  readonly ati?: readonly string[];
}

/** The principal a Keystone token is issued to. */
export interface TokenUser {
  readonly id: string;
  readonly accountId: string;
  readonly isAdmin: boolean;
}

export interface Inspected {
  readonly actor: Actor;
  readonly claims: TokenClaims;
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const auditId = (): string => randomBytes(16).toString('base64url');

/**
 * IAM-style access tokens: HS256 JWTs (IBM's SDK authenticators decode `exp`/`iat`), signed with a key
 * derived from the master key, so any replica sharing that key can verify them without a lookup table.
 * Keystone tokens are the same JWTs with a `usr` claim: they work as `Authorization: Bearer` on /v1 and as
 * `X-Auth-Token` on /v2.0, and native tokens work as `X-Auth-Token` as well.
 */
export class TokenService {
  readonly #key: Buffer;
  readonly #lookups: TokenLookups;
  readonly #cache = new Map<string, { inspected: Inspected; until: number }>();

  constructor(lookups: TokenLookups, signingKey: Buffer) {
    this.#lookups = lookups;
    this.#key = Buffer.from(signingKey);
  }

  async issue(apiKey: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<IssuedToken | undefined> {
    const account = await this.#lookups.accountByKeyHash(hashApiKey(apiKey));
    if (!account) return undefined;
    const exp = nowSeconds + TOKEN_LIFETIME_SECONDS;
    return this.#mint({ iss: 'causeway', sub: account.id, iat: nowSeconds, exp, account: { bss: toHex32(account.id) }, admin: account.isAdmin }, nowSeconds);
  }

  /**
   * A Keystone token for `user`, scoped to the account `projectId` (the caller checked that the user may).
   * `exp` keeps the expiry of the token it replaces (Keystone's token method never extends a token);
   * `parentAuditId` chains the audit ids.
   */
  issueForUser(
    user: TokenUser,
    projectId: string,
    opts: { methods: readonly string[]; exp?: number; parentAuditId?: string },
    nowSeconds = Math.floor(Date.now() / 1000),
  ): IssuedToken & { claims: TokenClaims } {
    const exp = Math.min(opts.exp ?? Number.POSITIVE_INFINITY, nowSeconds + TOKEN_LIFETIME_SECONDS);
    const claims: TokenClaims = {
      sub: projectId,
      iat: nowSeconds,
      exp,
      usr: user.id,
      mth: [...opts.methods],
      ati: [auditId(), ...(opts.parentAuditId ? [opts.parentAuditId] : [])],
    };
    const token = this.#mint({ iss: 'causeway', ...claims, account: { bss: toHex32(projectId) }, admin: user.isAdmin }, nowSeconds);
    return { ...token, claims };
  }

  /** The account an API key belongs to, or undefined (dialects that send the key itself on each request: cloud.ca's MC-Api-Key). */
  async accountOfApiKey(apiKey: string): Promise<Account | undefined> {
    return this.#lookups.accountByKeyHash(hashApiKey(apiKey));
  }

  /** The actor behind a bearer token; throws not_authorized for anything else. */
  async verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Actor> {
    return (await this.inspect(token, nowSeconds)).actor;
  }

  /**
   * The actor and the claims of a valid token. A Keystone token's actor is its project's account, with
   * isAdmin from the user's admin role; the user and the account are looked up (cached 30 s).
   */
  async inspect(token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Inspected> {
    const cached = this.#cache.get(token);
    if (cached && cached.until > nowSeconds) return cached.inspected;
    const claims = this.#decode(token, nowSeconds);
    const account = await this.#lookups.account(claims.sub);
    if (!account) throw unauthorized('The token names an account that no longer exists.');
    let actor: Actor = { accountId: account.id, isAdmin: account.isAdmin, name: account.name };
    if (claims.usr !== undefined) {
      const user = await this.#lookups.user(claims.usr);
      if (!user) throw unauthorized('The token names a user that no longer exists.');
      if (!user.isAdmin && user.accountId !== account.id) throw unauthorized("The token's user has no role on its project.");
      actor = { accountId: account.id, isAdmin: user.isAdmin, ...(user.name !== undefined ? { name: user.name } : {}) };
    }
    const inspected: Inspected = { actor, claims };
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(token, { inspected, until: Math.min(claims.exp, nowSeconds + 30) });
    return inspected;
  }

  #decode(token: string, nowSeconds: number): TokenClaims {
    const parts = token.split('.');
    if (parts.length !== 3) throw unauthorized('The token is not a valid access token.');
    const [h, p, s] = parts as [string, string, string];
    const want = Buffer.from(this.#sign(`${h}.${p}`));
    const got = Buffer.from(s);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw unauthorized('The token signature is not valid.');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw unauthorized('The token is not a valid access token.');
    }
    const { sub, iat, exp, usr, mth, ati } = payload;
    if (typeof exp !== 'number' || exp <= nowSeconds) throw unauthorized('The token has expired; request a new one from /identity/token.');
    if (typeof sub !== 'string') throw unauthorized('The token names no account.');
    const strings = (v: unknown): readonly string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
    return {
      sub,
      exp,
      iat: typeof iat === 'number' ? iat : exp - TOKEN_LIFETIME_SECONDS,
      ...(typeof usr === 'string' ? { usr } : {}),
      ...(strings(mth) ? { mth: strings(mth)! } : {}),
      ...(strings(ati) ? { ati: strings(ati)! } : {}),
    };
  }

  #mint(payload: Record<string, unknown>, nowSeconds: number): IssuedToken {
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
    const exp = payload['exp'] as number;
    return { accessToken: `${head}.${this.#sign(head)}`, expiresIn: exp - nowSeconds, expiration: exp };
  }

  #sign(data: string): string {
    return createHmac('sha256', this.#key).update(data).digest('base64url');
  }
}

function unauthorized(message: string): DomainError {
  return new DomainError('not_authorized', message);
}
