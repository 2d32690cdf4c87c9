import type { FastifyError, FastifyInstance } from 'fastify';
import { parseJsonBody } from '../body-parsers.js';
import { coreRoutes } from './core-routes.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { NeutronError, toNeutronError } from './neutron-errors.js';
import { vpnRoutes } from './vpn-routes.js';

export { actorOf };

/** What this Neutron serves, as `GET /v2.0/extensions` lists it (clients and tempest check aliases). */
const EXTENSIONS = [
  ['vpnaas', 'VPN service', 'Extension for VPN service'],
  ['vpn-endpoint-groups', 'VPN Endpoint Groups', 'VPN endpoint groups support'],
  ['router', 'Neutron L3 Router', 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.'],
  ['external-net', 'Neutron external network', 'Adds external network attribute to network resource.'],
  ['project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.'],
  ['pagination', 'Pagination support', 'Extension that indicates that pagination is enabled.'],
  ['sorting', 'Sorting support', 'Extension that indicates that sorting is enabled.'],
].map(([alias, name, description]) => ({ alias: alias!, name: name!, description: description!, updated: '2013-05-29T10:00:00-00:00', links: [] as unknown[] }));

/**
 * OpenStack Neutron v2.0 (seed 003): VPNaaS under /v2.0/vpn and the core resources it leans on,
 * over the same domain and store as the native API. Auth: a Keystone token (`X-Auth-Token`, from
 * /identity/v3/auth/tokens) or the same token as `Authorization: Bearer`. Every error is
 * {"NeutronError": {type, message, detail}} as application/json; every reply carries
 * X-Openstack-Request-Id.
 */
export async function neutronPlugin(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, parseJsonBody(text));
    } catch (e) {
      done(new NeutronError(400, 'HTTPBadRequest', `Malformed request body: ${e instanceof Error ? e.message : String(e)}`), undefined);
    }
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-openstack-request-id', `req-${req.id}`);
  });
  app.addHook('onRequest', async (req) => {
    const token = req.headers['x-auth-token'] ?? /^\s*Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (typeof token !== 'string' || token.length === 0) throw new NeutronError(401, 'HTTPUnauthorized', 'The request you have made requires authentication.');
    try {
      req.neutronActor = await deps.tokens.verify(token);
    } catch {
      throw new NeutronError(401, 'HTTPUnauthorized', 'The request you have made requires authentication.');
    }
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).type('application/json').send({ NeutronError: { type: 'HTTPNotFound', message: `The resource could not be found.`, detail: '' } });
    void req;
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const ne = toNeutronError(err) ?? (err.validation ? new NeutronError(400, 'HTTPBadRequest', err.message) : undefined)
      ?? (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? new NeutronError(err.statusCode, 'HTTPBadRequest', err.message) : undefined);
    if (!ne) {
      req.log.error({ err }, 'neutron request failed');
      return reply.code(500).type('application/json').send({ NeutronError: { type: 'HTTPInternalServerError', message: 'Request Failed: internal server error while processing your request.', detail: '' } });
    }
    return reply.code(ne.status).type('application/json').send({ NeutronError: { type: ne.type, message: ne.message, detail: ne.detail } });
  });
  app.get('/', async () => ({
    resources: ['networks', 'subnets', 'routers', 'ports'].map((name) => ({ name: name.slice(0, -1), collection: name, links: [{ href: `${deps.publicUrl}/v2.0/${name}`, rel: 'self' }] })),
  }));
  app.get('/extensions', async () => ({ extensions: EXTENSIONS }));
  app.get<{ Params: { alias: string } }>('/extensions/:alias', async (req) => {
    const e = EXTENSIONS.find((x) => x.alias === req.params.alias);
    if (!e) throw new NeutronError(404, 'HTTPNotFound', `Extension with alias ${req.params.alias} does not exist`);
    return { extension: e };
  });
  await app.register(async (scope) => coreRoutes(scope, deps));
  await app.register(async (scope) => vpnRoutes(scope, deps), { prefix: '/vpn' });
}
