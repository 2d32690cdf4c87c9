import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ConnectionView } from '../../control/index.js';
import { peerCidrsOf, replaceCidrs } from './connection-cidrs.js';
import { connectionInput, localIdsOf, peerIdOf, policySelectors, tunnelUpdate } from './connection-input.js';
import { loadConnection, policyReader, render } from './connection-lookups.js';
import { connectionExtras, connectionExtrasOf, type ConnectionExtras, connectionView, KIND_STYLE } from './connection-mapper.js';
import { ConnectionCreate, ConnectionList, ConnectionListQuery, ConnectionOne, ConnectionUpdate } from './connection-schema.js';
import { cgwDataOf, loadCustomerGateway, markerTime } from './customer-gateway-routes.js';
import { gatewayExtrasOf } from './gateway-mapper.js';
import { loadGatewayRecord } from './gateway-routes.js';
import { ERRORS, HUAWEI_TAGS, ConnectionParams, NoContent, ProjectParams, RequestId } from './huawei-common-schema.js';
import { actorOf, HUAWEI, type HuaweiDeps, projectOf, ALL_ROWS } from './huawei-deps.js';
import { invalid, missingAsUndefined } from './huawei-errors.js';
import { CONNECTION_PAGE, withName } from './huawei-rules.js';
import { dpdIn, ikeInput, ipsecInput } from './policy-mapper.js';

/** vpn-connection (B5, singular path): CRUD and reset; the inline policies are owned by the connection. */
export function connectionRoutes(fastify: FastifyInstance, deps: HuaweiDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = HUAWEI_TAGS;
  const Params = ConnectionParams;

  app.post(
    '/:project_id/vpn-connection',
    { schema: { tags, summary: 'Create a VPN connection', params: ProjectParams, body: ConnectionCreate, response: { 201: ConnectionOne, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const b = req.body.vpn_connection;
      const wire = await control.atomically(async (cp) => {
        const gw = await loadGatewayRecord(cp, actor, project, b.vgw_id);
        const cgw = await loadCustomerGateway(cp, actor, project, b.cgw_id);
        const ike = await cp.ikePolicies.forContent(actor, gw.gateway.accountId, ikeInput(b.ikepolicy));
        const ipsec = await cp.ipsecPolicies.forContent(actor, gw.gateway.accountId, ipsecInput(b.ipsecpolicy));
        const { input, extras } = connectionInput(b, gw, cgw, { ike: ike.id, ipsec: ipsec.id });
        const v = await withName(b.name, 'vpn', (name) =>
          cp.connections.create(actor, gw.gateway.id, { ...input, name }, { extras: connectionExtras(extras) }),
        );
        return connectionView(v, ike, ipsec);
      });
      // The create answer has no status (B5).
      const { status: _status, ...created } = wire;
      return reply.code(201).send({ vpn_connection: created, request_id: req.id });
    },
  );

  app.get(
    '/:project_id/vpn-connection',
    {
      schema: {
        tags,
        summary: 'List VPN connections',
        params: ProjectParams,
        querystring: ConnectionListQuery,
        response: { 200: ConnectionList, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const q = req.query;
      const limit = q.limit ?? CONNECTION_PAGE.default;
      const after = markerTime(q.marker);
      const page = await control.connections
        .list(actor, { live: true, accountId: project, ...(q.vgw_id ? { gatewayId: q.vgw_id } : {}) }, ALL_ROWS, { extras: HUAWEI })
        .catch((e: unknown) => missingAsUndefined(e) ?? { items: [] as ConnectionView[], total: 0 });
      const all = page.items.filter((v) => v.connection.accountId === project);
      const policies = policyReader(control, actor);
      const wires = await Promise.all(all.map((v) => render(control, actor, v, policies)));
      const matching = wires.filter(
        (w) => (!q.vgw_ip || w.vgw_ip === q.vgw_ip) && (!q.enterprise_project_id || w.enterprise_project_id === q.enterprise_project_id),
      );
      const rest = matching.filter((w) => after === undefined || Date.parse(w.created_at) > after);
      // A page never splits connections created in the same millisecond: the marker is a created_at.
      let n = Math.min(limit, rest.length);
      while (n > 0 && n < rest.length && rest[n]!.created_at === rest[n - 1]!.created_at) n++;
      const items = rest.slice(0, n);
      const last = items[items.length - 1];
      return {
        vpn_connections: items,
        page_info: { ...(last ? { next_marker: last.created_at } : {}), current_count: items.length },
        total_count: matching.length,
        request_id: req.id,
      };
    },
  );

  app.get(
    '/:project_id/vpn-connection/:vpn_connection_id',
    { schema: { tags, summary: 'Show a VPN connection', params: Params, response: { 200: ConnectionOne, ...ERRORS } } },
    async (req) => {
      const actor = actorOf(req);
      const v = await loadConnection(control, actor, projectOf(req), req.params.vpn_connection_id);
      return { vpn_connection: await render(control, actor, v), request_id: req.id };
    },
  );

  app.put(
    '/:project_id/vpn-connection/:vpn_connection_id',
    { schema: { tags, summary: 'Update a VPN connection', params: Params, body: ConnectionUpdate, response: { 200: ConnectionOne, ...ERRORS } } },
    async (req) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const b = req.body.vpn_connection;
      const wire = await control.atomically(async (cp) => {
        const cur = await loadConnection(cp, actor, project, req.params.vpn_connection_id);
        const c = cur.connection;
        const x = connectionExtrasOf(cur.extras) as ConnectionExtras;
        const style = KIND_STYLE[c.kind];
        if (b.policy_rules && style !== 'POLICY') throw invalid('policy_rules applies to style POLICY only');
        const cgw = b.cgw_id ? await loadCustomerGateway(cp, actor, project, b.cgw_id) : undefined;
        const ikeP = b.ikepolicy;
        // A changed inline policy moves the connection to the shared policy of the new content.
        const ike = ikeP
          ? await cp.ikePolicies.forContent(actor, c.accountId, ikeInput(ikeP, c.ikePolicyId ? await cp.ikePolicies.record(actor, c.ikePolicyId) : undefined))
          : undefined;
        const ipsec = b.ipsecpolicy
          ? await cp.ipsecPolicies.forContent(
              actor,
              c.accountId,
              ipsecInput(b.ipsecpolicy, c.ipsecPolicyId ? await cp.ipsecPolicies.record(actor, c.ipsecPolicyId) : undefined),
            )
          : undefined;
        const tunnels = tunnelUpdate(b, c, style);
        const next: ConnectionExtras = {
          ...x,
          ...(cgw ? { cgwId: cgw.id } : {}),
          ...(b.peer_subnets && style !== 'POLICY' ? { peerSubnets: peerCidrsOf(b.peer_subnets, 'peer_subnets') } : {}),
          ...tunnels.extras,
          ...(ikeP?.dpd?.msg ? { dpdMsg: ikeP.dpd.msg } : {}),
        };
        if (style === 'POLICY' && (b.policy_rules || b.peer_subnets)) {
          const gw = await loadGatewayRecord(cp, actor, project, c.gatewayId);
          const sel = policySelectors(b.policy_rules, b.peer_subnets ?? c.peerCidrs, gatewayExtrasOf(gw.extras, gw.gateway).localSubnets);
          await replaceCidrs(cp, actor, c.gatewayId, c.id, 'local', c.localCidrs, sel.local);
          await replaceCidrs(cp, actor, c.gatewayId, c.id, 'peer', c.peerCidrs, sel.peer);
          Object.assign(next, { followsGateway: sel.follows, policyRules: b.policy_rules?.length ? b.policy_rules : null });
        }
        const cg = cgw ? cgwDataOf(cgw) : undefined;
        const peer = cg ? (cg.idType === 'ip' ? { address: cg.idValue } : { fqdn: cg.idValue }) : undefined;
        const peerIdentity = peerIdOf(ikeP, peer ?? c.peer, c.peerIdentity, false);
        const localIdentities = localIdsOf(ikeP, style, c.localIdentities[0], false);
        const v = await cp.connections.update(
          actor,
          c.gatewayId,
          c.id,
          {
            ...(b.name ? { name: b.name } : {}),
            ...(b.psk ? { psk: b.psk } : {}),
            ...(peer ? { peer } : {}),
            ...(peerIdentity !== undefined ? { peerIdentity } : {}),
            ...(localIdentities !== undefined ? { localIdentities } : {}),
            ...tunnels.patch,
            ...(ikeP?.dpd ? { dpd: dpdIn(ikeP.dpd, c.dpd) } : {}),
            ...(ike && ike.id !== c.ikePolicyId ? { ikePolicyId: ike.id } : {}),
            ...(ipsec && ipsec.id !== c.ipsecPolicyId ? { ipsecPolicyId: ipsec.id } : {}),
          },
          { extras: connectionExtras(next) },
        );
        if (ike && ike.id !== c.ikePolicyId) await cp.ikePolicies.release(actor, c.ikePolicyId);
        if (ipsec && ipsec.id !== c.ipsecPolicyId) await cp.ipsecPolicies.release(actor, c.ipsecPolicyId);
        return render(cp, actor, v);
      });
      return { vpn_connection: wire, request_id: req.id };
    },
  );

  app.delete(
    '/:project_id/vpn-connection/:vpn_connection_id',
    { schema: { tags, summary: 'Delete a VPN connection', params: Params, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      await control.atomically(async (cp) => {
        const v = await loadConnection(cp, actor, project, req.params.vpn_connection_id);
        const c = v.connection;
        await cp.connections.remove(actor, c.gatewayId, c.id);
        // Shared content policies go with their last connection, whoever made it (a policy a user
        // named stays); the monitor belongs to this connection.
        await cp.ikePolicies.release(actor, c.ikePolicyId);
        await cp.ipsecPolicies.release(actor, c.ipsecPolicyId);
        const monitor = v.extras?.['monitorId'];
        if (typeof monitor === 'string') await cp.dialectObjects.remove(actor, HUAWEI, 'connection_monitor', monitor).catch(missingAsUndefined);
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/:project_id/vpn-connection/:vpn_connection_id/reset',
    {
      schema: { tags, summary: 'Reset a VPN connection (re-initiate its tunnel)', params: Params, response: { 200: RequestId, ...ERRORS } },
      config: { bodyless: true },
    },
    async (req) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      await control.atomically(async (cp) => {
        const v = await loadConnection(cp, actor, project, req.params.vpn_connection_id);
        await cp.connections.reset(actor, v.connection.gatewayId, v.connection.id);
      });
      return { request_id: req.id };
    },
  );
}
