import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { agentOfKey } from '../../control/agent-keys.js';
import type { ControlDeps } from '../../control/control-deps.js';
import { applyAgentReport, gatewayPlan, releaseDeleted } from '../../control/gateway-plan.js';
import { HEALTH_STATES, LIFECYCLE_STATES, type HealthState, type LifecycleState } from '../../domain/tenancy.js';
import { describeAjvError } from '../validation.js';

export interface AgentApiOptions {
  readonly control: ControlDeps;
  /** The lab settings agents must share with this server (address pools, lab internet). */
  readonly lab: { readonly publicPool: string; readonly sitePool: string; readonly labInternet: string };
}

const Reason = Type.Object({ code: Type.String({ maxLength: 100 }), message: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });
const Report = Type.Object({
  gateway: Type.Optional(Type.Object({
    lifecycle_state: Type.Unsafe<LifecycleState>(Type.Enum([...LIFECYCLE_STATES])),
    health_state: Type.Unsafe<HealthState>(Type.Enum([...HEALTH_STATES])),
    reasons: Type.Array(Reason, { maxItems: 20 }),
  }, { additionalProperties: false })),
  connections: Type.Optional(Type.Array(Type.Object({
    id: Type.String({ maxLength: 64 }),
    status: Type.Unsafe<'up' | 'down'>(Type.Enum(['up', 'down'])),
    reasons: Type.Array(Reason, { maxItems: 20 }),
  }, { additionalProperties: false }), { maxItems: 10_000 })),
}, { additionalProperties: false });
type ReportBody = Static<typeof Report>;
const GatewayParams = Type.Object({ gateway: Type.String({ maxLength: 64 }) });
type GatewayParamsT = Static<typeof GatewayParams>;
const ReleasedQuery = Type.Object({ scope: Type.Optional(Type.Union([Type.Literal('connections'), Type.Literal('gateway')])) });
type ReleasedQueryT = Static<typeof ReleasedQuery>;

const HEARTBEAT_MS = 15_000;

const fail = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });

/**
 * The agent API (/agent/v1): what a standalone `causeway agent` reads and reports. Authenticated by
 * an agent key (`causeway agent-key create`), never by an account's token. The change feed is a
 * stream of JSON lines (one per change, a heartbeat line every 15 s); an agent that loses it resyncs.
 */
export async function agentPlugin(app: FastifyInstance, opts: AgentApiOptions): Promise<void> {
  const { control } = opts;
  const streams = new Set<FastifyReply>();

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, req, reply) => {
    if (Array.isArray(err.validation) && err.validation.length > 0) {
      const p = describeAjvError(err.validation[0] as Parameters<typeof describeAjvError>[0], 'body');
      return fail(reply, 400, p.code, p.message);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'agent API request failed');
    return fail(reply, status, status === 500 ? 'internal_error' : 'bad_request', status === 500 ? 'Internal error.' : err.message);
  });
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const agent = m ? await agentOfKey(control.db, m[1]!) : undefined;
    if (!agent) return fail(reply, 401, 'not_authorized', 'An agent key is required: Authorization: Bearer <key from `causeway agent-key create`>.');
  });
  app.addHook('preClose', async () => {
    for (const r of streams) r.raw.end();
  });

  const tags = ['Agent'];
  app.get('/config', { schema: { tags, summary: 'The lab settings agents share with the server' } }, async () => ({
    public_pool: opts.lab.publicPool, site_pool: opts.lab.sitePool, lab_internet: opts.lab.labInternet,
  }));
  app.get('/gateways', { schema: { tags, summary: 'Every gateway, those being deleted included' } }, async () => ({
    gateways: (await control.db.selectFrom('vpn_gateways').select('id').execute()).map((r) => r.id),
  }));
  app.get<{ Params: GatewayParamsT }>('/gateways/:gateway/plan', { schema: { tags, summary: 'Desired state of one gateway (holds pre-shared keys)', params: GatewayParams } }, async (req, reply) => {
    void reply.header('cache-control', 'no-store');
    return gatewayPlan(control, req.params.gateway);
  });
  app.post<{ Params: GatewayParamsT; Body: ReportBody }>('/gateways/:gateway/report', { schema: { tags, summary: 'Report observed status', params: GatewayParams, body: Report } }, async (req, reply) => {
    const g = req.body.gateway;
    await applyAgentReport(control, req.params.gateway, {
      ...(g ? { gateway: { lifecycleState: g.lifecycle_state, healthState: g.health_state, reasons: g.reasons } } : {}),
      ...(req.body.connections ? { connections: req.body.connections } : {}),
    });
    return reply.code(204).send();
  });
  app.post<{ Params: GatewayParamsT; Querystring: ReleasedQueryT }>('/gateways/:gateway/released', {
    schema: { tags, summary: 'The data plane let go of what is being deleted (scope: its deleted connections, or the whole gateway)', params: GatewayParams, querystring: ReleasedQuery },
  }, async (req) => ({
    removed: await releaseDeleted(control, req.params.gateway, req.query.scope ?? 'gateway'),
  }));
  app.get('/changes', { schema: { tags, summary: 'Change feed: JSON lines {"gateway_ids":[…]}' } }, async (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', 'x-request-id': req.id });
    reply.raw.write('{"hello":true}\n');
    streams.add(reply);
    const off = control.changes.subscribe((c) => reply.raw.write(`${JSON.stringify({ gateway_ids: c.gatewayIds })}\n`));
    const beat = setInterval(() => reply.raw.write('{}\n'), HEARTBEAT_MS);
    req.raw.socket.once('close', () => {
      off();
      clearInterval(beat);
      streams.delete(reply);
    });
  });
}
