import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { MetricsAccess } from '../domain/telemetry.js';
import type { ServerMetrics } from './metrics-registry.js';

export interface MetricsOptions {
  readonly metrics: ServerMetrics;
  /** Setting metrics.access: off (the route does not exist), local (loopback clients) or token. */
  readonly access: MetricsAccess;
  /** Setting metrics.token, for access 'token'. */
  readonly token?: string;
}

/** Counts and times every answered request by its route pattern (never the raw URL: ids would explode the labels). */
export function installRequestMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onResponse', async (req, reply) => {
    metrics.request(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Bearer token check in constant time (both sides hashed to one length first). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(m?.[1] ?? ''), digest(token)) && m !== null;
}

/** Loopback clients: 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const ErrorEnvelope = Type.Object({
  errors: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  trace: Type.String(),
  status_code: Type.Integer(),
});

function refuse(req: FastifyRequest, reply: FastifyReply, status: 401 | 403, code: string, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="metrics"');
  return reply
    .code(status)
    .type('application/json')
    .send({ errors: [{ code, message }], trace: req.id, status_code: status });
}

/** GET /metrics in the Prometheus text format, behind its own guard (metrics.access). */
export function metricsRoutes(app: FastifyInstance, o: MetricsOptions): void {
  if (o.access === 'off') return; // the root 404 answers
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['Server'],
        summary: 'Metrics in the Prometheus text format (setting metrics.access: off, local or token)',
        response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4.' }), '4xx': ErrorEnvelope },
      },
    },
    async (req, reply) => {
      if (o.access === 'local' && !isLoopback(req.socket.remoteAddress))
        return refuse(req, reply, 403, 'forbidden', 'Metrics are served to loopback clients only (metrics.access = local).');
      if (o.access === 'token' && !tokenMatches(req.headers.authorization, o.token ?? ''))
        return refuse(req, reply, 401, 'not_authorized', 'Metrics need Authorization: Bearer <metrics.token>.');
      const text = await o.metrics.registry.metrics();
      return reply.type(o.metrics.registry.contentType).send(text);
    },
  );
}
