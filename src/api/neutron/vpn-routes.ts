import type { FastifyInstance } from 'fastify';
import type { NeutronDeps } from './neutron-deps.js';
import { connectionRoutes } from './vpn-connection-routes.js';
import { endpointGroupRoutes } from './vpn-endpoint-group-routes.js';
import { policyRoutes } from './vpn-policy-routes.js';
import { vpnServiceRoutes } from './vpn-service-routes.js';

/** ikepolicies, ipsecpolicies, vpnservices, endpoint-groups, ipsec-site-connections (A4–A8). */
export async function vpnRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  await policyRoutes(app, deps);
  await endpointGroupRoutes(app, deps);
  await vpnServiceRoutes(app, deps);
  await connectionRoutes(app, deps);
}
