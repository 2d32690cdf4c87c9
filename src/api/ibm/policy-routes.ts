import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, NoContent, VersionQuery } from './ibm-common-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { pathId } from './ibm-identity.js';
import { collectionSchema, PageQuery, pageEnvelope, limitOf, pageRequest } from './ibm-pagination.js';
import { connectionCollection } from './connection-mapper.js';
import { ikeInput, ikePatch, ikeToWire, ipsecInput, ipsecPatch, ipsecToWire } from './policy-mapper.js';
import { IkePolicyPatch, IkePolicyPrototype, IkePolicySchema, IpsecPolicyPatch, IpsecPolicyPrototype, IpsecPolicySchema } from './policy-schema.js';
import { ConnectionSchema } from './connection-schema.js';

/** /ike_policies and /ipsec_policies with their /connections lists. */
export function policyRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { refs, control } = d;
  const Page = Type.Object(PageQuery);

  // ---- IKE ----
  const ikeTags = ['IKE policies'];
  app.get(
    '/ike_policies',
    {
      schema: {
        tags: ikeTags,
        summary: 'List IKE policies',
        querystring: Page,
        response: { 200: collectionSchema('ike_policies', IkePolicySchema), ...ERRORS },
      },
    },
    async (req) => {
      const page = await control.ikePolicies.list(req.actor, pageRequest(req.query));
      return pageEnvelope('ike_policies', page, (v) => ikeToWire(refs, v), `${refs.base}/ike_policies`, limitOf(req.query));
    },
  );
  app.post(
    '/ike_policies',
    {
      schema: {
        tags: ikeTags,
        summary: 'Create an IKE policy',
        querystring: VersionQuery,
        body: IkePolicyPrototype,
        response: { 201: IkePolicySchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(ikeToWire(refs, await control.ikePolicies.create(req.actor, ikeInput(req.body))));
    },
  );
  app.get(
    '/ike_policies/:id',
    {
      schema: { tags: ikeTags, summary: 'Retrieve an IKE policy', params: IdParams, querystring: VersionQuery, response: { 200: IkePolicySchema, ...ERRORS } },
    },
    async (req) => ikeToWire(refs, await control.ikePolicies.get(req.actor, pathId(req.params.id, 'ike_policy'))),
  );
  app.patch(
    '/ike_policies/:id',
    {
      schema: {
        tags: ikeTags,
        summary: 'Update an IKE policy (JSON merge patch)',
        params: IdParams,
        querystring: VersionQuery,
        body: IkePolicyPatch,
        response: { 200: IkePolicySchema, ...ERRORS },
      },
    },
    async (req) => {
      const id = pathId(req.params.id, 'ike_policy');
      return ikeToWire(
        refs,
        await control.atomically(async (cp) => cp.ikePolicies.update(req.actor, id, ikePatch(req.body, (await cp.ikePolicies.get(req.actor, id)).policy))),
      );
    },
  );
  app.delete(
    '/ike_policies/:id',
    {
      schema: {
        tags: ikeTags,
        summary: 'Delete an IKE policy (refused while a connection uses it)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 204: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      await control.ikePolicies.remove(req.actor, pathId(req.params.id, 'ike_policy'));
      return reply.code(204).send();
    },
  );
  app.get(
    '/ike_policies/:id/connections',
    {
      schema: {
        tags: ikeTags,
        summary: 'List the connections that use an IKE policy',
        params: IdParams,
        querystring: Page,
        response: { 200: collectionSchema('connections', ConnectionSchema), ...ERRORS },
      },
    },
    async (req) => {
      const id = pathId(req.params.id, 'ike_policy');
      const page = await control.connections.list(req.actor, { ikePolicyId: id }, pageRequest(req.query));
      return connectionCollection(d, req.ibm.version, page, `${refs.base}/ike_policies/${id}/connections`, limitOf(req.query));
    },
  );

  // ---- IPsec ----
  const espTags = ['IPsec policies'];
  app.get(
    '/ipsec_policies',
    {
      schema: {
        tags: espTags,
        summary: 'List IPsec policies',
        querystring: Page,
        response: { 200: collectionSchema('ipsec_policies', IpsecPolicySchema), ...ERRORS },
      },
    },
    async (req) => {
      const page = await control.ipsecPolicies.list(req.actor, pageRequest(req.query));
      return pageEnvelope('ipsec_policies', page, (v) => ipsecToWire(refs, v), `${refs.base}/ipsec_policies`, limitOf(req.query));
    },
  );
  app.post(
    '/ipsec_policies',
    {
      schema: {
        tags: espTags,
        summary: 'Create an IPsec policy',
        querystring: VersionQuery,
        body: IpsecPolicyPrototype,
        response: { 201: IpsecPolicySchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(ipsecToWire(refs, await control.ipsecPolicies.create(req.actor, ipsecInput(req.body))));
    },
  );
  app.get(
    '/ipsec_policies/:id',
    {
      schema: {
        tags: espTags,
        summary: 'Retrieve an IPsec policy',
        params: IdParams,
        querystring: VersionQuery,
        response: { 200: IpsecPolicySchema, ...ERRORS },
      },
    },
    async (req) => ipsecToWire(refs, await control.ipsecPolicies.get(req.actor, pathId(req.params.id, 'ipsec_policy'))),
  );
  app.patch(
    '/ipsec_policies/:id',
    {
      schema: {
        tags: espTags,
        summary: 'Update an IPsec policy (JSON merge patch)',
        params: IdParams,
        querystring: VersionQuery,
        body: IpsecPolicyPatch,
        response: { 200: IpsecPolicySchema, ...ERRORS },
      },
    },
    async (req) => {
      const id = pathId(req.params.id, 'ipsec_policy');
      return ipsecToWire(
        refs,
        await control.atomically(async (cp) =>
          cp.ipsecPolicies.update(req.actor, id, ipsecPatch(req.body, (await cp.ipsecPolicies.get(req.actor, id)).policy)),
        ),
      );
    },
  );
  app.delete(
    '/ipsec_policies/:id',
    {
      schema: {
        tags: espTags,
        summary: 'Delete an IPsec policy (refused while a connection uses it)',
        params: IdParams,
        querystring: VersionQuery,
        response: { 204: NoContent, ...ERRORS },
      },
    },
    async (req, reply) => {
      await control.ipsecPolicies.remove(req.actor, pathId(req.params.id, 'ipsec_policy'));
      return reply.code(204).send();
    },
  );
  app.get(
    '/ipsec_policies/:id/connections',
    {
      schema: {
        tags: espTags,
        summary: 'List the connections that use an IPsec policy',
        params: IdParams,
        querystring: Page,
        response: { 200: collectionSchema('connections', ConnectionSchema), ...ERRORS },
      },
    },
    async (req) => {
      const id = pathId(req.params.id, 'ipsec_policy');
      const page = await control.connections.list(req.actor, { ipsecPolicyId: id }, pageRequest(req.query));
      return connectionCollection(d, req.ibm.version, page, `${refs.base}/ipsec_policies/${id}/connections`, limitOf(req.query));
    },
  );
}
