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
import { allOf, markedGateway, markedGateways, vpcGateway, vpcSide } from './vpc-gateway-resolver.js';

export const SITE_TO_SITE_PATH = '/services/:service_code/:environment_name/sitetositevpns';

/** The environment is the account: the dialect acts as it, never with the admin's reach over other accounts. */
const actorOf = (req: { cloudca: { account: { id: string; name: string } } }): Actor => ({
  accountId: req.cloudca.account.id,
  isAdmin: false,
  name: req.cloudca.account.name,
  via: 'cloudca',
});

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
  const vpcId = view.gateway.vpcId;
  if (view.connection.kind !== 'policy' || (await markedGateway(cp, actor, vpcId)) !== view.gateway.id) throw missing(id);
  return { view, vpcId };
}

/** The policies a view names, read one by one (a single VPN). */
async function policiesOf(cp: ControlPlane, actor: Actor, v: ConnectionView): Promise<[IkePolicy | undefined, IpsecPolicy | undefined]> {
  const c = v.connection;
  return Promise.all([
    c.ikePolicyId ? cp.ikePolicies.record(actor, c.ikePolicyId) : undefined,
    c.ipsecPolicyId ? cp.ipsecPolicies.record(actor, c.ipsecPolicyId) : undefined,
  ]);
}

/** A live site-to-site VPN of the environment (a policy connection on a cloud.ca gateway) with this name or peer: one filtered read. */
async function clashOf(cp: ControlPlane, actor: Actor, name: string, peerAddress: string): Promise<'name' | 'gateway' | undefined> {
  const hits = await cp.connections.namedOrTo(actor, name, peerAddress);
  if (hits.length === 0) return undefined;
  const marked = await markedGateways(
    cp,
    actor,
    hits.map((h) => h.vpcId),
  );
  const mine = hits.filter((h) => marked.has(h.gatewayId));
  return mine.some((h) => h.name === name) ? 'name' : mine.some((h) => h.peerAddress === peerAddress) ? 'gateway' : undefined;
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
      const only = req.query.vpc_id;
      // With ?vpc_id=, only that VPC's gateway is read; else every connection, then the gateways of their VPCs.
      const gwOfVpc = only !== undefined ? await markedGateway(control, actor, only) : undefined;
      if (only !== undefined && gwOfVpc === undefined) return { data: [], metadata: { recordCount: 0 } };
      const [conns, ikes, esps] = await Promise.all([
        allOf((p) => control.connections.list(actor, { live: true, kind: 'policy', ...(gwOfVpc ? { gatewayId: gwOfVpc } : {}) }, p, { extras: DIALECT })),
        allOf((p) => control.ikePolicies.list(actor, p)),
        allOf((p) => control.ipsecPolicies.list(actor, p)),
      ]);
      const gws = await markedGateways(
        control,
        actor,
        conns.map((v) => v.gateway.vpcId),
      );
      const ike = new Map(ikes.map((p) => [p.policy.id, p.policy]));
      const esp = new Map(esps.map((p) => [p.policy.id, p.policy]));
      const data = conns.flatMap((v) => {
        const vpcId = gws.get(v.connection.gatewayId);
        if (vpcId === undefined) return [];
        const c = v.connection;
        return [toWire(v, vpcId, c.ikePolicyId ? ike.get(c.ikePolicyId) : undefined, c.ipsecPolicyId ? esp.get(c.ipsecPolicyId) : undefined)];
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
        const vpc = await vpcSide(cp, actor, req.body.vpcId);
        // One per name and one per peer gateway in the environment (among its cloud.ca VPNs): filtered reads, not a scan.
        const clash = await clashOf(cp, actor, req.body.name, req.body.gateway);
        if (clash === 'name') {
          throw invalidParameter('name', `A site-to-site VPN named '${req.body.name}' already exists in this environment.`, req.body.name);
        }
        if (clash === 'gateway') {
          throw invalidParameter('gateway', `Gateway ${req.body.gateway} is already used by a site-to-site VPN in this environment.`, req.body.gateway);
        }
        const gatewayId = await vpcGateway(cp, actor, req.body.vpcId, vpc);
        // The account's shared policies of this content (made on first use): one read each, usually.
        const account = actor.accountId;
        const ike = await asField(cp.ikePolicies.forContent(actor, account, plan.ike), 'ike');
        const esp = await asField(cp.ipsecPolicies.forContent(actor, account, plan.ipsec), 'esp');
        const v = await cp.connections.create(
          actor,
          gatewayId,
          { ...plan.connection, localCidrs: vpc.cidrs, ikePolicyId: ike.id, ipsecPolicyId: esp.id },
          { extras: { dialect: DIALECT, data: { ...plan.extras } } },
        );
        return toWire(v, req.body.vpcId, ike, esp);
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
        // Its shared policies go with the last connection that uses them.
        await cp.ikePolicies.release(actor, c.ikePolicyId);
        await cp.ipsecPolicies.release(actor, c.ipsecPolicyId);
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
