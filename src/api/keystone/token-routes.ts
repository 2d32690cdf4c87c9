import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Inspected, TokenClaims } from '../../control/token-service.js';
import { authenticateUser, findProject, findUser, type User } from '../../control/users.js';
import type { Account } from '../../domain/tenancy.js';
import { parseAuthRequest, type AuthScope } from './auth-request.js';
import { callerOf, type KeystoneDeps } from './keystone-deps.js';
import { KeystoneError, badRequest, notFound, unauthorized } from './keystone-errors.js';
import { tokenView } from './keystone-views.js';

const TAGS = ['Identity (Keystone v3)'];
const wantsCatalog = (req: FastifyRequest): boolean => !Object.hasOwn((req.query ?? {}) as object, 'nocatalog');

/**
 * /v3/auth/tokens. Issue: methods `password` (user by id, or by name in Default) and `token` (a valid
 * Keystone token → a new one with the same expiry); scope a project by id or by name in Default, or
 * none (the user's own project). A member may scope to its own account's project only; an admin to any.
 * Validate: GET/HEAD with X-Subject-Token. Revoke: DELETE answers 204 but is a no-op (tokens are
 * stateless JWTs; they live until expires_at, at most an hour).
 */
export async function tokenRoutes(app: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  const { db } = deps.control;

  async function scopeTo(user: User, scope: AuthScope): Promise<Account> {
    let project: Account | undefined;
    if (scope === 'unscoped') {
      project = await findProject(db, { id: user.accountId });
    } else {
      if (!scope.project.inDefault) throw unauthorized();
      project = await findProject(db, 'id' in scope.project ? { id: scope.project.id } : { name: scope.project.name });
    }
    if (!project || (!user.isAdmin && project.id !== user.accountId)) throw unauthorized();
    return project;
  }

  app.post('/v3/auth/tokens', { schema: { tags: TAGS, summary: 'Authenticate (password or token method) and issue a project-scoped token' } }, async (req, reply) => {
    const auth = parseAuthRequest(req.body);
    let user: User | undefined;
    let methods: string[];
    let keep: { exp?: number; parentAuditId?: string } = {};
    if (auth.method === 'password') {
      user = await authenticateUser(db, 'id' in auth.user ? { id: auth.user.id } : { name: auth.user.name }, auth.password);
      if (!auth.user.inDefault) user = undefined;
      methods = ['password'];
    } else {
      let from: Inspected;
      try {
        from = await deps.tokens.inspect(auth.token);
      } catch {
        throw unauthorized();
      }
      if (from.claims.usr === undefined) throw unauthorized();
      user = await findUser(db, { id: from.claims.usr });
      methods = [...new Set(['token', ...(from.claims.mth ?? [])])];
      keep = { exp: from.claims.exp, ...(from.claims.ati?.[0] ? { parentAuditId: from.claims.ati[0] } : {}) };
    }
    if (!user) throw unauthorized();
    const project = await scopeTo(user, auth.scope);
    const issued = deps.tokens.issueForUser(user, project.id, { methods, ...keep });
    void reply.code(201).header('x-subject-token', issued.accessToken).type('application/json');
    return tokenView(deps.publicUrl, { claims: issued.claims, user, project }, wantsCatalog(req));
  });

  /** The token in X-Subject-Token, for its own user or an admin. */
  async function subjectOf(req: FastifyRequest): Promise<{ token: string; claims: TokenClaims; user: User; project: Account }> {
    const caller = await callerOf(req, deps.tokens);
    const token = req.headers['x-subject-token'];
    if (typeof token !== 'string' || token.length === 0) throw badRequest('The X-Subject-Token header is required.');
    let subject: Inspected;
    try {
      subject = await deps.tokens.inspect(token.trim());
    } catch {
      throw notFound('Could not find token.');
    }
    const usr = subject.claims.usr;
    if (usr === undefined) throw notFound('Could not find token: it is not a Keystone token.');
    if (!caller.actor.isAdmin && caller.claims.usr !== usr) {
      throw new KeystoneError(403, 'You are not authorized to perform the requested action: identity:validate_token.');
    }
    const user = await findUser(db, { id: usr });
    const project = await findProject(db, { id: subject.claims.sub });
    if (!user || !project) throw notFound('Could not find token.');
    return { token: token.trim(), claims: subject.claims, user, project };
  }

  app.get('/v3/auth/tokens', { schema: { tags: TAGS, summary: 'Validate the token in X-Subject-Token (HEAD too)' } }, async (req, reply) => {
    const s = await subjectOf(req);
    void reply.header('x-subject-token', s.token).type('application/json');
    return tokenView(deps.publicUrl, s, wantsCatalog(req));
  });

  app.delete('/v3/auth/tokens', { schema: { tags: TAGS, summary: 'Revoke a token (accepted; tokens stay valid until they expire)' } }, async (req, reply) => {
    await subjectOf(req);
    return reply.code(204).send();
  });
}
