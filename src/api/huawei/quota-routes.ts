import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CUSTOMER_GATEWAY } from './customer-gateway-routes.js';
import { ERRORS, HUAWEI_TAGS, ProjectParams } from './huawei-common-schema.js';
import { actorOf, ALL_ROWS, HUAWEI, type HuaweiDeps, projectOf } from './huawei-deps.js';

const Quotas = Type.Object({
  quotas: Type.Object({ resources: Type.Array(Type.Object({ type: Type.String(), quota: Type.Integer(), used: Type.Integer() })) }),
  request_id: Type.String(),
});

/** vpn/quotas: the server's quotas in Huawei's shape (ShowQuotasInfo: resources of {type, quota, used}). */
export function quotaRoutes(fastify: FastifyInstance, deps: HuaweiDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  app.get(
    '/:project_id/vpn/quotas',
    { schema: { tags: HUAWEI_TAGS, summary: 'Show VPN quotas', params: ProjectParams, response: { 200: Quotas, ...ERRORS } } },
    async (req) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const q = control.settings.quotas;
      const gateways = (await control.gateways.list(actor, {}, ALL_ROWS)).items.filter(
        (v) => v.gateway.accountId === project && v.gateway.lifecycleState !== 'deleting',
      );
      const connections = (await control.connections.list(actor, { live: true }, ALL_ROWS)).items.filter((v) => v.connection.accountId === project);
      const cgws = await control.dialectObjects.list(actor, { dialect: HUAWEI, kind: CUSTOMER_GATEWAY, accountId: project, limit: 0 });
      return {
        quotas: {
          resources: [
            { type: 'vpn_gateway', quota: q.gatewaysPerAccount, used: gateways.length },
            { type: 'customer_gateway', quota: -1, used: cgws.total },
            { type: 'vpn_connection', quota: q.gatewaysPerAccount * q.connectionsPerGateway, used: connections.length },
          ],
        },
        request_id: req.id,
      };
    },
  );
}
