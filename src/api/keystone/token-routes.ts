import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Inspected, TokenClaims, User } from '../../control/index.js';
import type { Account } from '../../domain/tenancy.js';
import { parseAuthRequest, type AuthScope } from './auth-request.js';
import { callerOf, type KeystoneDeps } from './keystone-deps.js';
import { ERRORS } from './keystone-error-schema.js';
import { KeystoneError, badRequest, notFound, unauthorized } from './keystone-errors.js';
import { tokenView } from './keystone-views.js';
import { AuthRequestSchema, NoContent, SubjectHeaders, TokenQuery, TokenSchema } from './token-schema.js';

const tags = ['Identity (Keystone v3)'];

/**
 * Where the token routes are mounted: `/identity` + `/v3/auth/tokens` (Keystone), or the server's root
 * `/v3` + `/auth/tokens` (Huawei IAM: its clients point their IAM endpoint at the server), which also
 * takes Huawei's project scope by name alone.
 */
export interface TokenMount {
  readonly path: string;
  readonly tags: readonly string[];
  readonly projectNameAlone: boolean;
}
export const KEYSTONE_MOUNT: TokenMount = { path: '/v3/auth/tokens', tags, projectNameAlone: false };
export const HUAWEI_IAM_MOUNT: TokenMount = { path: '/auth/tokens', tags: ['Identity (Huawei IAM v3)'], projectNameAlone: true };
const wantsCatalog = (req: FastifyRequest): boolean => !Object.hasOwn(req.query ?? {}, 'nocatalog');

/**
 * /v3/auth/tokens. Issue: methods `password` (user by id, or by name in Default) and `token` (a valid
 * Keystone token → a new one with the same expiry); scope a project by id or by name in Default, or
 * none (the user's own project). A member may scope to its own account's project only; an admin to any.
 * Validate: GET/HEAD with X-Subject-Token. Revoke: DELETE answers 204 but is a no-op (tokens are
 * stateless JWTs; they live until expires_at, at most an hour).
 */
export async function tokenRoutes(fastify: FastifyInstance, deps: KeystoneDeps, mount: TokenMount = KEYSTONE_MOUNT): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tokens = control.tokens;

  /**
   * Huawei IAM (the root mount): a user's domain is its account (Huawei's account is an IAM domain), and
   * a project named like the region (Huawei names projects by region) is the user's own account.
   */
  const huawei = mount.projectNameAlone;
  const ownAccount = (user: User) => control.accounts.find({ id: user.accountId });

  async function scopeTo(user: User, scope: AuthScope): Promise<Account> {
    let project: Account | undefined;
    if (scope === 'unscoped') {
      project = await ownAccount(user);
    } else if (huawei && 'name' in scope.project && scope.project.name === control.settings.region) {
      project = await ownAccount(user);
    } else {
      if (!scope.project.inDefault) throw unauthorized();
      project = await control.accounts.find('id' in scope.project ? { id: scope.project.id } : { name: scope.project.name });
    }
    if (!project || (!user.isAdmin && project.id !== user.accountId)) throw unauthorized();
    return project;
  }

  // attachValidation: auth-request.ts reads the body first, for Keystone's precise messages (and its 401
  // for a method we do not offer); what the schema refuses beyond that is a 400 naming the field.
  app.post(
    mount.path,
    {
      attachValidation: true,
      schema: {
        tags: [...mount.tags],
        summary: 'Authenticate (password or token method) and issue a project-scoped token (in X-Subject-Token)',
        security: [],
        querystring: TokenQuery,
        body: AuthRequestSchema,
        response: { 201: TokenSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const auth = parseAuthRequest(req.body, { projectNameAlone: mount.projectNameAlone });
      if (req.validationError) throw req.validationError;
      let user: User | undefined;
      let methods: string[];
      let keep: { exp?: number; parentAuditId?: string } = {};
      if (auth.method === 'password') {
        user = await control.users.authenticate('id' in auth.user ? { id: auth.user.id } : { name: auth.user.name }, auth.password);
        if (user && !auth.user.inDefault && !(huawei && auth.user.domain !== undefined && (await ownAccount(user))?.name === auth.user.domain))
          user = undefined;
        methods = ['password'];
      } else {
        let from: Inspected;
        try {
          from = await tokens.inspect(auth.token);
        } catch {
          throw unauthorized();
        }
        if (from.claims.usr === undefined) throw unauthorized();
        user = await control.users.find({ id: from.claims.usr });
        methods = [...new Set(['token', ...(from.claims.mth ?? [])])];
        keep = { exp: from.claims.exp, ...(from.claims.ati?.[0] ? { parentAuditId: from.claims.ati[0] } : {}) };
      }
      if (!user) throw unauthorized();
      const project = await scopeTo(user, auth.scope);
      const issued = tokens.issueForUser(user, project.id, { methods, ...keep });
      void reply.code(201).header('x-subject-token', issued.accessToken).type('application/json');
      return tokenView(deps.publicUrl, { claims: issued.claims, user, project }, wantsCatalog(req));
    },
  );

  /** The token in X-Subject-Token, for its own user or an admin. */
  async function subjectOf(req: FastifyRequest): Promise<{ token: string; claims: TokenClaims; user: User; project: Account }> {
    const caller = await callerOf(req, tokens);
    const token = req.headers['x-subject-token'];
    if (typeof token !== 'string' || token.length === 0) throw badRequest('The X-Subject-Token header is required.');
    let subject: Inspected;
    try {
      subject = await tokens.inspect(token.trim());
    } catch {
      throw notFound('Could not find token.');
    }
    const usr = subject.claims.usr;
    if (usr === undefined) throw notFound('Could not find token: it is not a Keystone token.');
    if (!caller.actor.isAdmin && caller.claims.usr !== usr) {
      throw new KeystoneError(403, 'You are not authorized to perform the requested action: identity:validate_token.');
    }
    const user = await control.users.find({ id: usr });
    const project = await control.accounts.find({ id: subject.claims.sub });
    if (!user || !project) throw notFound('Could not find token.');
    return { token: token.trim(), claims: subject.claims, user, project };
  }

  app.get(
    mount.path,
    {
      schema: {
        tags: [...mount.tags],
        summary: 'Validate the token in X-Subject-Token (HEAD: the same without a body)',
        querystring: TokenQuery,
        headers: SubjectHeaders,
        response: { 200: TokenSchema, ...ERRORS },
      },
      config: { swagger: { exposeHeadRoute: true } },
    },
    async (req, reply) => {
      const s = await subjectOf(req);
      void reply.header('x-subject-token', s.token).type('application/json');
      return tokenView(deps.publicUrl, s, wantsCatalog(req));
    },
  );

  app.delete(
    mount.path,
    {
      schema: {
        tags: [...mount.tags],
        summary: 'Revoke a token (accepted; tokens stay valid until they expire)',
        headers: SubjectHeaders,
        response: { 204: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      await subjectOf(req);
      return reply.code(204).send();
    },
  );
}
