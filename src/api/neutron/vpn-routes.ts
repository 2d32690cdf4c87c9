import type { FastifyInstance } from 'fastify';
import type { NeutronDeps } from './neutron-deps.js';
import { policyRoutes } from './vpn-policy-routes.js';

/** ikepolicies, ipsecpolicies, vpnservices, endpoint-groups, ipsec-site-connections (A4–A8). */
export async function vpnRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  await policyRoutes(app, deps);
}
