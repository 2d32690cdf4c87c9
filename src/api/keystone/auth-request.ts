import { badRequest, unauthorized } from './keystone-errors.js';

/**
 * A user or project named by id, or by name within a domain (`inDefault`: that domain is Default;
 * `domain`: the name of another domain it named, which Huawei IAM uses for the account).
 */
export type IdentityRef = ({ readonly id: string } | { readonly name: string }) & { readonly inDefault: boolean; readonly domain?: string };

export type AuthScope = { readonly project: IdentityRef } | 'unscoped';

export type AuthRequest =
  | { readonly method: 'password'; readonly user: IdentityRef; readonly password: string; readonly scope: AuthScope }
  | { readonly method: 'token'; readonly token: string; readonly scope: AuthScope };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1024;

function objectAt(parent: Obj, key: string, where: string): Obj {
  const v = parent[key];
  if (!isObj(v)) throw badRequest(`Invalid input for field '${where}${key}': an object is required.`);
  return v;
}

/** `{"id": "default"}` or `{"name": "Default"}`; absent means Default only where allowed. */
function inDefaultDomain(v: unknown, where: string): boolean {
  if (!isObj(v)) throw badRequest(`Invalid input for field '${where}domain': an object with id or name is required.`);
  if (str(v['id'])) return v['id'].toLowerCase() === 'default';
  if (str(v['name'])) return v['name'].toLowerCase() === 'default';
  throw badRequest(`Invalid input for field '${where}domain': an object with id or name is required.`);
}

/** `nameAlone`: a name without a domain is in Default (Huawei IAM names projects that way). */
function ref(o: Obj, where: string, nameAlone = false): IdentityRef {
  const d = o['domain'];
  const other = (inDefault: boolean) => (!inDefault && isObj(d) && str(d['name']) ? { domain: d['name'] } : {});
  if (o['id'] !== undefined) {
    if (!str(o['id'])) throw badRequest(`Invalid input for field '${where}id': a string is required.`);
    const inDefault = d === undefined ? true : inDefaultDomain(d, where);
    return { id: o['id'], inDefault, ...other(inDefault) };
  }
  if (!str(o['name'])) throw badRequest(`Invalid input for field '${where}': id, or name with domain, is required.`);
  const inDefault = nameAlone && d === undefined ? true : inDefaultDomain(d, where);
  return { name: o['name'], inDefault, ...other(inDefault) };
}

function scopeOf(auth: Obj, opts: AuthRequestOptions): AuthScope {
  const s = auth['scope'];
  if (s === undefined || s === 'unscoped') return 'unscoped';
  if (!isObj(s)) throw badRequest(`Invalid input for field 'auth.scope': an object is required.`);
  if (s['project'] !== undefined) return { project: ref(objectAt(s, 'project', 'auth.scope.'), 'auth.scope.project.', opts.projectNameAlone) };
  // Domain, system and trust scopes: Causeway has projects only, and Keystone refuses what a user has no role on.
  if (s['domain'] !== undefined || s['system'] !== undefined || s['OS-TRUST:trust'] !== undefined) throw unauthorized();
  throw badRequest(`Invalid input for field 'auth.scope': one of project, domain or system is required.`);
}

export interface AuthRequestOptions {
  /**
   * A project scoped by name alone (no domain) is in Default: Huawei IAM's form, `{"project": {"name":
   * "…"}}`, accepted at the server's root /v3/auth/tokens. Keystone itself answers 400 for it.
   */
  readonly projectNameAlone?: boolean;
}

/** POST /v3/auth/tokens body → a request; 400 for a malformed body, 401 for a method we do not offer. */
export function parseAuthRequest(body: unknown, opts: AuthRequestOptions = {}): AuthRequest {
  if (!isObj(body)) throw badRequest(`Expecting to find auth in the request body: {"auth": {"identity": {...}}}.`);
  const auth = objectAt(body, 'auth', '');
  const identity = objectAt(auth, 'identity', 'auth.');
  const methods = identity['methods'];
  if (!Array.isArray(methods) || methods.length === 0 || !methods.every(str)) {
    throw badRequest(`Invalid input for field 'auth.identity.methods': a non-empty array of strings is required.`);
  }
  const distinct = [...new Set(methods)];
  if (distinct.length !== 1 || (distinct[0] !== 'password' && distinct[0] !== 'token')) throw unauthorized(); // Keystone: unsupported method
  const scope = scopeOf(auth, opts);
  if (distinct[0] === 'token') {
    const t = objectAt(identity, 'token', 'auth.identity.');
    if (typeof t['id'] !== 'string' || t['id'].length === 0 || t['id'].length > 8192)
      throw badRequest(`Invalid input for field 'auth.identity.token.id': a string is required.`);
    return { method: 'token', token: t['id'], scope };
  }
  const p = objectAt(identity, 'password', 'auth.identity.');
  const u = objectAt(p, 'user', 'auth.identity.password.');
  if (typeof u['password'] !== 'string') throw badRequest(`Invalid input for field 'auth.identity.password.user.password': a string is required.`);
  return { method: 'password', user: ref(u, 'auth.identity.password.user.'), password: u['password'], scope };
}
