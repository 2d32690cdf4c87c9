import type { FastifyInstance } from 'fastify';
import { acceptJsonBodies } from '../body-parsers.js';
import { connectionEventRoutes } from './connection-event-routes.js';
import { connectionRoutes } from './connection-routes.js';
import { gatewayRoutes } from './gateway-routes.js';
import { authenticate } from './ibm-auth.js';
import type { IbmDeps } from './ibm-deps.js';
import { installIbmErrors } from './ibm-errors.js';
import { checkVersion } from './ibm-version.js';
import { networkRoutes } from './network-routes.js';
import { policyRoutes } from './policy-routes.js';
import { regionRoutes } from './region-routes.js';
import { routingTableRoutes } from './routing-table-routes.js';

/**
 * The native dialect: IBM Cloud VPN for VPC, mounted at /v1. One encapsulated plugin: its own body
 * parsers, auth and version hooks and error envelope; it sees no other dialect.
 */
export async function ibmPlugin(app: FastifyInstance, d: IbmDeps): Promise<void> {
  acceptJsonBodies(app);
  installIbmErrors(app, d.refs.publicUrl);
  app.decorateRequest('actor', null as never);
  app.decorateRequest('ibm', null as never);
  app.addHook('onRequest', async (req) => {
    req.actor = await authenticate(req, d.control.tokens);
  });
  app.addHook('preValidation', async (req) => {
    req.ibm = { version: checkVersion(req) };
  });
  networkRoutes(app, d);
  regionRoutes(app, d);
  gatewayRoutes(app, d);
  connectionRoutes(app, d);
  connectionEventRoutes(app, d);
  policyRoutes(app, d);
  routingTableRoutes(app, d);
}
