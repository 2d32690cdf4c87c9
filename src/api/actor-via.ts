import type { FastifyInstance } from 'fastify';
import './request-context.js';

/** The dialect each mount prefix speaks, for the event timeline's causes ("user alice via ibm"). */
const DIALECT_PREFIXES: readonly (readonly [string, string])[] = [
  ['/v1/', 'ibm'],
  ['/v2.0/', 'neutron'],
  ['/v5/', 'huawei'],
  ['/cloudca/v1/', 'cloudca'],
];

/**
 * Stamps the dialect on the actor a dialect's auth hook resolved. It runs as a root preHandler, after
 * every dialect's onRequest hook; tenancy never reads it.
 */
export function installActorVia(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    const actor = req.actor as typeof req.actor | null | undefined;
    if (!actor || actor.via !== undefined) return;
    const url = req.routeOptions.url ?? '';
    const via = DIALECT_PREFIXES.find(([p]) => url.startsWith(p))?.[1];
    if (via) req.actor = { ...actor, via };
  });
}
