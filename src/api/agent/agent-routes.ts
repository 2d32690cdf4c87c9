import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { ChangeBatch, ControlPlane, SaFacts } from '../../control/index.js';
import { BodyError, acceptJsonBodies } from '../body-parsers.js';
import { describeAjvError } from '../validation.js';
import { AgentError, ChangesQuery, GatewayParams, PlanSchema, ReleasedQuery, ReportSchema, type SaFactsSchema } from './agent-schema.js';
import { failureLog } from '../failure-log.js';
import { httpStatus } from '../http-status.js';
import { DomainError, echo } from '../../domain/errors.js';

export interface AgentApiOptions {
  readonly control: ControlPlane;
  /** The lab settings agents must share with this server (address pools, lab internet). */
  readonly lab: { readonly publicPool: string; readonly sitePool: string; readonly labInternet: string };
}

const HEARTBEAT_MS = 15_000;
const ERRORS = { '4xx': AgentError, '5xx': AgentError } as const;

const fail = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });

/** One line of the change feed. */
function line(b: ChangeBatch): string {
  return b.resync
    ? `${JSON.stringify({ generation: b.generation, resync: true })}\n`
    : b.entries.map((e) => `${JSON.stringify({ generation: e.generation, gateway_ids: e.gatewayIds })}\n`).join('');
}

/**
 * The agent API (/agent/v1): what a standalone `causeway agent` reads and reports. Authenticated by
 * an agent key (`causeway agent-key create`), never by an account's token. The change feed streams
 * the change log as JSON lines from a generation the agent names (`?since=`), so a reconnecting agent
 * resumes where it was; a generation the log no longer holds answers `resync`.
 */
export async function agentPlugin(fastify: FastifyInstance, opts: AgentApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = opts;
  const streams = new Set<FastifyReply>();
  acceptJsonBodies(app);

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, req, reply) => {
    if (Array.isArray(err.validation) && err.validation.length > 0) {
      const p = describeAjvError(err.validation[0] as Parameters<typeof describeAjvError>[0], 'body');
      return fail(reply, 400, p.code, p.message);
    }
    if (err instanceof BodyError) return fail(reply, 400, 'invalid_json', err.message);
    if (DomainError.is(err)) {
      // The one kind → status table: a full disk answers 507, a busy database 409, as in every dialect.
      const status = httpStatus(err.kind, 'agent', err.subject?.resource);
      if (status >= 500) req.log.error(failureLog(err), 'agent API request failed');
      return fail(reply, status, err.code, err.message);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error(failureLog(err), 'agent API request failed');
    return fail(reply, status, status === 500 ? 'internal_error' : 'bad_request', status === 500 ? 'Internal error.' : err.message);
  });
  app.setNotFoundHandler((req, reply) => fail(reply, 404, 'not_found', `There is no ${req.method} ${echo(req.url.split('?')[0])} in the agent API.`));
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const agent = m ? await control.agentKeys.authenticate(m[1]!) : undefined;
    if (!agent) return fail(reply, 401, 'not_authorized', 'An agent key is required: Authorization: Bearer <key from `causeway agent-key create`>.');
  });
  app.addHook('preClose', async () => {
    for (const r of streams) r.raw.end();
  });

  const tags = ['Agent'];
  app.get(
    '/config',
    {
      schema: {
        tags,
        summary: 'The lab settings agents share with the server',
        response: { 200: Type.Object({ public_pool: Type.String(), site_pool: Type.String(), lab_internet: Type.String() }), ...ERRORS },
      },
    },
    async () => ({ public_pool: opts.lab.publicPool, site_pool: opts.lab.sitePool, lab_internet: opts.lab.labInternet }),
  );

  app.get(
    '/gateways',
    {
      schema: {
        tags,
        summary: 'Every gateway, those being deleted included',
        response: { 200: Type.Object({ gateways: Type.Array(Type.String()) }), ...ERRORS },
      },
    },
    async () => ({
      gateways: await control.agent.gatewayIds(),
    }),
  );

  app.get(
    '/gateways/:gateway/plan',
    {
      schema: {
        tags,
        summary: 'Desired state of one gateway at the current generation (holds pre-shared keys)',
        params: GatewayParams,
        response: { 200: PlanSchema, ...ERRORS },
      },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      // The plan's TypeScript type and the schema describe the same JSON (agent-schema.test.ts); readonly lists differ in type only.
      return (await control.agent.plan(req.params.gateway)) as unknown as Static<typeof PlanSchema>;
    },
  );

  app.post(
    '/gateways/:gateway/report',
    {
      schema: {
        tags,
        summary: 'Report observed status (ignored when older than the last report accepted)',
        params: GatewayParams,
        body: ReportSchema,
        response: { 200: Type.Object({ applied: Type.Boolean() }), ...ERRORS },
      },
    },
    async (req) => {
      const g = req.body.gateway;
      const applied = await control.agent.report(req.params.gateway, {
        generation: req.body.generation,
        ...(g
          ? {
              gateway: {
                lifecycleState: g.lifecycle_state,
                healthState: g.health_state,
                reasons: g.reasons,
                ...(g.member_roles ? { memberRoles: g.member_roles } : {}),
              },
            }
          : {}),
        ...(req.body.connections
          ? {
              connections: req.body.connections.map((c) => ({
                id: c.id,
                status: c.status,
                reasons: c.reasons,
                ...(c.sa ? { sa: saFromWire(c.sa) } : {}),
                ...(c.tunnels_up ? { tunnelsUp: c.tunnels_up } : {}),
              })),
            }
          : {}),
      });
      return { applied };
    },
  );

  app.post(
    '/gateways/:gateway/released',
    {
      config: { bodyless: true },
      schema: {
        tags,
        summary: 'The data plane let go of what was being deleted in the plan of `generation` (scope: its deleted connections, or the whole gateway)',
        params: GatewayParams,
        querystring: ReleasedQuery,
        response: { 200: Type.Object({ removed: Type.Integer() }), ...ERRORS },
      },
    },
    async (req) => ({
      removed: await control.agent.released(req.params.gateway, {
        scope: req.query.scope ?? 'gateway',
        generation: req.query.generation,
      }),
    }),
  );

  app.get(
    '/changes',
    {
      schema: {
        tags,
        summary: 'Change feed: JSON lines from the change log, {"generation":N,"resync":true} or {"generation":N,"gateway_ids":[…]}; {} every 15 s',
        querystring: ChangesQuery,
        response: { 200: Type.String({ description: 'application/x-ndjson' }), ...ERRORS },
      },
    },
    async (req, reply) => {
      const current = await control.changes.current();
      const since = req.query.since;
      const first = since === undefined ? { generation: current, resync: true, entries: [] } : await control.changes.read(since);
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', 'x-request-id': req.id });
      reply.raw.write(`${JSON.stringify({ generation: first.generation, resync: first.resync })}\n`);
      if (!first.resync) reply.raw.write(line(first));
      streams.add(reply);
      const stop = control.changes.follow(first.generation, (b) => reply.raw.write(line(b)), { onError: () => reply.raw.end() });
      const beat = setInterval(() => reply.raw.write('{}\n'), HEARTBEAT_MS);
      req.raw.socket.once('close', () => {
        stop();
        clearInterval(beat);
        streams.delete(reply);
      });
    },
  );
}

/** The agent API's SA facts (snake case) as the control plane takes them. */
function saFromWire(w: Static<typeof SaFactsSchema>): SaFacts {
  return {
    ikeState: w.ike_state,
    ...(w.ike_initiator !== undefined ? { ikeInitiator: w.ike_initiator } : {}),
    children: w.children.map((c) => ({
      uniqueId: c.unique_id,
      state: c.state,
      ...(c.spi_in !== undefined ? { spiIn: c.spi_in } : {}),
      ...(c.spi_out !== undefined ? { spiOut: c.spi_out } : {}),
      bytesIn: c.bytes_in,
      bytesOut: c.bytes_out,
      packetsIn: c.packets_in,
      packetsOut: c.packets_out,
    })),
  };
}
