import type { FastifyInstance } from 'fastify';
import { createNeutronSubnet, removeNeutronSubnet, updateNeutronSubnet } from '../../control/neutron-network-commands.js';
import { getSubnetView, listSubnetViews, publicNetworkOwner } from '../../control/neutron-queries.js';
import { parseCidr } from '../../domain/cidr.js';
import { allocationPoolOf, gatewayIpOf, PUBLIC_NETWORK_ID, PUBLIC_SUBNET_ID, PUBLIC_SUBNET_NAME } from '../../domain/neutron-core.js';
import type { Subnet } from '../../domain/tenancy.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, invalidInput } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { bool, checkKeys, ownerFields, ownerOf, str, unwrap, uuid, type Body } from './neutron-request.js';
import { asList, collectionUrl, core, coreTime, fixedAttr, forbidden, pathIdOr404 } from './network-wire.js';

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

function subnetWire(s: SubnetShape): Record<string, unknown> {
  return {
    id: s.id, name: s.name, network_id: s.networkId, ...ownerFields(s.accountId), cidr: s.cidr, ip_version: 4, gateway_ip: gatewayIpOf(s.cidr),
    allocation_pools: [allocationPoolOf(s.cidr)], enable_dhcp: s.dhcp, dns_nameservers: [], host_routes: [], description: '',
    ipv6_ra_mode: null, ipv6_address_mode: null, subnetpool_id: null, service_types: [], tags: [],
    created_at: coreTime(s.createdAt), updated_at: coreTime(s.createdAt),
  };
}

const fromSubnet = (s: Subnet): SubnetShape => ({ id: s.id, name: s.name, networkId: s.vpcId, accountId: s.accountId, cidr: s.cidr, createdAt: s.createdAt, dhcp: true });

async function publicSubnetWire(deps: NeutronDeps): Promise<Record<string, unknown>> {
  const owner = await publicNetworkOwner(deps.control);
  return subnetWire({
    id: PUBLIC_SUBNET_ID, name: PUBLIC_SUBNET_NAME, networkId: PUBLIC_NETWORK_ID, accountId: owner.accountId,
    cidr: deps.control.settings.publicPool.text, createdAt: owner.createdAt, dhcp: false,
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
    throw invalidInput('gateway_ip', `'${String(b['gateway_ip'])}' is not supported: a subnet's gateway is its first host (${gw})`);
  }
  fixedAttr(b, 'allocation_pools', [[allocationPoolOf(cidr)], null]);
}

const RO = ['id', 'tags', 'created_at', 'updated_at', 'revision_number'];
const EDITABLE = ['name', 'description', 'gateway_ip', 'allocation_pools', 'enable_dhcp', 'dns_nameservers', 'host_routes', 'service_types', 'segment_id'];

export function subnetRoutes(app: FastifyInstance, deps: NeutronDeps): void {
  const { control } = deps;
  const subId = (raw: string): string => pathIdOr404(raw, 'SubnetNotFound', 'Subnet');
  const show = async (req: Parameters<typeof actorOf>[0], id: string): Promise<Record<string, unknown>> =>
    id === PUBLIC_SUBNET_ID ? publicSubnetWire(deps) : subnetWire(fromSubnet(await getSubnetView(control, actorOf(req), id)));

  app.get('/subnets', async (req) => core(async () => {
    const items = [await publicSubnetWire(deps), ...(await listSubnetViews(control, actorOf(req))).map((s) => subnetWire(fromSubnet(s)))];
    items.sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    return listResponse(req, 'subnets', items, collectionUrl(deps.publicUrl, 'subnets'));
  }));

  app.get<{ Params: { id: string } }>('/subnets/:id', async (req) => core(async () => ({ subnet: pick(await show(req, subId(req.params.id)), fieldsOf(req)) })));

  app.post('/subnets', async (req, reply) => core(async () => {
    const actor = actorOf(req);
    const b = unwrap(req, 'subnet');
    checkKeys(b, [...EDITABLE, 'network_id', 'cidr', 'ip_version', 'ipv6_ra_mode', 'ipv6_address_mode', 'subnetpool_id', 'use_default_subnetpool', 'tenant_id', 'project_id'], 'POST', [...RO, 'prefixlen']);
    const networkId = uuid(b, 'network_id', true)!;
    const v = b['ip_version'] ?? 4;
    const version = typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : NaN;
    if (version === 6) throw badRequest('IPv6 subnets are not supported by this server.');
    if (version !== 4) throw invalidInput('ip_version', `'${String(v)}' is not in [4, 6]`);
    const rawCidr = b['cidr'];
    if (rawCidr === undefined || rawCidr === null) throw badRequest("Failed to parse request. Required attribute 'cidr' not specified");
    const parsed = typeof rawCidr === 'string' ? parseCidr(rawCidr) : undefined;
    if (!parsed?.ok) throw invalidInput('cidr', `'${String(rawCidr)}' is not a valid IP subnet`);
    if (parsed.cidr.family !== 4) throw badRequest('Invalid input for operation: IP version mismatch: the cidr is IPv6 but ip_version is 4.');
    if (parsed.hostBitsSet) throw invalidInput('cidr', `'${rawCidr}' isn't a recognized IP subnet cidr, '${parsed.cidr.text}' is recommended`);
    checkFixed(b, parsed.cidr.text);
    const name = str(b, 'name');
    const owner = b['project_id'] !== undefined || b['tenant_id'] !== undefined ? ownerOf(actor, b) : undefined;
    if (networkId === PUBLIC_NETWORK_ID) throw forbidden(`The built-in external network ${networkId} takes no further subnets.`);
    const s = await createNeutronSubnet(control, actor, { networkId, cidr: parsed.cidr.text, ...(name ? { name } : {}), ...(owner ? { accountId: owner } : {}) });
    return reply.code(201).send({ subnet: subnetWire(fromSubnet(s)) });
  }));

  app.put<{ Params: { id: string } }>('/subnets/:id', async (req) => core(async () => {
    const actor = actorOf(req);
    const id = subId(req.params.id);
    const b = unwrap(req, 'subnet');
    checkKeys(b, EDITABLE, 'PUT', [...RO, 'network_id', 'cidr', 'ip_version', 'ipv6_ra_mode', 'ipv6_address_mode', 'subnetpool_id', 'tenant_id', 'project_id']);
    if (id === PUBLIC_SUBNET_ID) {
      if (Object.keys(b).length === 0) return { subnet: await publicSubnetWire(deps) };
      throw forbidden(`The built-in external subnet ${id} cannot be changed.`);
    }
    const current = await core(() => getSubnetView(control, actor, id));
    checkFixed(b, current.cidr);
    const name = str(b, 'name');
    const s = await updateNeutronSubnet(control, actor, id, { ...(name !== undefined ? { name } : {}) });
    return { subnet: subnetWire(fromSubnet(s)) };
  }));

  app.delete<{ Params: { id: string } }>('/subnets/:id', async (req, reply) => core(async () => {
    const id = subId(req.params.id);
    if (id === PUBLIC_SUBNET_ID) throw forbidden(`The built-in external subnet ${id} cannot be deleted.`);
    await removeNeutronSubnet(control, actorOf(req), id);
    return reply.code(204).send();
  }));
}
