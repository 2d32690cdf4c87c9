import type { FastifyInstance } from 'fastify';
import { acceptJsonBodies } from '../body-parsers.js';
import { accountOfRequest, checkEnvironment } from './cloudca-auth.js';
import type { CloudcaDeps } from './cloudca-deps.js';
import { installCloudcaErrors } from './cloudca-errors.js';
import { siteToSiteVpnRoutes } from './sitetositevpn-routes.js';

/** The methods each site-to-site VPN path answers (any other is cloud.ca's 405). */
const COLLECTION = /^\/cloudca\/v1\/services\/[^/]+\/[^/]+\/sitetositevpns\/?$/;
const ITEM = /^\/cloudca\/v1\/services\/[^/]+\/[^/]+\/sitetositevpns\/[^/]+\/?$/;
function allowedMethods(path: string): readonly string[] | undefined {
  if (COLLECTION.test(path)) return ['GET', 'POST'];
  if (ITEM.test(path)) return ['GET', 'POST', 'DELETE'];
  return undefined;
}

/**
 * cloud.ca (CloudMC) site-to-site VPNs, mounted at /cloudca/v1 (seed 002). Auth: `MC-Api-Key`, an
 * account's API key; the path's environment is that account (by name). Errors:
 * {"errors": [{code, message, context}]}. One encapsulated plugin; it sees no other dialect.
 */
export async function cloudcaPlugin(app: FastifyInstance, d: CloudcaDeps): Promise<void> {
  acceptJsonBodies(app);
  installCloudcaErrors(app, allowedMethods);
  app.decorateRequest('actor', null as never);
  app.decorateRequest('cloudca', null as never);
  app.addHook('onRequest', async (req) => {
    const account = await accountOfRequest(req, d.control.tokens);
    req.actor = { accountId: account.id, isAdmin: false };
    req.cloudca = { account };
    checkEnvironment(req.params, account, d.serviceCodes);
  });
  siteToSiteVpnRoutes(app, d);
}
