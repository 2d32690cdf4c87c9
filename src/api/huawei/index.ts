import type { FastifyInstance } from 'fastify';
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
  // After the body is read (a signature covers it) and before it is validated: who is asking, then
  // another project's id answers as a missing resource.
  app.addHook('preValidation', async (req) => {
    req.actor = await authenticateHuawei(req, deps.control);
    projectOf(req);
  });
  gatewayRoutes(app, deps);
  customerGatewayRoutes(app, deps);
  connectionRoutes(app, deps);
  monitorRoutes(app, deps);
  quotaRoutes(app, deps);
}
