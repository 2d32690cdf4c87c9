import type { FastifyRequest } from 'fastify';
import type { ControlDeps } from '../../control/control-deps.js';
import type { TokenService } from '../../control/token-service.js';
import type { Actor } from '../../domain/tenancy.js';

export interface NeutronDeps {
  readonly control: ControlDeps;
  readonly tokens: TokenService;
  /** The externally visible base URL (the catalog's `network` endpoint). */
  readonly publicUrl: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Neutron plugin's auth hook. */
    neutronActor?: Actor;
  }
}

/** The authenticated caller (the plugin's onRequest hook has run). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.neutronActor) throw new Error('neutron request without an actor');
  return req.neutronActor;
}
