import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ControlPlane, GatewayRecord, GatewayView } from '../../control/index.js';
import type { Actor } from '../../domain/tenancy.js';
import { checkLocalSubnets, refreshLocalCidrs } from './connection-cidrs.js';
import { eipId, gatewayExtras, gatewayExtrasIn, gatewayExtrasOf, gatewayView } from './gateway-mapper.js';
import { GatewayCreate, GatewayList, GatewayListQuery, GatewayOne, GatewayUpdate } from './gateway-schema.js';
import { ERRORS, HUAWEI_TAGS, GatewayParams, NoContent, ProjectParams } from './huawei-common-schema.js';
import { actorOf, ALL_ROWS, HUAWEI, type HuaweiDeps, projectOf } from './huawei-deps.js';
import { HuaweiError, invalid, notFoundError, missingAsUndefined } from './huawei-errors.js';
import { withName } from './huawei-rules.js';

/** A gateway of the addressed project, not being deleted (Huawei's deletes look synchronous: poll until 404). */
export async function loadGateway(cp: ControlPlane, actor: Actor, project: string, id: string): Promise<GatewayView> {
  const v = await cp.gateways.get(actor, id, { extras: HUAWEI, live: true }).catch(missingAsUndefined);
  if (!v || v.gateway.accountId !== project) throw notFoundError();
  return v;
}

/** The same check as loadGateway, reading only the gateway and its extras (a connection's paths need no more). */
export async function loadGatewayRecord(cp: ControlPlane, actor: Actor, project: string, id: string): Promise<GatewayRecord> {
  const v = await cp.gateways.record(actor, id, { extras: HUAWEI, live: true }).catch(missingAsUndefined);
  if (!v || v.gateway.accountId !== project) throw notFoundError();
  return v;
}

/** B7: a gateway still creating cannot be changed (VPN.0003). */
function ready(v: GatewayView): void {
  if (v.gateway.lifecycleState === 'pending')
    throw new HuaweiError(409, 'VPN.0003', `resource (type=GATEWAY, ID=${v.gateway.id}) is not ready, currently CREATING`);
}

/** vpn-gateways (B3): a route-mode gateway, two members with one EIP each from the pool. */
export function gatewayRoutes(fastify: FastifyInstance, deps: HuaweiDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = HUAWEI_TAGS;
  const quota = control.settings.quotas.connectionsPerGateway;

  app.post(
    '/:project_id/vpn-gateways',
    { schema: { tags, summary: 'Create a VPN gateway', params: ProjectParams, body: GatewayCreate, response: { 201: GatewayOne, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const b = req.body.vpn_gateway;
      if ((b.network_type ?? 'public') !== 'public') throw invalid('network_type private is not supported');
      if ((b.attachment_type ?? 'vpc') !== 'vpc') throw invalid('attachment_type er is not supported');
      if ((b.ip_version ?? 'ipv4') !== 'ipv4') throw invalid('ip_version ipv6 is not supported');
      if (!b.vpc_id) throw invalid('vpc_id is required when attachment_type is vpc');
      if (!b.connect_subnet) throw invalid('connect_subnet is required when attachment_type is vpc');
      if (!b.local_subnets || b.local_subnets.length === 0) throw invalid('local_subnets is required for a vpc gateway');
      if (b.access_private_ip_1 !== undefined || b.access_private_ip_2 !== undefined)
        throw invalid('access_private_ip_1 and access_private_ip_2 are for private gateways, which are not supported');
      // The access VPC and subnet are the gateway's own VPC and connect subnet (B3's defaults); no other is supported.
      if (b.access_vpc_id !== undefined && b.access_vpc_id !== b.vpc_id) throw invalid(`access_vpc_id must be vpc_id ${b.vpc_id}`);
      if (b.access_subnet_id !== undefined && b.access_subnet_id !== b.connect_subnet)
        throw invalid(`access_subnet_id must be connect_subnet ${b.connect_subnet}`);
      const local = checkLocalSubnets(b.local_subnets);
      const created = await control.atomically(async (cp) => {
        const subnet = await cp.subnets.get(actor, b.connect_subnet!).catch(missingAsUndefined);
        if (!subnet || subnet.subnet.accountId !== project) throw invalid(`connect_subnet ${b.connect_subnet} does not exist`);
        if (subnet.subnet.vpcId !== b.vpc_id) throw invalid(`connect_subnet ${b.connect_subnet} is not in vpc ${b.vpc_id}`);
        const x = { ...gatewayExtrasIn(b, subnet.subnet.zone), localSubnets: local };
        return withName(b.name, 'vpngw', (name) =>
          cp.gateways.create(actor, { subnetId: subnet.subnet.id, mode: 'route', name }, { extras: gatewayExtras(x) }),
        );
      });
      return reply.code(201).send({ vpn_gateway: gatewayView(created, quota, false), request_id: req.id });
    },
  );

  app.get(
    '/:project_id/vpn-gateways',
    { schema: { tags, summary: 'List VPN gateways', params: ProjectParams, querystring: GatewayListQuery, response: { 200: GatewayList, ...ERRORS } } },
    async (req) => {
      const project = projectOf(req);
      const page = await control.gateways.list(actorOf(req), {}, ALL_ROWS, { extras: HUAWEI });
      const items = page.items.filter(
        (v) =>
          v.gateway.accountId === project &&
          v.gateway.lifecycleState !== 'deleting' &&
          (req.query.vgw_id === undefined || v.gateway.id === req.query.vgw_id) &&
          (req.query.enterprise_project_id === undefined || gatewayExtrasOf(v.extras, v.gateway).enterpriseProjectId === req.query.enterprise_project_id),
      );
      return { vpn_gateways: items.map((v) => gatewayView(v, quota)), request_id: req.id };
    },
  );

  app.get(
    '/:project_id/vpn-gateways/:vgw_id',
    { schema: { tags, summary: 'Show a VPN gateway', params: GatewayParams, response: { 200: GatewayOne, ...ERRORS } } },
    async (req) => ({ vpn_gateway: gatewayView(await loadGateway(control, actorOf(req), projectOf(req), req.params.vgw_id), quota), request_id: req.id }),
  );

  app.put(
    '/:project_id/vpn-gateways/:vgw_id',
    {
      schema: { tags, summary: 'Update a VPN gateway', params: GatewayParams, body: GatewayUpdate, response: { 200: GatewayOne, ...ERRORS } },
    },
    async (req) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const b = req.body.vpn_gateway;
      const local = b.local_subnets ? checkLocalSubnets(b.local_subnets) : undefined;
      const next = await control.atomically(async (cp) => {
        const cur = await loadGateway(cp, actor, project, req.params.vgw_id);
        ready(cur);
        const x = gatewayExtrasOf(cur.extras, cur.gateway);
        for (const [i, sent] of [b.eip_id_1, b.eip_id_2].entries())
          if (sent !== undefined && sent.toLowerCase() !== eipId(cur.gateway.id, (i + 1) as 1 | 2))
            throw invalid(`eip_id_${i + 1}: binding an existing EIP is not supported: EIPs come from the pool`);
        const v = await cp.gateways.update(actor, cur.gateway.id, b.name ? { name: b.name } : {}, {
          extras: gatewayExtras({ ...x, ...(local ? { localSubnets: local } : {}) }),
        });
        // The gateway's local subnets are the local side of its connections that follow them.
        if (local) await refreshLocalCidrs(cp, actor, cur.gateway.id, local);
        return cp.gateways.get(actor, v.gateway.id, { extras: HUAWEI });
      });
      return { vpn_gateway: gatewayView(next, quota), request_id: req.id };
    },
  );

  app.delete(
    '/:project_id/vpn-gateways/:vgw_id',
    { schema: { tags, summary: 'Delete a VPN gateway', params: GatewayParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      await control.atomically(async (cp) => {
        const cur = await loadGateway(cp, actor, project, req.params.vgw_id);
        ready(cur);
        await cp.gateways.remove(actor, cur.gateway.id, { onlyIfEmpty: true });
      });
      return reply.code(204).send();
    },
  );
}
