import type { FastifyInstance } from 'fastify';
import type { NeutronDeps } from './neutron-deps.js';

/** networks, subnets, routers, ports (A10). */
export async function coreRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  void app;
  void deps;
}
