import type { Actor } from '../domain/tenancy.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the dialect's auth hook. */
    actor: Actor;
    /** The IBM `version` date (YYYY-MM-DD), set by the version hook. */
    apiVersion: string;
  }
}

export {};
