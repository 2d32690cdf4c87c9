import type { Actor } from '../domain/tenancy.js';

/**
 * What every dialect's request carries: the actor its auth hook resolved, and the request id
 * (`request.id`, one UUID per request, echoed in X-Request-Id). A dialect's own per-request state
 * hangs off its own decorator (IBM: `request.ibm`), declared in its folder.
 */
declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export {};
