import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allUsers, findProject, findUser, listProjects } from '../../control/users.js';
import type { Account } from '../../domain/tenancy.js';
import { callerOf, type KeystoneDeps } from './keystone-deps.js';
import { notFound } from './keystone-errors.js';
import { DOMAIN, catalogView, domainView, projectView, userView } from './keystone-views.js';

const TAGS = ['Identity (Keystone v3)'];
type Query = Record<string, string | undefined>;
const q = (req: FastifyRequest): Query => (req.query ?? {}) as Query;
const inDefault = (domainId: string | undefined): boolean => domainId === undefined || domainId.toLowerCase() === DOMAIN.id;
const links = (self: string) => ({ self, previous: null, next: null });

/**
 * The read side OSC and tempest touch: projects (= accounts), users, the Default domain, the catalog.
 * An admin sees every project and user; anyone else only its own project and itself. What a caller
 * may not see is "not found", as for a project that does not exist.
 */
export async function identityRoutes(app: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  const { db } = deps.control;
  const base = `${deps.publicUrl}/identity/v3`;

  async function visibleProjects(req: FastifyRequest): Promise<Account[]> {
    const { actor } = await callerOf(req, deps.tokens);
    const all = await listProjects(db);
    return actor.isAdmin ? all : all.filter((a) => a.id === actor.accountId);
  }
  const filterProjects = (list: Account[], query: Query): Account[] => list.filter((a) =>
    (query['name'] === undefined || a.name === query['name']) && inDefault(query['domain_id']) && query['enabled'] !== 'false');

  app.get('/v3/projects', { schema: { tags: TAGS, summary: 'List projects (accounts): ?name=, ?domain_id=' } }, async (req) => {
    const list = filterProjects(await visibleProjects(req), q(req));
    return { projects: list.map((a) => projectView(deps.publicUrl, a)), links: links(`${base}/projects`) };
  });

  app.get('/v3/auth/projects', { schema: { tags: TAGS, summary: 'Projects the token\'s user may scope to' } }, async (req) => {
    const list = await visibleProjects(req);
    return { projects: list.map((a) => projectView(deps.publicUrl, a)), links: links(`${base}/auth/projects`) };
  });

  app.get<{ Params: { id: string } }>('/v3/projects/:id', { schema: { tags: TAGS, summary: 'Show a project (account)' } }, async (req) => {
    const { actor } = await callerOf(req, deps.tokens);
    const a = await findProject(db, { id: req.params.id });
    if (!a || (!actor.isAdmin && a.id !== actor.accountId)) throw notFound(`Could not find project: ${req.params.id}.`);
    return { project: projectView(deps.publicUrl, a) };
  });

  app.get('/v3/users', { schema: { tags: TAGS, summary: 'List users: ?name=' } }, async (req) => {
    const { actor, claims } = await callerOf(req, deps.tokens);
    const name = q(req)['name'];
    const all = actor.isAdmin ? await allUsers(db) : (await allUsers(db)).filter((u) => u.id === claims.usr);
    const list = all.filter((u) => (name === undefined || u.name === name) && inDefault(q(req)['domain_id']));
    return { users: list.map((u) => userView(deps.publicUrl, u)), links: links(`${base}/users`) };
  });

  app.get<{ Params: { id: string } }>('/v3/users/:id', { schema: { tags: TAGS, summary: 'Show a user' } }, async (req) => {
    const { actor, claims } = await callerOf(req, deps.tokens);
    const u = await findUser(db, { id: req.params.id });
    if (!u || (!actor.isAdmin && u.id !== claims.usr)) throw notFound(`Could not find user: ${req.params.id}.`);
    return { user: userView(deps.publicUrl, u) };
  });

  app.get('/v3/domains', { schema: { tags: TAGS, summary: 'List domains (only Default)' } }, async (req) => {
    await callerOf(req, deps.tokens);
    const name = q(req)['name'];
    const list = name === undefined || name === DOMAIN.name ? [domainView(deps.publicUrl)] : [];
    return { domains: list, links: links(`${base}/domains`) };
  });

  app.get<{ Params: { id: string } }>('/v3/domains/:id', { schema: { tags: TAGS, summary: 'Show the Default domain' } }, async (req) => {
    await callerOf(req, deps.tokens);
    if (req.params.id !== DOMAIN.id) throw notFound(`Could not find domain: ${req.params.id}.`);
    return { domain: domainView(deps.publicUrl) };
  });

  app.get('/v3/auth/catalog', { schema: { tags: TAGS, summary: 'The service catalog' } }, async (req) => {
    await callerOf(req, deps.tokens);
    return { catalog: catalogView(deps.publicUrl), links: links(`${base}/auth/catalog`) };
  });
}
