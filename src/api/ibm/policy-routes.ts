import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createIkePolicy, createIpsecPolicy, deletePolicyById, updateIkePolicy, updateIpsecPolicy } from '../../control/policy-commands.js';
import { IdParams, NoContent, VersionQuery } from './ibm-common-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { pathId } from './ibm-identity.js';
import { collectionSchema, PageQuery, pageEnvelope, limitOf, pageRequest } from './ibm-pagination.js';
import { connectionCollection, connectionToWire } from './connection-mapper.js';
import { ikeInput, ikePatch, ikeToWire, ipsecInput, ipsecPatch, ipsecToWire } from './policy-mapper.js';
import { IkePolicyPatch, IkePolicyPrototype, IkePolicySchema, IpsecPolicyPatch, IpsecPolicyPrototype, IpsecPolicySchema } from './policy-schema.js';
import { ConnectionSchema } from './connection-schema.js';

/** /ike_policies and /ipsec_policies with their /connections lists. */
export function policyRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { refs, queries, control } = d;
  const Page = Type.Object(PageQuery);

  // ---- IKE ----
  const ikeTags = ['IKE policies'];
  app.get('/ike_policies', { schema: { tags: ikeTags, summary: 'List IKE policies', querystring: Page, response: { 200: collectionSchema('ike_policies', IkePolicySchema), ...ERRORS } } }, async (req) => {
    const page = await queries.ikePolicies(req.actor, pageRequest(req.query));
    return pageEnvelope('ike_policies', page, (v) => ikeToWire(refs, v), `${refs.base}/ike_policies`, limitOf(req.query));
  });
  app.post('/ike_policies', { schema: { tags: ikeTags, summary: 'Create an IKE policy', querystring: VersionQuery, body: IkePolicyPrototype, response: { 201: IkePolicySchema, ...ERRORS } } }, async (req, reply) => {
    const { policy, resourceGroup } = await createIkePolicy(control, req.actor, ikeInput(req.body));
    return reply.code(201).send(ikeToWire(refs, { policy, resourceGroup, connections: [] }));
  });
  app.get('/ike_policies/:id', { schema: { tags: ikeTags, summary: 'Retrieve an IKE policy', params: IdParams, querystring: VersionQuery, response: { 200: IkePolicySchema, ...ERRORS } } }, async (req) =>
    ikeToWire(refs, await queries.ikePolicy(req.actor, pathId(req.params.id, 'ike_policy_not_found', 'IKE policy'))));
  app.patch('/ike_policies/:id', { schema: { tags: ikeTags, summary: 'Update an IKE policy (JSON merge patch)', params: IdParams, querystring: VersionQuery, body: IkePolicyPatch, response: { 200: IkePolicySchema, ...ERRORS } } }, async (req) => {
    const id = pathId(req.params.id, 'ike_policy_not_found', 'IKE policy');
    const cur = await queries.ikePolicy(req.actor, id);
    await updateIkePolicy(control, req.actor, id, ikePatch(req.body, cur.policy));
    return ikeToWire(refs, await queries.ikePolicy(req.actor, id));
  });
  app.delete('/ike_policies/:id', { schema: { tags: ikeTags, summary: 'Delete an IKE policy (refused while a connection uses it)', params: IdParams, querystring: VersionQuery, response: { 204: NoContent, ...ERRORS } } }, async (req, reply) => {
    await deletePolicyById(control, req.actor, 'ike_policies', pathId(req.params.id, 'ike_policy_not_found', 'IKE policy'));
    return reply.code(204).send();
  });
  app.get('/ike_policies/:id/connections', { schema: { tags: ikeTags, summary: 'List the connections that use an IKE policy', params: IdParams, querystring: Page, response: { 200: collectionSchema('connections', ConnectionSchema), ...ERRORS } } }, async (req) => {
    const id = pathId(req.params.id, 'ike_policy_not_found', 'IKE policy');
    const page = await queries.connectionsUsingPolicy(req.actor, 'ike', id, pageRequest(req.query));
    return connectionCollection(d, req.apiVersion, page, `${refs.base}/ike_policies/${id}/connections`, limitOf(req.query));
  });

  // ---- IPsec ----
  const espTags = ['IPsec policies'];
  app.get('/ipsec_policies', { schema: { tags: espTags, summary: 'List IPsec policies', querystring: Page, response: { 200: collectionSchema('ipsec_policies', IpsecPolicySchema), ...ERRORS } } }, async (req) => {
    const page = await queries.ipsecPolicies(req.actor, pageRequest(req.query));
    return pageEnvelope('ipsec_policies', page, (v) => ipsecToWire(refs, v), `${refs.base}/ipsec_policies`, limitOf(req.query));
  });
  app.post('/ipsec_policies', { schema: { tags: espTags, summary: 'Create an IPsec policy', querystring: VersionQuery, body: IpsecPolicyPrototype, response: { 201: IpsecPolicySchema, ...ERRORS } } }, async (req, reply) => {
    const { policy, resourceGroup } = await createIpsecPolicy(control, req.actor, ipsecInput(req.body));
    return reply.code(201).send(ipsecToWire(refs, { policy, resourceGroup, connections: [] }));
  });
  app.get('/ipsec_policies/:id', { schema: { tags: espTags, summary: 'Retrieve an IPsec policy', params: IdParams, querystring: VersionQuery, response: { 200: IpsecPolicySchema, ...ERRORS } } }, async (req) =>
    ipsecToWire(refs, await queries.ipsecPolicy(req.actor, pathId(req.params.id, 'ipsec_policy_not_found', 'IPsec policy'))));
  app.patch('/ipsec_policies/:id', { schema: { tags: espTags, summary: 'Update an IPsec policy (JSON merge patch)', params: IdParams, querystring: VersionQuery, body: IpsecPolicyPatch, response: { 200: IpsecPolicySchema, ...ERRORS } } }, async (req) => {
    const id = pathId(req.params.id, 'ipsec_policy_not_found', 'IPsec policy');
    const cur = await queries.ipsecPolicy(req.actor, id);
    await updateIpsecPolicy(control, req.actor, id, ipsecPatch(req.body, cur.policy));
    return ipsecToWire(refs, await queries.ipsecPolicy(req.actor, id));
  });
  app.delete('/ipsec_policies/:id', { schema: { tags: espTags, summary: 'Delete an IPsec policy (refused while a connection uses it)', params: IdParams, querystring: VersionQuery, response: { 204: NoContent, ...ERRORS } } }, async (req, reply) => {
    await deletePolicyById(control, req.actor, 'ipsec_policies', pathId(req.params.id, 'ipsec_policy_not_found', 'IPsec policy'));
    return reply.code(204).send();
  });
  app.get('/ipsec_policies/:id/connections', { schema: { tags: espTags, summary: 'List the connections that use an IPsec policy', params: IdParams, querystring: Page, response: { 200: collectionSchema('connections', ConnectionSchema), ...ERRORS } } }, async (req) => {
    const id = pathId(req.params.id, 'ipsec_policy_not_found', 'IPsec policy');
    const page = await queries.connectionsUsingPolicy(req.actor, 'ipsec', id, pageRequest(req.query));
    return connectionCollection(d, req.apiVersion, page, `${refs.base}/ipsec_policies/${id}/connections`, limitOf(req.query));
  });
  void connectionToWire;
}
