import type { FastifyInstance } from 'fastify';
import type { NeutronDeps } from './neutron-deps.js';

/** ikepolicies, ipsecpolicies, vpnservices, endpoint-groups, ipsec-site-connections (A4–A8). */
export async function vpnRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  void app;
  void deps;
}
