import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type EndpointGroup, ENDPOINT_GROUP_TYPES } from '../../domain/endpoint-group.js';
import type { Actor } from '../../domain/tenancy.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, echo, invalidInput, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { checkKeys, ownerFields, ownerOf, pathId, str, unwrap } from './neutron-request.js';
import { ERRORS, IdParams, keysOf, LIST_DESCRIPTION, ListQuery, NoContent, ShowQuery, VPNAAS_TAGS } from './neutron-common-schema.js';
import {
  EndpointGroupCreate,
  EndpointGroupList,
  EndpointGroupOne,
  EndpointGroupShown,
  EndpointGroupUpdate,
  type EndpointGroupWire,
} from './vpn-endpoint-group-schema.js';

export function endpointGroupView(g: EndpointGroup): EndpointGroupWire {
  return { id: g.id, ...ownerFields(g.accountId), name: g.name, description: g.description, type: g.type, endpoints: [...g.endpoints] };
}

/** Endpoint groups (A7): a bare string is a one-item list; order is kept; in use → 400 EndpointGroupInUse. */
export async function endpointGroupRoutes(fastify: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = VPNAAS_TAGS;
  const CREATE = keysOf(EndpointGroupCreate);
  const UPDATE = keysOf(EndpointGroupUpdate);
  const idOf = (raw: string): string => {
    const id = pathId(raw);
    if (!id) throw notFound('VPNEndpointGroupNotFound', `Endpoint group ${echo(raw)} could not be found`);
    return id;
  };
  const load = (raw: string, actor: Actor): Promise<EndpointGroup> => control.endpointGroups.get(actor, idOf(raw));

  app.get(
    '/endpoint-groups',
    {
      schema: { tags, summary: 'List endpoint groups', description: LIST_DESCRIPTION, querystring: ListQuery, response: { 200: EndpointGroupList, ...ERRORS } },
    },
    async (req) => {
      const actor = actorOf(req);
      const items = (await control.endpointGroups.list(actor)).map(endpointGroupView);
      return listResponse(req, 'endpoint_groups', items, `${deps.publicUrl}/v2.0/vpn/endpoint-groups`);
    },
  );
  app.get(
    '/endpoint-groups/:id',
    { schema: { tags, summary: 'Show an endpoint group', params: IdParams, querystring: ShowQuery, response: { 200: EndpointGroupShown, ...ERRORS } } },
    async (req) => ({ endpoint_group: pick(endpointGroupView(await load(req.params.id, actorOf(req))), fieldsOf(req)) }),
  );
  app.post(
    '/endpoint-groups',
    { schema: { tags, summary: 'Create an endpoint group (subnets or CIDRs)', body: EndpointGroupCreate, response: { 201: EndpointGroupOne, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = unwrap(req, 'endpoint_group');
      checkKeys(b, CREATE.allowed, 'POST', CREATE.readOnly);
      const type = b['type'];
      if (type === undefined) throw badRequest("Failed to parse request. Required attribute 'type' not specified");
      if (typeof type !== 'string' || !(ENDPOINT_GROUP_TYPES as readonly string[]).includes(type))
        throw invalidInput('type', `${echo(type)} is not in valid_values`);
      const raw = b['endpoints'];
      const endpoints = raw === undefined || raw === null ? [] : typeof raw === 'string' ? [raw] : raw;
      if (!Array.isArray(endpoints) || endpoints.some((e) => typeof e !== 'string')) throw invalidInput('endpoints', `'${echo(raw)}' is not a list of strings`);
      const g = await control.endpointGroups.create(actor, {
        accountId: ownerOf(actor, b),
        name: str(b, 'name') ?? '',
        description: str(b, 'description') ?? '',
        type: type as EndpointGroup['type'],
        endpoints: endpoints as string[],
      });
      return reply.code(201).send({ endpoint_group: endpointGroupView(g) });
    },
  );
  app.put(
    '/endpoint-groups/:id',
    {
      schema: {
        tags,
        summary: 'Update an endpoint group: name, description',
        params: IdParams,
        body: EndpointGroupUpdate,
        response: { 200: EndpointGroupOne, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const id = idOf(req.params.id);
      const b = unwrap(req, 'endpoint_group');
      checkKeys(b, UPDATE.allowed, 'PUT', UPDATE.readOnly);
      const name = str(b, 'name');
      const description = str(b, 'description');
      return {
        endpoint_group: endpointGroupView(
          await control.endpointGroups.update(actor, id, { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) }),
        ),
      };
    },
  );
  app.delete(
    '/endpoint-groups/:id',
    { schema: { tags, summary: 'Delete an endpoint group (refused while a connection uses it)', params: IdParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      await control.endpointGroups.remove(actor, idOf(req.params.id));
      return reply.code(204).send();
    },
  );
}
