import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ConnectionView, ControlPlane } from '../../control/index.js';
import { DomainError } from '../../domain/errors.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import type { Actor } from '../../domain/tenancy.js';
import type { CloudcaDeps } from './cloudca-deps.js';
import { fromDomain, invalidParameter, notFound } from './cloudca-errors.js';
import { DIALECT } from './cloudca-rules.js';
import { createPlan, toWire } from './sitetositevpn-mapper.js';
import { EnvParams, ERRORS, List, ListQuery, One, OperationQuery, SiteToSiteVpnCreate, VpnParams } from './sitetositevpn-schema.js';
import { allOf, cloudcaGateways, vpcGateway, vpcSide } from './vpc-gateway-resolver.js';

export const SITE_TO_SITE_PATH = '/services/:service_code/:environment_name/sitetositevpns';

/** The environment is the account: the dialect acts as it, never with the admin's reach over other accounts. */
const actorOf = (req: { cloudca: { account: { id: string } } }): Actor => ({ accountId: req.cloudca.account.id, isAdmin: false });

const missing = (id: string) => notFound(`Site-to-site VPN '${id.slice(0, 64)}' was not found.`, { type: 'sitetositevpns', id: id.slice(0, 64) });

/** A site-to-site VPN: a connection on one of the account's cloud.ca gateways, not being deleted; anything else is missing. */
async function findVpn(cp: ControlPlane, actor: Actor, id: string): Promise<{ view: ConnectionView; vpcId: string }> {
  let view: ConnectionView;
  try {
    view = await cp.connections.find(actor, id, { extras: DIALECT, live: true });
  } catch (e) {
    if (DomainError.is(e) && e.kind === 'not_found') throw missing(id);
    throw e;
  }
  const gw = await cp.gateways.get(actor, view.gateway.id, { extras: DIALECT, live: true }).catch(() => undefined);
  const vpcId = gw?.extras ? (gw.extras as { vpcId?: unknown }).vpcId : undefined;
  if (typeof vpcId !== 'string' || view.connection.kind !== 'policy') throw missing(id);
  return { view, vpcId };
}

/** The policies a view names, read one by one (a single VPN). */
async function policiesOf(cp: ControlPlane, actor: Actor, v: ConnectionView): Promise<[IkePolicy | undefined, IpsecPolicy | undefined]> {
  const c = v.connection;
  return Promise.all([
    c.ikePolicyId ? cp.ikePolicies.get(actor, c.ikePolicyId).then((p) => p.policy) : undefined,
    c.ipsecPolicyId ? cp.ipsecPolicies.get(actor, c.ipsecPolicyId).then((p) => p.policy) : undefined,
  ]);
}

/** `ikeLifetime` or `espLifetime`: the domain speaks of a policy's lifetime; the caller knows which. */
const inPolicy = (prefix: 'ike' | 'esp') => (f: string) => (f === 'lifetimeSeconds' ? `${prefix}Lifetime` : undefined);
async function asField<T>(p: Promise<T>, prefix: 'ike' | 'esp'): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw DomainError.is(e) ? fromDomain(e, inPolicy(prefix)) : e;
  }
}

export function siteToSiteVpnRoutes(fastify: FastifyInstance, d: CloudcaDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = d;
  const tags = ['cloud.ca site-to-site VPNs'];

  app.get(
    SITE_TO_SITE_PATH,
    {
      schema: {
        tags,
        summary: 'List the site-to-site VPNs of an environment (?vpc_id= filters)',
        params: EnvParams,
        querystring: ListQuery,
        response: { 200: List, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const [gws, conns, ikes, esps] = await Promise.all([
        cloudcaGateways(control, actor),
        allOf((p) => control.connections.list(actor, { live: true, kind: 'policy' }, p, { extras: DIALECT })),
        allOf((p) => control.ikePolicies.list(actor, p)),
        allOf((p) => control.ipsecPolicies.list(actor, p)),
      ]);
      const ike = new Map(ikes.map((p) => [p.policy.id, p.policy]));
      const esp = new Map(esps.map((p) => [p.policy.id, p.policy]));
      const data = conns.flatMap((v) => {
        const g = gws.get(v.connection.gatewayId);
        if (!g || (req.query.vpc_id !== undefined && g.vpcId !== req.query.vpc_id)) return [];
        const c = v.connection;
        return [toWire(v, g.vpcId, c.ikePolicyId ? ike.get(c.ikePolicyId) : undefined, c.ipsecPolicyId ? esp.get(c.ipsecPolicyId) : undefined)];
      });
      return { data, metadata: { recordCount: data.length } };
    },
  );

  app.get(
    `${SITE_TO_SITE_PATH}/:id`,
    { schema: { tags, summary: 'Retrieve a site-to-site VPN', params: VpnParams, response: { 200: One, ...ERRORS } } },
    async (req) => {
      const actor = actorOf(req);
      const { view, vpcId } = await findVpn(control, actor, req.params.id);
      const [ike, esp] = await policiesOf(control, actor, view);
      return { data: toWire(view, vpcId, ike, esp) };
    },
  );

  app.post(
    SITE_TO_SITE_PATH,
    {
      schema: {
        tags,
        summary: "Create a site-to-site VPN (the VPC's VPN gateway is made on first use); answers the object directly, state Pending",
        params: EnvParams,
        body: SiteToSiteVpnCreate,
        response: { 200: One, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const plan = createPlan(req.body);
      const data = await control.atomically(async (cp) => {
        const [vpc, gws] = await Promise.all([vpcSide(cp, actor, req.body.vpcId), cloudcaGateways(cp, actor)]);
        // One per name and one per peer gateway in the environment (its cloud.ca VPNs).
        const mine = (await allOf((p) => cp.connections.list(actor, { live: true, kind: 'policy' }, p))).filter((v) => gws.has(v.connection.gatewayId));
        if (mine.some((v) => v.connection.name === plan.connection.name)) {
          throw invalidParameter('name', `A site-to-site VPN named '${plan.connection.name}' already exists in this environment.`, plan.connection.name);
        }
        if (mine.some((v) => v.connection.peer.address === req.body.gateway)) {
          throw invalidParameter('gateway', `Gateway ${req.body.gateway} is already used by a site-to-site VPN in this environment.`, req.body.gateway);
        }
        const gatewayId = await vpcGateway(cp, actor, req.body.vpcId, vpc, gws);
        const ike = await asField(cp.ikePolicies.create(actor, plan.ike, { extras: { dialect: DIALECT, data: { owned: true } } }), 'ike');
        const esp = await asField(cp.ipsecPolicies.create(actor, plan.ipsec, { extras: { dialect: DIALECT, data: { owned: true } } }), 'esp');
        const v = await cp.connections.create(
          actor,
          gatewayId,
          { ...plan.connection, localCidrs: vpc.cidrs, ikePolicyId: ike.policy.id, ipsecPolicyId: esp.policy.id },
          { extras: { dialect: DIALECT, data: { ...plan.extras } } },
        );
        return toWire(v, req.body.vpcId, ike.policy, esp.policy);
      });
      return { data };
    },
  );

  app.delete(
    `${SITE_TO_SITE_PATH}/:id`,
    {
      schema: {
        tags,
        summary: "Delete a site-to-site VPN (and the policies made for it; the VPC's VPN gateway stays)",
        params: VpnParams,
        response: { 200: One, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const data = await control.atomically(async (cp) => {
        const { view, vpcId } = await findVpn(cp, actor, req.params.id);
        const [ike, esp] = await policiesOf(cp, actor, view);
        const c = view.connection;
        await cp.connections.remove(actor, c.gatewayId, c.id);
        // The policies cloud.ca made for this VPN go with it, unless something else uses them now.
        if (c.ikePolicyId) {
          const p = await cp.ikePolicies.get(actor, c.ikePolicyId, { extras: DIALECT });
          if (p.extras && p.connections.every((u) => u.id === c.id)) await cp.ikePolicies.remove(actor, c.ikePolicyId);
        }
        if (c.ipsecPolicyId) {
          const p = await cp.ipsecPolicies.get(actor, c.ipsecPolicyId, { extras: DIALECT });
          if (p.extras && p.connections.every((u) => u.id === c.id)) await cp.ipsecPolicies.remove(actor, c.ipsecPolicyId);
        }
        return toWire(view, vpcId, ike, esp);
      });
      return { data };
    },
  );

  app.post(
    `${SITE_TO_SITE_PATH}/:id`,
    {
      config: { bodyless: true },
      schema: {
        tags,
        summary: 'Reset the connection of a site-to-site VPN (?operation=reset): re-initiate its tunnel with new SAs',
        params: VpnParams,
        querystring: OperationQuery,
        response: { 200: One, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { view, vpcId } = await findVpn(control, actor, req.params.id);
      const v = await control.connections.reset(actor, view.gateway.id, view.connection.id);
      const [ike, esp] = await policiesOf(control, actor, v);
      return { data: toWire({ ...v, extras: view.extras ?? {} }, vpcId, ike, esp) };
    },
  );
}
