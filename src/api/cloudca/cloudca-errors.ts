import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { DomainError, echo } from '../../domain/errors.js';
import { BodyError } from '../body-parsers.js';
import { failureLog } from '../failure-log.js';
import { httpStatus } from '../http-status.js';

/**
 * cloud.ca's error envelope: `{"errors": [{"code", "message", "context"}]}` with its HTTP statuses
 * (400 invalid or over quota, 403, 404, 405, 500). cloud.ca publishes no site-to-site VPN codes, so
 * the numeric codes are ours: the HTTP status times ten, plus a sub-code (docs/errors.md).
 */
export const CLOUDCA_CODES = {
  4000: 'Invalid parameter or body (a field, its value, or a rule between fields).',
  4001: 'Quota exceeded.',
  4002: 'The request conflicts with the current state (in use, being deleted, changed meanwhile).',
  4030: 'Not authorized: no MC-Api-Key, an unknown key, or an operation the key may not do.',
  4040: 'Not found: an unknown service code, environment, site-to-site VPN or endpoint.',
  4050: 'Method not allowed on this endpoint.',
  5000: 'An unexpected error occurred.',
} as const;
export type CloudcaCode = keyof typeof CLOUDCA_CODES;

export type CloudcaContext = Readonly<Record<string, unknown>>;

export class CloudcaError extends Error {
  constructor(
    readonly status: number,
    readonly code: CloudcaCode,
    message: string,
    readonly context: CloudcaContext = {},
  ) {
    super(message);
  }
}

export const invalidParameter = (field: string, message: string, value?: unknown): CloudcaError =>
  new CloudcaError(400, 4000, message, { field, ...(value === undefined ? {} : { value: echo(value) }) });
export const notFound = (message: string, context: CloudcaContext = {}): CloudcaError => new CloudcaError(404, 4040, message, context);

/** The domain's field names in cloud.ca's words (the domain speaks for every dialect). */
const FIELDS: Readonly<Record<string, string>> = {
  psk: 'ipSecPsk',
  peer: 'gateway',
  'peer.address': 'gateway',
  peerCidrs: 'cidr',
  localCidrs: 'vpcId',
  cidrs: 'cidr',
  name: 'name',
  dpd: 'dpd',
};

const CODE_OF_KIND: Readonly<Record<DomainError['kind'], CloudcaCode>> = {
  invalid: 4000,
  quota: 4001,
  conflict: 4002,
  in_use: 4002,
  precondition: 4002,
  not_found: 4040,
  unauthorized: 4030,
  forbidden: 4030,
  storage_full: 5000,
};

/** A domain refusal in cloud.ca's terms; `field` renames the target where the caller knows better (a policy's lifetime). */
export function fromDomain(e: DomainError, field?: (domainField: string) => string | undefined): CloudcaError {
  const status = httpStatus(e.kind, 'cloudca', e.subject?.resource);
  const t = e.target;
  const name = t ? (field?.(t.name) ?? FIELDS[t.name] ?? t.name) : undefined;
  const context: Record<string, unknown> = { reason: e.code };
  if (name !== undefined) context['field'] = name;
  if (t?.value !== undefined) context['value'] = echo(t.value);
  if (e.subject) {
    context['type'] = e.subject.resource === 'connection' ? 'sitetositevpns' : e.subject.resource;
    if (e.subject.id !== undefined) context['id'] = echo(e.subject.id);
  }
  return new CloudcaError(status, CODE_OF_KIND[e.kind], e.message, context);
}

/** Fastify's validation error (a schema refused the request) in cloud.ca's words. */
function fromValidation(err: FastifyError): CloudcaError {
  const v = err.validation?.[0];
  const where = err.validationContext ?? 'body';
  const path = v?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
  const missing = v?.keyword === 'required' ? String((v.params as { missingProperty?: string }).missingProperty ?? '') : '';
  const field = missing || path || where;
  const message = missing
    ? `The field '${field}' is required.`
    : `The ${where === 'body' ? 'field' : where} '${field}' is not valid: ${v?.message ?? err.message}.`;
  return new CloudcaError(400, 4000, message, { field });
}

export function toCloudcaError(err: unknown): CloudcaError | undefined {
  if (err instanceof CloudcaError) return err;
  if (DomainError.is(err)) return fromDomain(err);
  if (err instanceof BodyError) return new CloudcaError(400, 4000, `The request body could not be read: ${err.message}`, { field: 'body' });
  const f = err as FastifyError;
  if (f.validation) return fromValidation(f);
  if (f.statusCode !== undefined && f.statusCode >= 400 && f.statusCode < 500) return new CloudcaError(400, 4000, f.message, {});
  return undefined;
}

export function sendError(reply: FastifyReply, e: CloudcaError): FastifyReply {
  return reply
    .code(e.status)
    .type('application/json')
    .send({ errors: [{ code: e.code, message: e.message, context: e.context }] });
}

/** The plugin's error handler: every refusal in the envelope, a 5xx logged with its cause. */
export function installCloudcaErrors(app: FastifyInstance, allowed: (url: string) => readonly string[] | undefined): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toCloudcaError(err);
    if (!e || e.status >= 500) req.log.error(failureLog(err), 'cloud.ca request failed');
    return sendError(reply, e ?? new CloudcaError(500, 5000, 'An unexpected error occurred.', {}));
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const methods = allowed(path);
    if (methods) {
      return sendError(
        reply.header('allow', methods.join(', ')),
        new CloudcaError(405, 4050, `${req.method} is not allowed on ${echo(path)}; use ${methods.join(' or ')}.`, { method: req.method }),
      );
    }
    return sendError(reply, notFound(`There is no ${req.method} ${echo(path)} in the cloud.ca API.`, {}));
  });
}
