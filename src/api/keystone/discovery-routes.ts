import type { FastifyInstance } from 'fastify';
import type { KeystoneDeps } from './keystone-deps.js';
import { versionView } from './keystone-views.js';

const TAGS = ['Identity (Keystone v3)'];

/**
 * Version discovery, which keystoneauth always does first: /identity answers 300 Multiple Choices with
 * the list (as Keystone does; keystoneauth accepts it), /identity/v3 answers 200 with the one version.
 */
export async function discoveryRoutes(app: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  app.get('/', { schema: { tags: TAGS, summary: 'Identity API versions' } }, async (_req, reply) => {
    void reply.code(300).type('application/json');
    return { versions: { values: [versionView(deps.publicUrl)] } };
  });
  app.get('/v3', { schema: { tags: TAGS, summary: 'Identity API v3 version document' } }, async (_req, reply) => {
    void reply.type('application/json');
    return { version: versionView(deps.publicUrl) };
  });
}
