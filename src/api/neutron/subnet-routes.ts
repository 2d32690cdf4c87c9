import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseCidr } from '../../domain/cidr.js';
import { DomainError } from '../../domain/errors.js';
import type { Subnet } from '../../domain/tenancy.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { allocationPoolOf, gatewayIpOf, PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID, PUBLIC_SUBNET_NAME } from './neutron-core-wire.js';
import { badRequest, echo, forbidden, invalidInput } from './neutron-errors.js';
import { ALL } from './network-routes.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, str, unwrap, uuid, type Body } from './neutron-request.js';
import { asList, collectionUrl, coreTime, fixedAttr, pathIdOr404 } from './network-wire.js';
import { ERRORS, IdParams, keysOf, LIST_DESCRIPTION, ListQuery, NETWORKING_TAGS, NoContent, ShowQuery } from './neutron-common-schema.js';
import { SubnetCreate, SubnetList, SubnetOne, SubnetShown, SubnetUpdate, type SubnetWire } from './subnet-schema.js';
import { textOf } from '../../domain/text.js';

/** Subnets: Causeway subnets in the network's VPC (IPv4 only); plus the public pool as the external network's subnet. */

interface SubnetShape {
  readonly id: string;
  readonly name: string;
  readonly networkId: string;
  readonly accountId: string;
  readonly cidr: string;
  readonly createdAt: number;
  readonly dhcp: boolean;
}

function subnetWire(s: SubnetShape): SubnetWire {
  return {
    id: s.id,
    name: s.name,
    network_id: s.networkId,
    ...ownerFields(s.accountId),
    cidr: s.cidr,
    ip_version: 4,
    gateway_ip: gatewayIpOf(s.cidr),
    allocation_pools: [allocationPoolOf(s.cidr)],
    enable_dhcp: s.dhcp,
    dns_nameservers: [],
    host_routes: [],
    description: '',
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    service_types: [],
    tags: [],
    created_at: coreTime(s.createdAt),
    updated_at: coreTime(s.createdAt),
  };
}

const fromSubnet = (s: Subnet): SubnetShape => ({
  id: s.id,
  name: s.name,
  networkId: s.vpcId,
  accountId: s.accountId,
  cidr: s.cidr,
  createdAt: s.createdAt,
  dhcp: true,
});

async function publicSubnetWire(deps: NeutronDeps): Promise<SubnetWire> {
  const owner = await deps.control.vpcs.publicNetworkOwner();
  return subnetWire({
    id: PUBLIC_SUBNET_ID,
    name: PUBLIC_SUBNET_NAME,
    networkId: PUBLIC_NETWORK_ID,
    accountId: owner.accountId,
    cidr: deps.control.settings.publicPool.text,
    createdAt: owner.createdAt,
    dhcp: false,
  });
}

/** Attributes accepted only with what Causeway does anyway (given the subnet's CIDR when known). */
function checkFixed(b: Body, cidr: string | undefined): void {
  bool(b, 'enable_dhcp');
  fixedAttr(b, 'description', ['', null]);
  for (const k of ['dns_nameservers', 'host_routes', 'service_types']) fixedAttr(b, k, [[]], asList);
  for (const k of ['ipv6_ra_mode', 'ipv6_address_mode', 'subnetpool_id', 'segment_id']) fixedAttr(b, k, [null]);
  fixedAttr(b, 'use_default_subnetpool', [false]);
  if (cidr === undefined) return;
  const gw = gatewayIpOf(cidr);
  if ('gateway_ip' in b && b['gateway_ip'] !== gw) {
    throw invalidInput('gateway_ip', `'${echo(textOf(b['gateway_ip']))}' is not supported: a subnet's gateway is its first host (${gw})`);
  }
  fixedAttr(b, 'allocation_pools', [[allocationPoolOf(cidr)], null]);
}

/** What a POST and a PUT accept and refuse as read-only: the body schemas' attributes. */
const CREATE = keysOf(SubnetCreate);
const UPDATE = keysOf(SubnetUpdate);
const tags = NETWORKING_TAGS;

export function subnetRoutes(fastify: FastifyInstance, deps: NeutronDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const subId = (raw: string): string => pathIdOr404(raw, 'SubnetNotFound', 'Subnet');
  const show = async (req: FastifyRequest, id: string): Promise<SubnetWire> =>
    id === PUBLIC_SUBNET_ID ? publicSubnetWire(deps) : subnetWire(fromSubnet((await control.subnets.get(actorOf(req), id)).subnet));

  app.get(
    '/subnets',
    { schema: { tags, summary: 'List subnets', description: LIST_DESCRIPTION, querystring: ListQuery, response: { 200: SubnetList, ...ERRORS } } },
    async (req) => {
      const items = [await publicSubnetWire(deps), ...(await control.subnets.list(actorOf(req), ALL)).items.map((v) => subnetWire(fromSubnet(v.subnet)))];
      items.sort((a, b) => a.id.localeCompare(b.id));
      return listResponse(req, 'subnets', items, collectionUrl(deps.publicUrl, 'subnets'));
    },
  );

  app.get(
    '/subnets/:id',
    { schema: { tags, summary: 'Show a subnet', params: IdParams, querystring: ShowQuery, response: { 200: SubnetShown, ...ERRORS } } },
    async (req) => ({ subnet: pick(await show(req, subId(req.params.id)), fieldsOf(req)) }),
  );

  app.post(
    '/subnets',
    { schema: { tags, summary: "Create a subnet (IPv4, in the network's VPC)", body: SubnetCreate, response: { 201: SubnetOne, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'subnet');
      checkKeys(b, CREATE.allowed, 'POST', CREATE.readOnly);
      const networkId = uuid(b, 'network_id', true)!;
      const v = b['ip_version'] ?? 4;
      const version = typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : NaN;
      if (version === 6) throw badRequest('IPv6 subnets are not supported by this server.');
      if (version !== 4) throw invalidInput('ip_version', `'${echo(textOf(v))}' is not in [4, 6]`);
      const rawCidr = b['cidr'];
      if (rawCidr === undefined || rawCidr === null) throw badRequest("Failed to parse request. Required attribute 'cidr' not specified");
      const parsed = typeof rawCidr === 'string' ? parseCidr(rawCidr) : undefined;
      if (!parsed?.ok) throw invalidInput('cidr', `'${echo(textOf(rawCidr))}' is not a valid IP subnet`);
      if (parsed.cidr.family !== 4) throw badRequest('Invalid input for operation: IP version mismatch: the cidr is IPv6 but ip_version is 4.');
      if (parsed.hostBitsSet) throw invalidInput('cidr', `'${echo(textOf(rawCidr))}' isn't a recognized IP subnet cidr, '${parsed.cidr.text}' is recommended`);
      checkFixed(b, parsed.cidr.text);
      const name = str(b, 'name');
      const owner = b['project_id'] !== undefined || b['tenant_id'] !== undefined ? ownerOf(actor, b) : undefined;
      if (networkId === PUBLIC_NETWORK_ID) throw forbidden(`The built-in external network ${networkId} takes no further subnets.`);
      const cidr = parsed.cidr.text;
      // The network's project check and the create run in one transaction.
      const s = await control.atomically(async (cp) => {
        const net = await cp.vpcs.get(actor, networkId);
        if (owner !== undefined && owner !== net.vpc.accountId)
          throw badRequest(`A subnet belongs to its network's project (${net.vpc.accountId.replace(/-/g, '')}).`);
        try {
          return await cp.subnets.create(actor, { vpcId: networkId, cidr, ...(name ? { name } : {}) });
        } catch (e) {
          if (DomainError.is(e) && e.code === 'cidr_overlap')
            throw badRequest(`Invalid input for operation: Requested subnet with cidr: ${cidr} for network: ${networkId} overlaps with another subnet.`);
          throw e;
        }
      });
      return reply.code(201).send({ subnet: subnetWire(fromSubnet(s.subnet)) });
    },
  );

  app.put(
    '/subnets/:id',
    { schema: { tags, summary: 'Update a subnet (its name)', params: IdParams, body: SubnetUpdate, response: { 200: SubnetOne, ...ERRORS } } },
    async (req) => {
      const actor = actorOf(req);
      const id = subId(req.params.id);
      const b = unwrap(req, 'subnet');
      checkKeys(b, UPDATE.allowed, 'PUT', UPDATE.readOnly);
      if (id === PUBLIC_SUBNET_ID) {
        if (Object.keys(b).length === 0) return { subnet: await publicSubnetWire(deps) };
        throw forbidden(`The built-in external subnet ${id} cannot be changed.`);
      }
      const name = str(b, 'name');
      const s = await control.atomically(async (cp) => {
        const current = await cp.subnets.get(actor, id);
        checkFixed(b, current.subnet.cidr);
        return name !== undefined ? cp.subnets.rename(actor, id, name) : current;
      });
      return { subnet: subnetWire(fromSubnet(s.subnet)) };
    },
  );

  app.delete(
    '/subnets/:id',
    { schema: { tags, summary: 'Delete a subnet', params: IdParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const id = subId(req.params.id);
      if (id === PUBLIC_SUBNET_ID) throw forbidden(`The built-in external subnet ${id} cannot be deleted.`);
      await control.subnets.remove(actorOf(req), id);
      return reply.code(204).send();
    },
  );
}
