import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { PortView } from '../../control/index.js';
import { macOf, ROUTER_INTERFACE_OWNER } from './neutron-core-wire.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, conflict } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { ownerFields } from './neutron-request.js';
import { collectionUrl, coreTime, pathIdOr404, withoutQuery } from './network-wire.js';
import { ERRORS, IdParams, LIST_DESCRIPTION, NETWORKING_TAGS, NoContent, ShowQuery } from './neutron-common-schema.js';
import { PortBody, PortList, PortListQuery, PortShown, type PortWire } from './port-schema.js';

/**
 * Ports, read-only: each router interface is a port (device_id = the router, device_owner
 * network:router_interface, one fixed IP = the subnet's gateway_ip). The gateway port is not listed.
 */

export function portWire(p: PortView): PortWire {
  return {
    id: p.portId,
    name: '',
    network_id: p.networkId,
    ...ownerFields(p.accountId),
    mac_address: macOf(p.portId),
    admin_state_up: true,
    status: 'ACTIVE',
    device_id: p.routerId,
    device_owner: ROUTER_INTERFACE_OWNER,
    fixed_ips: [{ subnet_id: p.subnetId, ip_address: p.ipAddress }],
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    security_groups: [],
    description: '',
    port_security_enabled: false,
    'binding:vnic_type': 'normal',
    tags: [],
    created_at: coreTime(p.createdAt),
    updated_at: coreTime(p.createdAt),
  };
}

/** `fixed_ips=subnet_id=X` / `fixed_ips=ip_address=Y` (repeatable; all must hold), as the SDK sends them. */
function fixedIpFilter(raw: unknown): (p: PortView) => boolean {
  const wanted = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map(String);
  const tests = wanted.map((w) => {
    const eq = w.indexOf('=');
    const key = eq < 0 ? '' : w.slice(0, eq);
    const value = w.slice(eq + 1);
    if (key === 'subnet_id') return (p: PortView) => p.subnetId === value;
    if (key === 'ip_address') return (p: PortView) => p.ipAddress === value;
    if (key === 'ip_address_substr') return (p: PortView) => p.ipAddress.includes(value);
    throw badRequest(`Invalid fixed_ips filter '${w}': expected subnet_id=, ip_address= or ip_address_substr=`);
  });
  return (p) => tests.every((t) => t(p));
}

export function portRoutes(fastify: FastifyInstance, deps: NeutronDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const portId = (raw: string): string => pathIdOr404(raw, 'PortNotFound', 'Port');
  const tags = NETWORKING_TAGS;
  /** Writes are always refused; a body of any shape gets the handler's own answer (404 for an unknown port first). */
  const refused = { attachValidation: true } as const;

  app.get(
    '/ports',
    {
      schema: {
        tags,
        summary: 'List ports (router interfaces)',
        description: `${LIST_DESCRIPTION} Also fixed_ips=subnet_id=X / ip_address=Y.`,
        querystring: PortListQuery,
        response: { 200: PortList, ...ERRORS },
      },
    },
    async (req) => {
      const keep = fixedIpFilter(req.query.fixed_ips);
      const items = (await control.ports.list(actorOf(req))).filter(keep).map(portWire);
      return listResponse(withoutQuery(req, ['fixed_ips']), 'ports', items, collectionUrl(deps.publicUrl, 'ports'));
    },
  );

  app.get(
    '/ports/:id',
    { schema: { tags, summary: 'Show a port', params: IdParams, querystring: ShowQuery, response: { 200: PortShown, ...ERRORS } } },
    async (req) => ({ port: pick(portWire(await control.ports.get(actorOf(req), portId(req.params.id))), fieldsOf(req)) }),
  );

  // Neutron's success answers are documented (clients read them), though Causeway refuses these three.
  app.post(
    '/ports',
    { ...refused, schema: { tags, summary: 'Create a port: refused (ports are router interfaces)', body: PortBody, response: { 201: PortShown, ...ERRORS } } },
    async () => {
      throw badRequest('Creating ports is not supported: ports are router interfaces (PUT /v2.0/routers/{id}/add_router_interface).');
    },
  );

  app.put(
    '/ports/:id',
    {
      ...refused,
      schema: {
        tags,
        summary: 'Update a port: refused (router interfaces are read-only)',
        params: IdParams,
        body: PortBody,
        response: { 200: PortShown, ...ERRORS },
      },
    },
    async (req) => {
      const p = await control.ports.get(actorOf(req), portId(req.params.id));
      throw badRequest(`Port ${p.portId} is a router interface and cannot be updated.`);
    },
  );

  app.delete(
    '/ports/:id',
    { schema: { tags, summary: 'Delete a port: refused (remove the router interface instead)', params: IdParams, response: { 204: NoContent, ...ERRORS } } },
    async (req) => {
      const p = await control.ports.get(actorOf(req), portId(req.params.id));
      throw conflict('L3PortInUse', `Port ${p.portId} has owner ${ROUTER_INTERFACE_OWNER} and therefore cannot be deleted directly via the port API.`);
    },
  );
}
