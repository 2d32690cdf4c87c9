import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Account } from '../../domain/tenancy.js';
import {
  AuthTokenHeaders,
  CatalogDocument,
  DomainList,
  DomainOne,
  IdParams,
  ListQuery,
  NameQuery,
  ProjectList,
  ProjectListQuery,
  ProjectOne,
  UserList,
  UserOne,
} from './identity-schema.js';
import { callerOf, type KeystoneDeps } from './keystone-deps.js';
import { ERRORS } from './keystone-error-schema.js';
import { notFound } from './keystone-errors.js';
import { DOMAIN, catalogView, domainView, projectView, userView } from './keystone-views.js';

const tags = ['Identity (Keystone v3)'];
type Query = Record<string, string | undefined>;
const inDefault = (domainId: string | undefined): boolean => domainId === undefined || domainId.toLowerCase() === DOMAIN.id;
const links = (self: string) => ({ self, previous: null, next: null });

/**
 * The read side OSC and tempest touch: projects (= accounts), users, the Default domain, the catalog.
 * An admin sees every project and user; anyone else only its own project and itself. What a caller
 * may not see is "not found", as for a project that does not exist.
 */
export async function identityRoutes(fastify: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tokens = control.tokens;
  const base = `${deps.publicUrl}/identity/v3`;

  async function visibleProjects(req: FastifyRequest): Promise<Account[]> {
    const { actor } = await callerOf(req, tokens);
    return control.accounts.visible(actor);
  }
  const filterProjects = (list: Account[], query: Query): Account[] =>
    list.filter((a) => (query['name'] === undefined || a.name === query['name']) && inDefault(query['domain_id']) && query['enabled'] !== 'false');

  app.get(
    '/v3/projects',
    {
      schema: {
        tags,
        summary: 'List projects (accounts): ?name=, ?domain_id=, ?enabled=',
        querystring: ProjectListQuery,
        headers: AuthTokenHeaders,
        response: { 200: ProjectList, ...ERRORS },
      },
    },
    async (req) => {
      const list = filterProjects(await visibleProjects(req), req.query);
      return { projects: list.map((a) => projectView(deps.publicUrl, a)), links: links(`${base}/projects`) };
    },
  );

  app.get(
    '/v3/auth/projects',
    {
      schema: { tags, summary: "Projects the token's user may scope to", headers: AuthTokenHeaders, response: { 200: ProjectList, ...ERRORS } },
    },
    async (req) => {
      const list = await visibleProjects(req);
      return { projects: list.map((a) => projectView(deps.publicUrl, a)), links: links(`${base}/auth/projects`) };
    },
  );

  app.get(
    '/v3/projects/:id',
    {
      schema: { tags, summary: 'Show a project (account)', params: IdParams, headers: AuthTokenHeaders, response: { 200: ProjectOne, ...ERRORS } },
    },
    async (req) => {
      const { actor } = await callerOf(req, tokens);
      const a = await control.accounts.show(actor, req.params.id);
      if (!a) throw notFound(`Could not find project: ${req.params.id}.`);
      return { project: projectView(deps.publicUrl, a) };
    },
  );

  app.get(
    '/v3/users',
    {
      schema: { tags, summary: 'List users: ?name=, ?domain_id=', querystring: ListQuery, headers: AuthTokenHeaders, response: { 200: UserList, ...ERRORS } },
    },
    async (req) => {
      const { actor, claims } = await callerOf(req, tokens);
      const { name, domain_id: domainId } = req.query;
      const all = await control.users.visible(actor, claims.usr);
      const list = all.filter((u) => (name === undefined || u.name === name) && inDefault(domainId));
      return { users: list.map((u) => userView(deps.publicUrl, u)), links: links(`${base}/users`) };
    },
  );

  app.get(
    '/v3/users/:id',
    {
      schema: { tags, summary: 'Show a user', params: IdParams, headers: AuthTokenHeaders, response: { 200: UserOne, ...ERRORS } },
    },
    async (req) => {
      const { actor, claims } = await callerOf(req, tokens);
      const u = await control.users.show(actor, req.params.id, claims.usr);
      if (!u) throw notFound(`Could not find user: ${req.params.id}.`);
      return { user: userView(deps.publicUrl, u) };
    },
  );

  app.get(
    '/v3/domains',
    {
      schema: {
        tags,
        summary: 'List domains (only Default): ?name=',
        querystring: NameQuery,
        headers: AuthTokenHeaders,
        response: { 200: DomainList, ...ERRORS },
      },
    },
    async (req) => {
      await callerOf(req, tokens);
      const { name } = req.query;
      const list = name === undefined || name === DOMAIN.name ? [domainView(deps.publicUrl)] : [];
      return { domains: list, links: links(`${base}/domains`) };
    },
  );

  app.get(
    '/v3/domains/:id',
    {
      schema: { tags, summary: 'Show the Default domain', params: IdParams, headers: AuthTokenHeaders, response: { 200: DomainOne, ...ERRORS } },
    },
    async (req) => {
      await callerOf(req, tokens);
      if (req.params.id !== DOMAIN.id) throw notFound(`Could not find domain: ${req.params.id}.`);
      return { domain: domainView(deps.publicUrl) };
    },
  );

  app.get(
    '/v3/auth/catalog',
    {
      schema: { tags, summary: 'The service catalog', headers: AuthTokenHeaders, response: { 200: CatalogDocument, ...ERRORS } },
    },
    async (req) => {
      await callerOf(req, tokens);
      return { catalog: catalogView(deps.publicUrl), links: links(`${base}/auth/catalog`) };
    },
  );
}
