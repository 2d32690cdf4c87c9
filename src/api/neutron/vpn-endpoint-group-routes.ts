import type { FastifyInstance } from 'fastify';
import { createEndpointGroup, editEndpointGroup, ENDPOINT_GROUP_TYPES, removeEndpointGroup } from '../../control/endpoint-group-commands.js';
import { DomainError } from '../../domain/errors.js';
import { type EndpointGroup, getEndpointGroup, listEndpointGroups } from '../../store/endpoint-group-store.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { badRequest, invalidInput, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { checkKeys, ownerFields, ownerOf, pathId, str, unwrap } from './neutron-request.js';

export function endpointGroupView(g: EndpointGroup): Record<string, unknown> {
  return { id: g.id, ...ownerFields(g.accountId), name: g.name, description: g.description, type: g.type, endpoints: [...g.endpoints] };
}

/** Endpoint groups (A7): a bare string is a one-item list; order is kept; in use → 400 EndpointGroupInUse. */
export async function endpointGroupRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const { control } = deps;
  const load = async (raw: string, actor: ReturnType<typeof actorOf>): Promise<EndpointGroup> => {
    const id = pathId(raw);
    const g = id ? await getEndpointGroup(control.db, id) : undefined;
    if (!g || (!actor.isAdmin && g.accountId !== actor.accountId)) throw notFound('VPNEndpointGroupNotFound', `Endpoint group ${raw} could not be found`);
    return g;
  };

  app.get('/endpoint-groups', async (req) => {
    const actor = actorOf(req);
    const items = (await listEndpointGroups(control.db, actor.isAdmin ? undefined : actor.accountId)).map(endpointGroupView);
    return listResponse(req, 'endpoint_groups', items, `${deps.publicUrl}/v2.0/vpn/endpoint-groups`);
  });
  app.get<{ Params: { id: string } }>('/endpoint-groups/:id', async (req) => ({ endpoint_group: pick(endpointGroupView(await load(req.params.id, actorOf(req))), fieldsOf(req)) }));
  app.post('/endpoint-groups', async (req, reply) => {
    const actor = actorOf(req);
    const b = unwrap(req, 'endpoint_group');
    checkKeys(b, ['name', 'description', 'type', 'endpoints', 'tenant_id', 'project_id'], 'POST', ['id']);
    const type = b['type'];
    if (type === undefined) throw badRequest("Failed to parse request. Required attribute 'type' not specified");
    if (typeof type !== 'string' || !(ENDPOINT_GROUP_TYPES as readonly string[]).includes(type)) throw invalidInput('type', `${String(type)} is not in valid_values`);
    const raw = b['endpoints'];
    const endpoints = raw === undefined || raw === null ? [] : typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(endpoints) || endpoints.some((e) => typeof e !== 'string')) throw invalidInput('endpoints', `'${JSON.stringify(raw)}' is not a list of strings`);
    const g = await createEndpointGroup(control, {
      accountId: ownerOf(actor, b), name: str(b, 'name') ?? '', description: str(b, 'description') ?? '',
      type: type as EndpointGroup['type'], endpoints: endpoints as string[],
    });
    return reply.code(201).send({ endpoint_group: endpointGroupView(g) });
  });
  app.put<{ Params: { id: string } }>('/endpoint-groups/:id', async (req) => {
    const actor = actorOf(req);
    const g = await load(req.params.id, actor);
    const b = unwrap(req, 'endpoint_group');
    checkKeys(b, ['name', 'description'], 'PUT', ['id', 'type', 'endpoints', 'tenant_id', 'project_id']);
    const name = str(b, 'name');
    const description = str(b, 'description');
    return { endpoint_group: endpointGroupView(await editEndpointGroup(control, actor, g.id, { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) })) };
  });
  app.delete<{ Params: { id: string } }>('/endpoint-groups/:id', async (req, reply) => {
    const actor = actorOf(req);
    const g = await load(req.params.id, actor);
    try {
      await removeEndpointGroup(control, actor, g.id);
    } catch (e) {
      if (DomainError.is(e) && e.code === 'endpoint_group_in_use') throw badRequest(e.message, 'EndpointGroupInUse');
      throw e;
    }
    return reply.code(204).send();
  });
}
