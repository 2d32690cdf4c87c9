import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { ConnectionView, DialectObject } from '../../control/index.js';
import { loadConnection } from './connection-lookups.js';
import { pinnedMemberOf } from './connection-mapper.js';
import { ERRORS, HUAWEI_TAGS, MonitorParams, NoContent, ProjectParams, Uuid } from './huawei-common-schema.js';
import { actorOf, ALL_ROWS, HUAWEI, type HuaweiDeps, projectOf } from './huawei-deps.js';
import { HuaweiError, notFoundError, missingAsUndefined } from './huawei-errors.js';

const MONITOR = 'connection_monitor';

const MonitorWire = Type.Object({
  id: Type.String(),
  vpn_connection_id: Type.String(),
  type: Type.String(),
  source_ip: Type.String(),
  destination_ip: Type.String(),
  proto_type: Type.String(),
  status: Type.Optional(Type.String()),
});
const MonitorCreate = Type.Object({ connection_monitor: Type.Object({ vpn_connection_id: Uuid }) });
const MonitorOne = Type.Object({ connection_monitor: MonitorWire, request_id: Type.String() });
const MonitorList = Type.Object({ connection_monitors: Type.Array(MonitorWire), request_id: Type.String() });
const MonitorQuery = Type.Object({ vpn_connection_id: Type.Optional(Uuid), enterprise_project_id: Type.Optional(Type.String({ maxLength: 64 })) });

/** A monitor probes from the connection's gateway EIP to the customer gateway (ICMP), B6. */
function monitorData(v: ConnectionView) {
  const c = v.connection;
  const member = pinnedMemberOf(v);
  return { vpnConnectionId: c.id, sourceIp: member?.publicIp ?? '', destinationIp: c.peer.address ?? c.peer.fqdn ?? '' };
}

function monitorView(o: DialectObject, withStatus = true): Static<typeof MonitorWire> {
  const d = o.data as ReturnType<typeof monitorData>;
  return {
    id: o.id,
    vpn_connection_id: d.vpnConnectionId,
    type: 'gateway',
    source_ip: d.sourceIp,
    destination_ip: d.destinationIp,
    proto_type: 'icmp',
    ...(withStatus ? { status: 'ACTIVE' } : {}),
  };
}

/** connection-monitors (B6): create, list, show, delete; one per connection (VPN.0381). */
export function monitorRoutes(fastify: FastifyInstance, deps: HuaweiDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = HUAWEI_TAGS;
  const list = async (actor: Parameters<typeof control.dialectObjects.list>[0], project: string) =>
    (await control.dialectObjects.list(actor, { dialect: HUAWEI, kind: MONITOR, accountId: project, limit: ALL_ROWS.limit })).items;

  app.post(
    '/:project_id/connection-monitors',
    { schema: { tags, summary: 'Create a connection monitor', params: ProjectParams, body: MonitorCreate, response: { 201: MonitorOne, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const connId = req.body.connection_monitor.vpn_connection_id;
      const o = await control.atomically(async (cp) => {
        const v = await loadConnection(cp, actor, project, connId);
        if (typeof v.extras?.['monitorId'] === 'string')
          throw new HuaweiError(400, 'VPN.0381', `VPN connection ${v.connection.id} already has connection monitor`);
        const m = await cp.dialectObjects.put(actor, { dialect: HUAWEI, kind: MONITOR, name: v.connection.name, data: monitorData(v), accountId: project });
        await cp.extras.put(actor, 'connection', v.connection.id, { dialect: HUAWEI, data: { ...v.extras, monitorId: m.id } });
        return m;
      });
      return reply.code(201).send({ connection_monitor: monitorView(o, false), request_id: req.id });
    },
  );

  app.get(
    '/:project_id/connection-monitors',
    { schema: { tags, summary: 'List connection monitors', params: ProjectParams, querystring: MonitorQuery, response: { 200: MonitorList, ...ERRORS } } },
    async (req) => {
      const items = (await list(actorOf(req), projectOf(req))).map((o) => monitorView(o));
      const q = req.query.vpn_connection_id;
      return { connection_monitors: q ? items.filter((m) => m.vpn_connection_id === q) : items, request_id: req.id };
    },
  );

  app.get(
    '/:project_id/connection-monitors/:connection_monitor_id',
    { schema: { tags, summary: 'Show a connection monitor', params: MonitorParams, response: { 200: MonitorOne, ...ERRORS } } },
    async (req) => {
      const project = projectOf(req);
      const o = await control.dialectObjects.get(actorOf(req), HUAWEI, MONITOR, req.params.connection_monitor_id).catch(missingAsUndefined);
      if (!o || o.accountId !== project) throw notFoundError();
      return { connection_monitor: monitorView(o), request_id: req.id };
    },
  );

  app.delete(
    '/:project_id/connection-monitors/:connection_monitor_id',
    { schema: { tags, summary: 'Delete a connection monitor', params: MonitorParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      await control.atomically(async (cp) => {
        const o = await cp.dialectObjects.get(actor, HUAWEI, MONITOR, req.params.connection_monitor_id).catch(missingAsUndefined);
        if (!o || o.accountId !== project) throw notFoundError();
        const connId = (o.data as { vpnConnectionId: string }).vpnConnectionId;
        const v = await cp.connections.find(actor, connId, { extras: HUAWEI }).catch(missingAsUndefined);
        if (v?.extras) {
          const { monitorId: _m, ...rest } = v.extras;
          await cp.extras.put(actor, 'connection', connId, { dialect: HUAWEI, data: rest });
        }
        await cp.dialectObjects.remove(actor, HUAWEI, MONITOR, o.id);
      });
      return reply.code(204).send();
    },
  );
}
