import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { acceptJsonBodies } from '../body-parsers.js';
import { coreRoutes } from './core-routes.js';
import { ERRORS, NETWORKING_TAGS } from './neutron-common-schema.js';
import type { NeutronDeps } from './neutron-deps.js';
import { NeutronError, toNeutronError } from './neutron-errors.js';
import { AliasParams, ExtensionList, ExtensionOne, type ExtensionWire, RootSchema } from './neutron-root-schema.js';
import { fromValidation } from './neutron-validation-errors.js';
import { vpnRoutes } from './vpn-routes.js';
import { failureLog } from '../failure-log.js';

/** What this Neutron serves, as `GET /v2.0/extensions` lists it (clients and tempest check aliases). */
const EXTENSIONS = [
  ['vpnaas', 'VPN service', 'Extension for VPN service'],
  ['vpn-endpoint-groups', 'VPN Endpoint Groups', 'VPN endpoint groups support'],
  ['router', 'Neutron L3 Router', 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.'],
  ['extraroute', 'Neutron Extra Route', 'Extra routes configuration for L3 router'],
  ['extraroute-atomic', 'Atomically add/remove extra routes', 'Edit extra routes of a router on server side by atomically adding/removing extra routes'],
  ['external-net', 'Neutron external network', 'Adds external network attribute to network resource.'],
  ['project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.'],
  ['pagination', 'Pagination support', 'Extension that indicates that pagination is enabled.'],
  ['sorting', 'Sorting support', 'Extension that indicates that sorting is enabled.'],
].map(([alias, name, description]): ExtensionWire => ({
  alias: alias!,
  name: name!,
  description: description!,
  updated: '2013-05-29T10:00:00-00:00',
  links: [],
}));

/**
 * OpenStack Neutron v2.0 (seed 003): VPNaaS under /v2.0/vpn and the core resources it leans on,
 * over the same domain and store as the native API. Auth: a Keystone token (`X-Auth-Token`, from
 * /identity/v3/auth/tokens) or the same token as `Authorization: Bearer`. Every error is
 * {"NeutronError": {type, message, detail}} as application/json; every reply carries
 * X-Openstack-Request-Id.
 */
export async function neutronPlugin(fastify: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  acceptJsonBodies(app);
  app.decorateRequest('actor', null as never);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-openstack-request-id', `req-${req.id}`);
  });
  app.addHook('onRequest', async (req) => {
    const token = req.headers['x-auth-token'] ?? /^\s*Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (typeof token !== 'string' || token.length === 0) throw new NeutronError(401, 'HTTPUnauthorized', 'The request you have made requires authentication.');
    try {
      req.actor = await deps.control.tokens.verify(token);
    } catch {
      throw new NeutronError(401, 'HTTPUnauthorized', 'The request you have made requires authentication.');
    }
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type('application/json')
      .send({ NeutronError: { type: 'HTTPNotFound', message: `The resource could not be found.`, detail: '' } });
    void req;
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // A body the route schema refused is answered as Neutron's attribute layer words it.
    const ne =
      toNeutronError(err) ??
      (err.validation ? fromValidation(err, req) : undefined) ??
      (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? new NeutronError(err.statusCode, 'HTTPBadRequest', err.message) : undefined);
    if (!ne || ne.status >= 500) req.log.error(failureLog(err), 'neutron request failed');
    if (!ne) {
      return reply
        .code(500)
        .type('application/json')
        .send({
          NeutronError: { type: 'HTTPInternalServerError', message: 'Request Failed: internal server error while processing your request.', detail: '' },
        });
    }
    return reply
      .code(ne.status)
      .type('application/json')
      .send({ NeutronError: { type: ne.type, message: ne.message, detail: ne.detail } });
  });
  const tags = NETWORKING_TAGS;
  app.get(
    '/',
    { schema: { tags, summary: 'List the core resources (networks, subnets, routers, ports)', response: { 200: RootSchema, ...ERRORS } } },
    async () => ({
      resources: ['networks', 'subnets', 'routers', 'ports'].map((name) => ({
        name: name.slice(0, -1),
        collection: name,
        links: [{ href: `${deps.publicUrl}/v2.0/${name}`, rel: 'self' }],
      })),
    }),
  );
  app.get('/extensions', { schema: { tags, summary: 'List API extensions', response: { 200: ExtensionList, ...ERRORS } } }, async () => ({
    extensions: EXTENSIONS,
  }));
  app.get(
    '/extensions/:alias',
    { schema: { tags, summary: 'Show an API extension', params: AliasParams, response: { 200: ExtensionOne, ...ERRORS } } },
    async (req) => {
      const e = EXTENSIONS.find((x) => x.alias === req.params.alias);
      if (!e) throw new NeutronError(404, 'HTTPNotFound', `Extension with alias ${req.params.alias} does not exist`);
      return { extension: e };
    },
  );
  await app.register(async (scope) => coreRoutes(scope, deps));
  await app.register(async (scope) => vpnRoutes(scope, deps), { prefix: '/vpn' });
}
