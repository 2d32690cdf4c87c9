import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseId } from '../../domain/ids.js';
import type { Subnet, Vpc } from '../../domain/tenancy.js';
import type { Ref } from '../../control/index.js';
import { ByIdCrnOrHref, IdParams, Name, NoContent, ResourceGroupIdentity, ResourceGroupRef, VersionQuery } from './ibm-common-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { identityId, pathId } from './ibm-identity.js';
import { collectionSchema, PageQuery, pageEnvelope, limitOf, pageRequest } from './ibm-pagination.js';
import type { IbmRefs } from './ibm-refs.js';
import { routingTableIdOf } from './routing-table-mapper.js';

const TableRef = Type.Object({ href: Type.String(), id: Type.String(), name: Type.String(), resource_type: Type.Literal('routing_table') });

const VpcSchema = Type.Object({
  created_at: Type.String(),
  crn: Type.String(),
  default_routing_table: Type.Optional(TableRef),
  href: Type.String(),
  id: Type.String(),
  name: Type.String(),
  resource_group: ResourceGroupRef,
  resource_type: Type.Literal('vpc'),
  status: Type.String(),
});
const SubnetSchema = Type.Object({
  created_at: Type.String(),
  crn: Type.String(),
  href: Type.String(),
  id: Type.String(),
  ip_version: Type.String(),
  ipv4_cidr_block: Type.String(),
  name: Type.String(),
  resource_group: ResourceGroupRef,
  resource_type: Type.Literal('subnet'),
  routing_table: Type.Optional(TableRef),
  status: Type.String(),
  total_ipv4_address_count: Type.Integer(),
  vpc: Type.Object({ crn: Type.String(), href: Type.String(), id: Type.String(), name: Type.String(), resource_type: Type.Literal('vpc') }),
  zone: Type.Object({ href: Type.String(), name: Type.String() }),
});

const tableRef = (refs: IbmRefs, vpcId: string, t: Ref) => ({
  href: refs.routingTable(vpcId, t.id),
  id: t.id,
  name: t.name,
  resource_type: 'routing_table' as const,
});

function vpcToWire(refs: IbmRefs, v: { vpc: Vpc; resourceGroup: Ref; defaultRoutingTable?: Ref }) {
  return {
    created_at: refs.time(v.vpc.createdAt),
    crn: refs.crn(v.vpc.accountId, 'vpc', v.vpc.id),
    ...(v.defaultRoutingTable ? { default_routing_table: tableRef(refs, v.vpc.id, v.defaultRoutingTable) } : {}),
    href: refs.vpc(v.vpc.id),
    id: v.vpc.id,
    name: v.vpc.name,
    resource_group: refs.group(v.resourceGroup),
    resource_type: 'vpc' as const,
    status: 'available',
  };
}

function subnetToWire(refs: IbmRefs, v: { subnet: Subnet; vpc: Ref; resourceGroup: Ref; routingTable?: Ref }) {
  const s = v.subnet;
  const prefix = Number(s.cidr.split('/')[1]);
  return {
    created_at: refs.time(s.createdAt),
    crn: refs.crn(s.accountId, 'subnet', s.id),
    href: refs.subnet(s.id),
    id: s.id,
    ip_version: 'ipv4',
    ipv4_cidr_block: s.cidr,
    name: s.name,
    resource_group: refs.group(v.resourceGroup),
    resource_type: 'subnet' as const,
    ...(v.routingTable ? { routing_table: tableRef(refs, s.vpcId, v.routingTable) } : {}),
    status: 'available',
    total_ipv4_address_count: 2 ** (32 - prefix),
    vpc: { crn: refs.crn(s.accountId, 'vpc', s.vpcId), href: refs.vpc(s.vpcId), id: s.vpcId, name: v.vpc.name, resource_type: 'vpc' as const },
    zone: { href: `${refs.base}/regions/${refs.region}/zones/${s.zone}`, name: s.zone },
  };
}

/** Minimal /vpcs and /subnets: what a VPN gateway is created in. */
export function networkRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { refs, control } = d;
  const rg = (x?: { id: string }) => (x ? { resourceGroupId: parseId(x.id) ?? x.id } : {});

  const vpcTags = ['VPCs'];
  const vpcId = (raw: string) => pathId(raw, 'vpc');
  app.get(
    '/vpcs',
    { schema: { tags: vpcTags, summary: 'List VPCs', querystring: Type.Object(PageQuery), response: { 200: collectionSchema('vpcs', VpcSchema), ...ERRORS } } },
    async (req) =>
      pageEnvelope('vpcs', await control.vpcs.list(req.actor, pageRequest(req.query)), (v) => vpcToWire(refs, v), `${refs.base}/vpcs`, limitOf(req.query)),
  );
  app.post(
    '/vpcs',
    {
      schema: {
        tags: vpcTags,
        summary: 'Create a VPC',
        querystring: VersionQuery,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            resource_group: Type.Optional(ResourceGroupIdentity),
            address_prefix_management: Type.Optional(Type.Enum(['auto', 'manual'])),
          },
          { additionalProperties: false },
        ),
        response: { 201: VpcSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      return reply
        .code(201)
        .send(vpcToWire(refs, await control.vpcs.create(req.actor, { ...(b.name !== undefined ? { name: b.name } : {}), ...rg(b.resource_group) })));
    },
  );
  app.get(
    '/vpcs/:id',
    { schema: { tags: vpcTags, summary: 'Retrieve a VPC', params: IdParams, querystring: VersionQuery, response: { 200: VpcSchema, ...ERRORS } } },
    async (req) => vpcToWire(refs, await control.vpcs.get(req.actor, vpcId(req.params.id))),
  );
  app.patch(
    '/vpcs/:id',
    {
      schema: {
        tags: vpcTags,
        summary: 'Rename a VPC',
        params: IdParams,
        querystring: VersionQuery,
        body: Type.Object({ name: Type.Optional(Name) }, { additionalProperties: false }),
        response: { 200: VpcSchema, ...ERRORS },
      },
    },
    async (req) => {
      const id = vpcId(req.params.id);
      return vpcToWire(refs, req.body.name !== undefined ? await control.vpcs.rename(req.actor, id, req.body.name) : await control.vpcs.get(req.actor, id));
    },
  );
  app.delete(
    '/vpcs/:id',
    {
      schema: {
        tags: vpcTags,
        summary: 'Delete a VPC (refused while it has subnets or gateways)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 204: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      await control.vpcs.remove(req.actor, vpcId(req.params.id));
      return reply.code(204).send();
    },
  );

  const subnetTags = ['Subnets'];
  const subnetId = (raw: string) => pathId(raw, 'subnet');
  app.get(
    '/subnets',
    {
      schema: {
        tags: subnetTags,
        summary: 'List subnets',
        querystring: Type.Object({ ...PageQuery, 'vpc.id': Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: collectionSchema('subnets', SubnetSchema), ...ERRORS },
      },
    },
    async (req) => {
      const vpcFilter = req.query['vpc.id'];
      const page = await control.subnets.list(req.actor, pageRequest(req.query), vpcFilter === undefined ? {} : { vpcId: parseId(vpcFilter) ?? 'none' });
      return pageEnvelope('subnets', page, (v) => subnetToWire(refs, v), `${refs.base}/subnets`, limitOf(req.query), { 'vpc.id': vpcFilter });
    },
  );
  app.post(
    '/subnets',
    {
      schema: {
        tags: subnetTags,
        summary: 'Create a subnet',
        querystring: VersionQuery,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            vpc: ByIdCrnOrHref,
            ipv4_cidr_block: Type.String({ maxLength: 64 }),
            zone: Type.Optional(Type.Object({ name: Type.String({ maxLength: 64 }) }, { additionalProperties: false })),
            ip_version: Type.Optional(Type.Literal('ipv4')),
            resource_group: Type.Optional(ResourceGroupIdentity),
            routing_table: Type.Optional(ByIdCrnOrHref),
          },
          { additionalProperties: false },
        ),
        response: { 201: SubnetSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input = {
        vpcId: identityId(b.vpc, 'vpc', 'vpcs', 'vpc', refs.base),
        cidr: b.ipv4_cidr_block,
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.zone ? { zone: b.zone.name } : {}),
        ...rg(b.resource_group),
      };
      const table = b.routing_table ? routingTableIdOf(refs, b.routing_table) : undefined;
      // With a routing table, the subnet and its association are one change: both or neither.
      const v = await control.atomically(async (cp) => {
        const made = await cp.subnets.create(req.actor, input);
        if (table === undefined) return made;
        await cp.routingTables.setForSubnet(req.actor, made.subnet.id, table);
        return cp.subnets.get(req.actor, made.subnet.id);
      });
      return reply.code(201).send(subnetToWire(refs, v));
    },
  );
  app.get(
    '/subnets/:id',
    { schema: { tags: subnetTags, summary: 'Retrieve a subnet', params: IdParams, querystring: VersionQuery, response: { 200: SubnetSchema, ...ERRORS } } },
    async (req) => subnetToWire(refs, await control.subnets.get(req.actor, subnetId(req.params.id))),
  );
  app.patch(
    '/subnets/:id',
    {
      schema: {
        tags: subnetTags,
        summary: 'Rename a subnet',
        params: IdParams,
        querystring: VersionQuery,
        body: Type.Object({ name: Type.Optional(Name) }, { additionalProperties: false }),
        response: { 200: SubnetSchema, ...ERRORS },
      },
    },
    async (req) => {
      const id = subnetId(req.params.id);
      return subnetToWire(
        refs,
        req.body.name !== undefined ? await control.subnets.rename(req.actor, id, req.body.name) : await control.subnets.get(req.actor, id),
      );
    },
  );
  app.delete(
    '/subnets/:id',
    {
      schema: {
        tags: subnetTags,
        summary: 'Delete a subnet (refused while it hosts a gateway)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 204: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      await control.subnets.remove(req.actor, subnetId(req.params.id));
      return reply.code(204).send();
    },
  );
}
