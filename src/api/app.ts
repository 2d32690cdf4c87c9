import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ControlDeps } from '../control/control-deps.js';
import { ReadQueries } from '../control/read-queries.js';
import type { TokenService } from '../control/token-service.js';
import { agentPlugin, type AgentApiOptions } from './agent/agent-routes.js';
import { docsRoutes } from './docs-routes.js';
import { iamPlugin } from './iam/token-routes.js';
import { ibmPlugin } from './ibm/index.js';
import { keystonePlugin } from './keystone/index.js';
import { neutronPlugin } from './neutron/index.js';
import type { PeerConfigRenderer } from './ibm/ibm-deps.js';
import { IbmRefs } from './ibm/ibm-refs.js';
import './request-context.js';
import { installValidators } from './validation.js';

export interface ApiDeps {
  readonly control: ControlDeps;
  readonly tokens: TokenService;
  /** The externally visible base URL used in every href. */
  readonly publicUrl: string;
  readonly logger?: Logger | false;
  readonly version: string;
  readonly renderPeerConfig?: PeerConfigRenderer;
  /** Served under /agent/v1 when set (the remote data plane's agents; the lab settings they share). */
  readonly agentApi?: AgentApiOptions['lab'];
}

/** Builds the HTTP app (no listen), so tests use inject() and `serve` adds the socket. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
    // Errors raised before routing (a malformed URL) still get an envelope.
    frameworkErrors: (err: Error & { statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      void reply.code(status).header('x-request-id', req.id).send({
        errors: [{ code: 'bad_request', message: `The request could not be read: ${err.message}` }], trace: req.id, status_code: status,
      });
    },
  }) as unknown as FastifyInstance;
  installValidators(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Causeway API',
        version: deps.version,
        description: 'Self-hosted site-to-site VPN. Native dialect: IBM Cloud VPN for VPC (/v1). Every /v1 call needs ?version=YYYY-MM-DD and Authorization: Bearer <token> from POST /identity/token.',
      },
      servers: [{ url: deps.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  const refs = new IbmRefs(deps.publicUrl, deps.control.settings.region);
  const queries = new ReadQueries(deps.control);
  await app.register(iamPlugin, { prefix: '/identity', tokens: deps.tokens });
  await app.register(async (scope) => ibmPlugin(scope, { control: deps.control, queries, tokens: deps.tokens, refs, ...(deps.renderPeerConfig ? { renderPeerConfig: deps.renderPeerConfig } : {}) }), { prefix: '/v1' });
  await app.register(async (scope) => neutronPlugin(scope, { control: deps.control, tokens: deps.tokens, publicUrl: deps.publicUrl }), { prefix: '/v2.0' });
  await app.register(async (scope) => keystonePlugin(scope, { control: deps.control, tokens: deps.tokens, publicUrl: deps.publicUrl }), { prefix: '/identity' });
  if (deps.agentApi) await app.register(agentPlugin, { prefix: '/agent/v1', control: deps.control, lab: deps.agentApi });
  await app.register(docsRoutes);
  // Neutron's version document at the network endpoint's root (the catalog's `network` URL is this server).
  app.get('/', { schema: { hide: true } }, async () => ({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${deps.publicUrl}/v2.0/`, rel: 'self' }] }] }));
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  return app;
}
