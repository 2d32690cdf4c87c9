import type { FastifyInstance } from 'fastify';
import type { NeutronDeps } from './neutron-deps.js';
import { networkRoutes } from './network-routes.js';
import { portRoutes } from './port-routes.js';
import { routerRoutes } from './router-routes.js';
import { subnetRoutes } from './subnet-routes.js';

/** networks, subnets, routers, ports (A10). */
export async function coreRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  networkRoutes(app, deps);
  subnetRoutes(app, deps);
  routerRoutes(app, deps);
  portRoutes(app, deps);
}
