import type { FastifyInstance } from 'fastify';
import { acceptJsonBodies } from '../body-parsers.js';
import { discoveryRoutes } from './discovery-routes.js';
import { identityRoutes } from './identity-routes.js';
import type { KeystoneDeps } from './keystone-deps.js';
import { installKeystoneErrors } from './keystone-errors.js';
import { HUAWEI_IAM_MOUNT, tokenRoutes } from './token-routes.js';

export type { KeystoneDeps };

/**
 * Keystone v3 subset (A17), registered with prefix /identity: discovery (/identity, /identity/v3), tokens
 * (/identity/v3/auth/tokens) and the read side OSC and tempest use (projects, users, domains). A Keystone
 * token is a Causeway token: the same JWT works as X-Auth-Token on /v2.0 and as Bearer on /v1. Bodies are
 * JSON whatever the content type; errors are {"error": {code, title, message}} as application/json.
 */
export async function keystonePlugin(app: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  acceptJsonBodies(app);
  installKeystoneErrors(app, `${deps.publicUrl}/identity`);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-openstack-request-id', `req-${req.id}`);
  });
  await discoveryRoutes(app, deps);
  await tokenRoutes(app, deps);
  await identityRoutes(app, deps);
}

/**
 * Huawei IAM's token endpoint, registered with prefix /v3 at the server's root (Huawei clients point their
 * IAM endpoint at the server): the same token routes and logic as /identity/v3/auth/tokens, with Keystone's
 * envelope, plus Huawei's project scope by name alone. The token it issues (X-Subject-Token) works as
 * X-Auth-Token on /v5, /v2.0 and /identity.
 */
export async function huaweiIamTokenPlugin(app: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  acceptJsonBodies(app);
  installKeystoneErrors(app, deps.publicUrl);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-openstack-request-id', `req-${req.id}`);
  });
  await tokenRoutes(app, deps, HUAWEI_IAM_MOUNT);
}
