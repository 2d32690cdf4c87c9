import type { FastifyInstance, FastifyRequest } from 'fastify';
import { acceptJsonBodies } from '../body-parsers.js';
import { connectionRoutes } from './connection-routes.js';
import { customerGatewayRoutes } from './customer-gateway-routes.js';
import { gatewayRoutes } from './gateway-routes.js';
import { authenticateHuawei } from './huawei-auth.js';
import { type HuaweiDeps, projectOf } from './huawei-deps.js';
import { installHuaweiErrors } from './huawei-errors.js';
import { keepRawBody } from './huawei-raw-body.js';
import { monitorRoutes } from './monitor-routes.js';
import { quotaRoutes } from './quota-routes.js';

/**
 * Huawei Cloud VPN v5 (seed 004), mounted at /v5: vpn-gateways, customer-gateways, vpn-connection,
 * connection-monitors and vpn/quotas under /{project_id}, over the same domain as the other
 * dialects. Errors are {error_code, error_msg, request_id}; every reply carries X-Request-Id.
 */
export async function huaweiPlugin(app: FastifyInstance, deps: HuaweiDeps): Promise<void> {
  acceptJsonBodies(app);
  // A signature covers the body's bytes: keep them before the JSON parser takes over.
  keepRawBody(app);
  installHuaweiErrors(app);
  app.decorateRequest('actor', null as never);
  // Who is asking, then another project's id answers as a missing resource: before the body is read
  // for a token (or no credential: 401 whatever the body), after it for an AK/SK signature, which
  // covers the body's bytes.
  const signed = (req: FastifyRequest): boolean => req.headers['x-auth-token'] === undefined && req.headers.authorization !== undefined;
  const who = async (req: FastifyRequest): Promise<void> => {
    req.actor = await authenticateHuawei(req, deps.control);
    projectOf(req);
  };
  app.addHook('onRequest', async (req) => {
    if (!signed(req)) await who(req);
  });
  app.addHook('preValidation', async (req) => {
    if (signed(req)) await who(req);
  });
  gatewayRoutes(app, deps);
  customerGatewayRoutes(app, deps);
  connectionRoutes(app, deps);
  monitorRoutes(app, deps);
  quotaRoutes(app, deps);
}
