import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VpcView } from '../../control/index.js';
import { DomainError } from '../../domain/errors.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { PUBLIC_NETWORK_ID, PUBLIC_NETWORK_NAME, PUBLIC_SUBNET_ID } from './neutron-core-wire.js';
import { badRequest, forbidden } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, str, unwrap } from './neutron-request.js';
import { asBool, asList, collectionUrl, coreTime, fixedAttr, pathIdOr404 } from './network-wire.js';
import { NetworkCreate, NetworkList, NetworkOne, NetworkShown, NetworkUpdate, type NetworkWire } from './network-schema.js';
import { ERRORS, IdParams, keysOf, LIST_DESCRIPTION, ListQuery, NETWORKING_TAGS, NoContent, ShowQuery } from './neutron-common-schema.js';

/** Networks: a network is a VPC (same id); plus the built-in external network `public`. */

interface NetworkShape {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  readonly subnetIds: readonly string[];
  readonly createdAt: number;
  readonly external: boolean;
}

function networkWire(n: NetworkShape): NetworkWire {
  return {
    id: n.id,
    name: n.name,
    ...ownerFields(n.accountId),
    admin_state_up: true,
    mtu: 1500,
    status: 'ACTIVE',
    subnets: [...n.subnetIds],
    shared: n.external,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    'router:external': n.external,
    description: '',
    port_security_enabled: true,
    tags: [],
    created_at: coreTime(n.createdAt),
    updated_at: coreTime(n.createdAt),
  };
}

const fromView = (v: VpcView): NetworkShape => ({
  id: v.vpc.id,
  name: v.vpc.name,
  accountId: v.vpc.accountId,
  subnetIds: v.subnetIds,
  createdAt: v.vpc.createdAt,
  external: false,
});

/** Neutron lists every object at once (its filters, sorting and paging run over them): one page holding all. */
export const ALL = { limit: 1_000_000, sort: 'created_at', desc: false } as const;

/** The built-in external network as the API shows it. */
export async function publicNetworkWire(deps: NeutronDeps): Promise<NetworkWire> {
  const owner = await deps.control.vpcs.publicNetworkOwner();
  return networkWire({
    id: PUBLIC_NETWORK_ID,
    name: PUBLIC_NETWORK_NAME,
    accountId: owner.accountId,
    subnetIds: [PUBLIC_SUBNET_ID],
    createdAt: owner.createdAt,
    external: true,
  });
}

/** Attributes with the one value Causeway has (POST and PUT). */
function checkFixed(b: Record<string, unknown>): void {
  for (const k of ['admin_state_up', 'shared', 'port_security_enabled', 'router:external']) bool(b, k);
  fixedAttr(b, 'admin_state_up', [true], asBool);
  fixedAttr(b, 'shared', [false], asBool);
  fixedAttr(b, 'port_security_enabled', [true], asBool);
  fixedAttr(b, 'mtu', [1500], (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));
  fixedAttr(b, 'description', ['', null]);
  fixedAttr(b, 'availability_zone_hints', [[]], asList);
  if ('router:external' in b && asBool(b['router:external']) === true) {
    throw badRequest('Only the built-in external network (public) is supported; networks created through the API are internal.');
  }
  fixedAttr(b, 'router:external', [false], asBool);
}

/** What a POST and a PUT accept and refuse as read-only: the body schemas' attributes. */
const CREATE = keysOf(NetworkCreate);
const UPDATE = keysOf(NetworkUpdate);
const tags = NETWORKING_TAGS;

export function networkRoutes(fastify: FastifyInstance, deps: NeutronDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const netId = (raw: string): string => pathIdOr404(raw, 'NetworkNotFound', 'Network');
  const show = async (actorReq: FastifyRequest, id: string): Promise<NetworkWire> =>
    id === PUBLIC_NETWORK_ID ? publicNetworkWire(deps) : networkWire(fromView(await control.vpcs.get(actorOf(actorReq), id)));

  app.get(
    '/networks',
    { schema: { tags, summary: 'List networks', description: LIST_DESCRIPTION, querystring: ListQuery, response: { 200: NetworkList, ...ERRORS } } },
    async (req) => {
      const items = [await publicNetworkWire(deps), ...(await control.vpcs.list(actorOf(req), ALL)).items.map((v) => networkWire(fromView(v)))];
      items.sort((a, b) => a.id.localeCompare(b.id));
      return listResponse(req, 'networks', items, collectionUrl(deps.publicUrl, 'networks'));
    },
  );

  app.get(
    '/networks/:id',
    { schema: { tags, summary: 'Show a network', params: IdParams, querystring: ShowQuery, response: { 200: NetworkShown, ...ERRORS } } },
    async (req) => ({ network: pick(await show(req, netId(req.params.id)), fieldsOf(req)) }),
  );

  app.post(
    '/networks',
    { schema: { tags, summary: 'Create a network (a VPC)', body: NetworkCreate, response: { 201: NetworkOne, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'network');
      checkKeys(b, CREATE.allowed, 'POST', CREATE.readOnly);
      checkFixed(b);
      const name = str(b, 'name');
      const accountId = ownerOf(actor, b);
      try {
        const v = await control.vpcs.create(actor, { accountId, ...(name ? { name } : {}) });
        return reply.code(201).send({ network: networkWire(fromView(v)) });
      } catch (e) {
        if (DomainError.is(e) && e.subject?.resource === 'account') throw badRequest(`Project ${accountId.replace(/-/g, '')} does not exist.`);
        throw e;
      }
    },
  );

  app.put(
    '/networks/:id',
    { schema: { tags, summary: 'Update a network (its name)', params: IdParams, body: NetworkUpdate, response: { 200: NetworkOne, ...ERRORS } } },
    async (req) => {
      const actor = actorOf(req);
      const id = netId(req.params.id);
      const b = unwrap(req, 'network');
      checkKeys(b, UPDATE.allowed, 'PUT', UPDATE.readOnly);
      if (id === PUBLIC_NETWORK_ID) {
        if (Object.keys(b).length === 0) return { network: await publicNetworkWire(deps) };
        throw forbidden(`The built-in external network ${id} cannot be changed.`);
      }
      checkFixed(b);
      const name = str(b, 'name');
      return { network: networkWire(fromView(name !== undefined ? await control.vpcs.rename(actor, id, name) : await control.vpcs.get(actor, id))) };
    },
  );

  app.delete(
    '/networks/:id',
    { schema: { tags, summary: 'Delete a network with its subnets', params: IdParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const id = netId(req.params.id);
      if (id === PUBLIC_NETWORK_ID) throw forbidden(`The built-in external network ${id} cannot be deleted.`);
      await control.vpcs.remove(actorOf(req), id, { withSubnets: true });
      return reply.code(204).send();
    },
  );
}
