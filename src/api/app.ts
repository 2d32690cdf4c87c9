import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';
import type { ControlPlane } from '../control/index.js';
import { installActorVia } from './actor-via.js';
import { installRequestMetrics, metricsRoutes, type MetricsOptions } from './metrics-routes.js';
import { agentPlugin, type AgentApiOptions } from './agent/agent-routes.js';
import { cloudcaPlugin } from './cloudca/index.js';
import { docsRoutes } from './docs-routes.js';
import { iamPlugin } from './iam/token-routes.js';
import { ibmPlugin } from './ibm/index.js';
import type { PeerConfigRenderer } from './ibm/ibm-deps.js';
import { IbmRefs } from './ibm/ibm-refs.js';
import { ibmErrorCatalogue } from './ibm/ibm-errors.js';
import { huaweiPlugin } from './huawei/index.js';
import { huaweiIamTokenPlugin, keystonePlugin } from './keystone/index.js';
import { neutronPlugin } from './neutron/index.js';
import './request-context.js';
import { installValidators } from './validation.js';
import { echo } from '../domain/errors.js';

export interface ApiDeps {
  /** The one door to the domain: every dialect receives this, never a database handle. */
  readonly control: ControlPlane;
  /** The externally visible base URL used in every href. */
  readonly publicUrl: string;
  readonly logger?: Logger | false;
  readonly version: string;
  readonly renderPeerConfig?: PeerConfigRenderer;
  /** Served under /agent/v1 when set (the remote data plane's agents; the lab settings they share). */
  readonly agentApi?: AgentApiOptions['lab'];
  /** cloud.ca dialect: the service codes its paths accept (setting cloudcaServiceCodes). */
  readonly cloudcaServiceCodes?: readonly string[];
  /** GET /metrics and the request metrics, when set. */
  readonly metrics?: MetricsOptions;
}

/** The envelope of errors outside every dialect (unknown paths, unreadable requests): IBM's, the native dialect's. */
function rootError(req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send({ errors: [{ code, message }], trace: req.id, status_code: status });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered (method, url, schema): the route-schema guard test reads it. */
    readonly routeTable: readonly RouteOptions[];
  }
  interface FastifyContextConfig {
    /** A POST/PUT that takes no body (its request is the path), so it declares no body schema. */
    readonly bodyless?: boolean;
  }
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
      void reply.header('x-request-id', req.id);
      void rootError(req, reply, status, 'bad_request', `The request could not be read: ${err.message}`);
    },
  }) as unknown as FastifyInstance;
  const routeTable: RouteOptions[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (r) => {
    routeTable.push(r);
  });
  installValidators(app);
  installActorVia(app);
  if (deps.metrics) installRequestMetrics(app, deps.metrics.metrics);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.setNotFoundHandler((req, reply) => rootError(req, reply, 404, 'not_found', `There is no ${req.method} ${echo(req.url.split('?')[0])} on this server.`));
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    return rootError(
      req,
      reply,
      status,
      status >= 500 ? 'internal_error' : 'bad_request',
      status >= 500 ? 'Operation failed. An internal error has occurred.' : err.message,
    );
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Causeway API',
        version: deps.version,
        description:
          'Self-hosted site-to-site VPN. Native dialect: IBM Cloud VPN for VPC (/v1; ?version=YYYY-MM-DD and Authorization: Bearer <token> from POST /identity/token). ' +
          'Also OpenStack Neutron VPNaaS (/v2.0) with Keystone (/identity/v3), Huawei Cloud VPN v5 (/v5, X-Auth-Token or AK/SK), cloud.ca site-to-site VPNs (/cloudca/v1; MC-Api-Key), and the agent API (/agent/v1).',
      },
      servers: [{ url: deps.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  const refs = new IbmRefs(deps.publicUrl, deps.control.settings.region);
  await app.register(iamPlugin, { prefix: '/identity', control: deps.control });
  await app.register(
    async (scope) => ibmPlugin(scope, { control: deps.control, refs, ...(deps.renderPeerConfig ? { renderPeerConfig: deps.renderPeerConfig } : {}) }),
    { prefix: '/v1' },
  );
  await app.register(async (scope) => neutronPlugin(scope, { control: deps.control, publicUrl: deps.publicUrl }), { prefix: '/v2.0' });
  await app.register(async (scope) => huaweiPlugin(scope, { control: deps.control }), { prefix: '/v5' });
  await app.register(async (scope) => cloudcaPlugin(scope, { control: deps.control, serviceCodes: deps.cloudcaServiceCodes ?? ['compute-on', 'compute-qc'] }), {
    prefix: '/cloudca/v1',
  });
  await app.register(async (scope) => keystonePlugin(scope, { control: deps.control, publicUrl: deps.publicUrl }), { prefix: '/identity' });
  // Huawei IAM (POST /v3/auth/tokens at the root): the Keystone token routes again, for Huawei clients.
  await app.register(async (scope) => huaweiIamTokenPlugin(scope, { control: deps.control, publicUrl: deps.publicUrl }), { prefix: '/v3' });
  if (deps.agentApi) await app.register(agentPlugin, { prefix: '/agent/v1', control: deps.control, lab: deps.agentApi });
  await app.register(docsRoutes, { errorCodes: ibmErrorCatalogue() });
  if (deps.metrics) metricsRoutes(app, deps.metrics);
  // Neutron's version document at the network endpoint's root (the catalog's `network` URL is this server).
  const Versions = Type.Object({
    versions: Type.Array(
      Type.Object({ id: Type.String(), status: Type.String(), links: Type.Array(Type.Object({ href: Type.String(), rel: Type.String() })) }),
    ),
  });
  app.get('/', { schema: { tags: ['Networking (Neutron v2.0)'], summary: "Neutron's version document", response: { 200: Versions } } }, async () => ({
    versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${deps.publicUrl}/v2.0/`, rel: 'self' }] }],
  }));
  app.get('/healthz', { schema: { tags: ['Server'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));
  return app;
}
