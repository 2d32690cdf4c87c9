import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { VersionDocument, VersionsDocument } from './discovery-schema.js';
import type { KeystoneDeps } from './keystone-deps.js';
import { ERRORS } from './keystone-error-schema.js';
import { versionView } from './keystone-views.js';

const tags = ['Identity (Keystone v3)'];

/**
 * Version discovery, which keystoneauth always does first: /identity answers 300 Multiple Choices with
 * the list (as Keystone does; keystoneauth accepts it), /identity/v3 answers 200 with the one version.
 * No token needed. The list is declared for 300 and as `default` (a success answer the OpenAPI document
 * and the route-schema guard recognize; 4xx/5xx have their own).
 */
export async function discoveryRoutes(fastify: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'Identity API versions (300 Multiple Choices)',
        security: [],
        response: { 300: VersionsDocument, default: VersionsDocument, ...ERRORS },
      },
    },
    async (_req, reply) => {
      void reply.code(300).type('application/json');
      return { versions: { values: [versionView(deps.publicUrl)] } };
    },
  );
  app.get(
    '/v3',
    { schema: { tags, summary: 'Identity API v3 version document', security: [], response: { 200: VersionDocument, ...ERRORS } } },
    async (_req, reply) => {
      void reply.type('application/json');
      return { version: versionView(deps.publicUrl) };
    },
  );
}
