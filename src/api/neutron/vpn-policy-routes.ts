import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import type { ControlPlane, PolicyView } from '../../control/index.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import type { Actor } from '../../domain/tenancy.js';
import { ALL } from './network-routes.js';
import { actorOf, NEUTRON, type NeutronDeps } from './neutron-deps.js';
import { notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { type Body, ownerOf, pathId, unwrap } from './neutron-request.js';
import { ERRORS, IdParams, LIST_DESCRIPTION, ListQuery, NoContent, ShowQuery, VPNAAS_TAGS } from './neutron-common-schema.js';
import { ikeFields, ikeView, ipsecFields, ipsecView, type PolicyExtras, policyExtrasOf } from './vpn-policy-mapper.js';
import {
  IkePolicyCreate,
  IkePolicyList,
  IkePolicyOne,
  IkePolicyShown,
  IkePolicyUpdate,
  type IkePolicyWire,
  IpsecPolicyCreate,
  IpsecPolicyList,
  IpsecPolicyOne,
  IpsecPolicyShown,
  IpsecPolicyUpdate,
  type IpsecPolicyWire,
} from './vpn-policy-schema.js';

type Policies = ControlPlane['ikePolicies'] | ControlPlane['ipsecPolicies'];

interface Kind<P extends IkePolicy | IpsecPolicy, W extends object> {
  readonly path: string;
  readonly singular: string;
  readonly plural: string;
  /** Neutron's exception names and wording. */
  readonly label: 'IKEPolicy' | 'IPsecPolicy';
  /** For the route summaries: "an IKE policy", "IKE policies". */
  readonly noun: string;
  readonly nouns: string;
  /** The request and answer schemas. */
  readonly schemas: { readonly one: TSchema; readonly shown: TSchema; readonly list: TSchema; readonly create: TSchema; readonly update: TSchema };
  port(cp: ControlPlane): Policies;
  view(p: P, x: PolicyExtras, lifetimeEcho?: number | string): W;
  /** Creates from a body (in the caller's transaction). */
  create(cp: ControlPlane, actor: Actor, body: Body, accountId: string): Promise<W>;
  /** Updates from a body; any update of a policy in use is refused, as Neutron does (a rename too). */
  update(cp: ControlPlane, actor: Actor, cur: PolicyView<P>, body: Body): Promise<W>;
}

/** Neutron's extras of a policy; a new policy with none to say (no description, upstream spelling) writes none. */
const extrasOf = (x: PolicyExtras) => ({ dialect: NEUTRON, data: { ...x } });
const createExtras = (x: PolicyExtras) => (x.description === '' && x.authSpelling === 'upstream' ? {} : { extras: extrasOf(x) });

const IKE: Kind<IkePolicy, IkePolicyWire> = {
  path: '/ikepolicies',
  singular: 'ikepolicy',
  plural: 'ikepolicies',
  label: 'IKEPolicy',
  noun: 'an IKE policy',
  nouns: 'IKE policies',
  port: (cp) => cp.ikePolicies,
  view: ikeView,
  schemas: { one: IkePolicyOne, shown: IkePolicyShown, list: IkePolicyList, create: IkePolicyCreate, update: IkePolicyUpdate },
  async create(cp, actor, body, accountId) {
    const { lifetimeEcho, name, description, spelling, ...f } = ikeFields(body, 'POST');
    const x: PolicyExtras = { description: description ?? '', authSpelling: spelling ?? 'upstream' };
    const v = await cp.ikePolicies.create(
      actor,
      {
        ...(name ? { name } : {}),
        accountId,
        ikeVersion: f.ikeVersion!,
        encryption: f.encryption!,
        integrity: f.integrity!,
        dhGroups: f.dhGroups!,
        lifetimeSeconds: f.lifetimeSeconds!,
        negotiationMode: f.negotiationMode!,
      },
      createExtras(x),
    );
    return ikeView(v.policy, x, lifetimeEcho);
  },
  async update(cp, actor, cur, body) {
    const { lifetimeEcho, description, spelling, ...patch } = ikeFields(body, 'PUT', cur.policy);
    const old = policyExtrasOf(cur.extras);
    const x: PolicyExtras = { description: description ?? old.description, authSpelling: spelling ?? old.authSpelling };
    const v = await cp.ikePolicies.update(actor, cur.policy.id, patch, { onlyIfUnused: true, extras: extrasOf(x) });
    return ikeView(v.policy, x, lifetimeEcho);
  },
};

const IPSEC: Kind<IpsecPolicy, IpsecPolicyWire> = {
  path: '/ipsecpolicies',
  singular: 'ipsecpolicy',
  plural: 'ipsecpolicies',
  label: 'IPsecPolicy',
  noun: 'an IPsec policy',
  nouns: 'IPsec policies',
  port: (cp) => cp.ipsecPolicies,
  view: ipsecView,
  schemas: { one: IpsecPolicyOne, shown: IpsecPolicyShown, list: IpsecPolicyList, create: IpsecPolicyCreate, update: IpsecPolicyUpdate },
  async create(cp, actor, body, accountId) {
    const { lifetimeEcho, name, description, spelling, authShown: _auth, ...f } = ipsecFields(body, 'POST');
    const x: PolicyExtras = { description: description ?? '', authSpelling: spelling ?? 'upstream' };
    const v = await cp.ipsecPolicies.create(
      actor,
      {
        ...(name ? { name } : {}),
        accountId,
        encryption: f.encryption!,
        integrity: f.integrity!,
        pfs: f.pfs!,
        lifetimeSeconds: f.lifetimeSeconds!,
      },
      createExtras(x),
    );
    return ipsecView(v.policy, x, lifetimeEcho);
  },
  async update(cp, actor, cur, body) {
    const { lifetimeEcho, description, spelling, authShown: _auth, ...patch } = ipsecFields(body, 'PUT', cur.policy);
    const old = policyExtrasOf(cur.extras);
    const x: PolicyExtras = { description: description ?? old.description, authSpelling: spelling ?? old.authSpelling };
    const v = await cp.ipsecPolicies.update(actor, cur.policy.id, patch, { onlyIfUnused: true, extras: extrasOf(x) });
    return ipsecView(v.policy, x, lifetimeEcho);
  },
};

/** IKE and IPsec policies (A5, A6): the domain's policies, single-valued; any update or delete of one in use → 409. */
export async function policyRoutes(fastify: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = VPNAAS_TAGS;

  function routes<P extends IkePolicy | IpsecPolicy, W extends object>(k: Kind<P, W>): void {
    const s = k.schemas;
    const load = async (cp: ControlPlane, raw: string, actor: Actor): Promise<PolicyView<P>> => {
      const id = pathId(raw);
      if (!id) throw notFound(`${k.label}NotFound`, `${k.label} ${raw.slice(0, 80)} could not be found`);
      return (await k.port(cp).get(actor, id, { extras: NEUTRON })) as PolicyView<P>;
    };
    app.get(
      k.path,
      { schema: { tags, summary: `List ${k.nouns}`, description: LIST_DESCRIPTION, querystring: ListQuery, response: { 200: s.list, ...ERRORS } } },
      async (req) => {
        const page = await k.port(control).list(actorOf(req), ALL, { extras: NEUTRON });
        const items = (page.items as PolicyView<P>[]).map((v) => k.view(v.policy, policyExtrasOf(v.extras)));
        return listResponse(req, k.plural, items, `${deps.publicUrl}/v2.0/vpn${k.path}`);
      },
    );
    app.get(
      `${k.path}/:id`,
      { schema: { tags, summary: `Show ${k.noun}`, params: IdParams, querystring: ShowQuery, response: { 200: s.shown, ...ERRORS } } },
      async (req) => {
        const v = await load(control, req.params.id, actorOf(req));
        return { [k.singular]: pick(k.view(v.policy, policyExtrasOf(v.extras)), fieldsOf(req)) };
      },
    );
    app.post(k.path, { schema: { tags, summary: `Create ${k.noun}`, body: s.create, response: { 201: s.one, ...ERRORS } } }, async (req, reply) => {
      const actor = actorOf(req);
      const body = unwrap(req, k.singular);
      const accountId = ownerOf(actor, body);
      return reply.code(201).send({ [k.singular]: await control.atomically((cp) => k.create(cp, actor, body, accountId)) });
    });
    app.put(
      `${k.path}/:id`,
      {
        schema: {
          tags,
          summary: `Update ${k.noun} (refused while a connection uses it)`,
          params: IdParams,
          body: s.update,
          response: { 200: s.one, ...ERRORS },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const body = unwrap(req, k.singular);
        return { [k.singular]: await control.atomically(async (cp) => k.update(cp, actor, await load(cp, req.params.id, actor), body)) };
      },
    );
    app.delete(
      `${k.path}/:id`,
      { schema: { tags, summary: `Delete ${k.noun} (refused while a connection uses it)`, params: IdParams, response: { 204: NoContent, ...ERRORS } } },
      async (req, reply) => {
        const actor = actorOf(req);
        await control.atomically(async (cp) => k.port(cp).remove(actor, (await load(cp, req.params.id, actor)).policy.id));
        return reply.code(204).send();
      },
    );
  }

  routes(IKE);
  routes(IPSEC);
}
