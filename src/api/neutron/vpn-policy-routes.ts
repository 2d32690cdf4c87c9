import type { FastifyInstance } from 'fastify';
import { createIkePolicy, createIpsecPolicy, deletePolicyById, updateIkePolicy, updateIpsecPolicy } from '../../control/policy-commands.js';
import { DomainError } from '../../domain/errors.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import { getIkePolicy, getIpsecPolicy, type PolicyTable } from '../../store/policy-store.js';
import { actorOf, type NeutronDeps } from './neutron-deps.js';
import { conflict, notFound } from './neutron-errors.js';
import { fieldsOf, listResponse, pick } from './neutron-list.js';
import { ownerOf, pathId, unwrap } from './neutron-request.js';
import { ikeFields, ikeView, ipsecFields, ipsecView } from './vpn-policy-mapper.js';

interface Kind<P extends IkePolicy | IpsecPolicy> {
  readonly path: string;
  readonly singular: string;
  readonly plural: string;
  readonly table: PolicyTable;
  /** Neutron's exception names and wording. */
  readonly label: 'IKEPolicy' | 'IPsecPolicy';
  get(deps: NeutronDeps, id: string): Promise<P | undefined>;
  view(p: P, lifetimeEcho?: number | string): Record<string, unknown>;
}

const IKE: Kind<IkePolicy> = {
  path: '/ikepolicies', singular: 'ikepolicy', plural: 'ikepolicies', table: 'ike_policies', label: 'IKEPolicy',
  get: (d, id) => getIkePolicy(d.control.db, id), view: ikeView,
};
const IPSEC: Kind<IpsecPolicy> = {
  path: '/ipsecpolicies', singular: 'ipsecpolicy', plural: 'ipsecpolicies', table: 'ipsec_policies', label: 'IPsecPolicy',
  get: (d, id) => getIpsecPolicy(d.control.db, id), view: ipsecView,
};

/** IKE and IPsec policies (A5, A6): the domain's policies, single-valued; in use → 409 on update and delete. */
export async function policyRoutes(app: FastifyInstance, deps: NeutronDeps): Promise<void> {
  const { control } = deps;

  function routes<P extends IkePolicy | IpsecPolicy>(k: Kind<P>, create: (body: Record<string, unknown>, accountId: string, actor: ReturnType<typeof actorOf>) => Promise<Record<string, unknown>>,
    update: (cur: P, body: Record<string, unknown>, actor: ReturnType<typeof actorOf>) => Promise<Record<string, unknown>>): void {
    const missing = (id: string) => notFound(`${k.label}NotFound`, `${k.label} ${id} could not be found`);
    const load = async (raw: string, actor: ReturnType<typeof actorOf>): Promise<P> => {
      const id = pathId(raw);
      const p = id ? await k.get(deps, id) : undefined;
      if (!p || (!actor.isAdmin && p.accountId !== actor.accountId)) throw missing(raw);
      return p;
    };
    const inUse = async (p: P): Promise<void> => {
      const users = await control.connections.refsUsingPolicy(control.db, k.table === 'ike_policies' ? 'ike_policy_id' : 'ipsec_policy_id', p.id);
      if (users.length > 0) throw conflict(`${k.label}InUse`, `${k.label} ${p.id} is in use by existing IPsecSiteConnection and can't be updated or deleted`);
    };

    app.get(k.path, async (req) => {
      const actor = actorOf(req);
      let q = control.db.selectFrom(k.table).select('id').orderBy('created_at');
      if (!actor.isAdmin) q = q.where('account_id', '=', actor.accountId);
      const ids = (await q.execute()).map((r) => r.id);
      const items: Record<string, unknown>[] = [];
      for (const id of ids) {
        const p = await k.get(deps, id);
        if (p) items.push(k.view(p));
      }
      return listResponse(req, k.plural, items, `${deps.publicUrl}/v2.0/vpn${k.path}`);
    });
    app.get<{ Params: { id: string } }>(`${k.path}/:id`, async (req) => ({ [k.singular]: pick(k.view(await load(req.params.id, actorOf(req))), fieldsOf(req)) }));
    app.post(k.path, async (req, reply) => {
      const actor = actorOf(req);
      const body = unwrap(req, k.singular);
      return reply.code(201).send({ [k.singular]: await create(body, ownerOf(actor, body), actor) });
    });
    app.put<{ Params: { id: string } }>(`${k.path}/:id`, async (req) => {
      const actor = actorOf(req);
      const cur = await load(req.params.id, actor);
      const body = unwrap(req, k.singular);
      if (Object.keys(body).some((key) => key !== 'name' && key !== 'description')) await inUse(cur);
      return { [k.singular]: await update(cur, body, actor) };
    });
    app.delete<{ Params: { id: string } }>(`${k.path}/:id`, async (req, reply) => {
      const actor = actorOf(req);
      const cur = await load(req.params.id, actor);
      await inUse(cur);
      try {
        await deletePolicyById(control, actor, k.table, cur.id);
      } catch (e) {
        if (DomainError.is(e) && e.kind === 'in_use') throw conflict(`${k.label}InUse`, e.message);
        throw e;
      }
      return reply.code(204).send();
    });
  }

  routes(IKE, async (body, accountId, actor) => {
    const { lifetimeEcho, name, ...f } = ikeFields(body, 'POST');
    const { policy } = await createIkePolicy(control, actor, {
      ...(name ? { name } : {}), ...(accountId !== actor.accountId ? { resourceGroupId: await defaultGroupId(deps, accountId) } : {}),
      ikeVersion: f.ikeVersion!, encryption: f.encryption!, integrity: f.integrity!, dhGroups: f.dhGroups!, lifetimeSeconds: f.lifetimeSeconds!,
      negotiationMode: f.negotiationMode!, description: f.description ?? '',
    });
    return ikeView(policy, lifetimeEcho);
  }, async (cur, body, actor) => {
    const { lifetimeEcho, ...patch } = ikeFields(body, 'PUT', cur);
    return ikeView(await updateIkePolicy(control, actor, cur.id, patch), lifetimeEcho);
  });

  routes(IPSEC, async (body, accountId, actor) => {
    const { lifetimeEcho, name, authShown: _auth, ...f } = ipsecFields(body, 'POST');
    const { policy } = await createIpsecPolicy(control, actor, {
      ...(name ? { name } : {}), ...(accountId !== actor.accountId ? { resourceGroupId: await defaultGroupId(deps, accountId) } : {}),
      encryption: f.encryption!, integrity: f.integrity!, pfs: f.pfs!, lifetimeSeconds: f.lifetimeSeconds!, description: f.description ?? '',
    });
    return ipsecView(policy, lifetimeEcho);
  }, async (cur, body, actor) => {
    const { lifetimeEcho, authShown: _auth, ...patch } = ipsecFields(body, 'PUT', cur);
    return ipsecView(await updateIpsecPolicy(control, actor, cur.id, patch), lifetimeEcho);
  });
}

/** The default resource group of an account (an admin creating for another project). */
export async function defaultGroupId(deps: NeutronDeps, accountId: string): Promise<string> {
  const g = await deps.control.db.selectFrom('resource_groups').select('id').where('account_id', '=', accountId).where('is_default', '=', 1).executeTakeFirst();
  if (!g) throw notFound('ProjectNotFound', `Project ${accountId.replace(/-/g, '')} could not be found`);
  return g.id;
}
