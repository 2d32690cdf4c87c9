import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { BodyError } from '../body-parsers.js';
import { failureLog } from '../failure-log.js';
import { httpStatus } from '../http-status.js';
import { describeAjvError } from '../validation.js';

/** An error in Huawei's envelope: {"error_code": "VPN.0001", "error_msg": …, "request_id": …}. */
export class HuaweiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Huawei's VPN.0001: every validation error, the field named in the message. */
export const invalid = (message: string): HuaweiError => new HuaweiError(400, 'VPN.0001', `invalid request: ${message}`);
export const notFoundError = (): HuaweiError => new HuaweiError(404, 'VPN.0004', 'resource not found');

/** Huawei's code for a domain error kind (B9); the status comes from the one table, with Huawei's overrides. */
const BY_KIND: Readonly<Record<DomainError['kind'], string>> = {
  invalid: 'VPN.0001',
  not_found: 'VPN.0004',
  in_use: 'VPN.0001',
  conflict: 'VPN.0016',
  quota: 'VPN.0001',
  precondition: 'VPN.0001',
  unauthorized: 'VPN.0010',
  forbidden: 'VPN.0007',
  storage_full: 'VPN.0002',
};

export function fromDomain(e: DomainError): HuaweiError {
  const status = httpStatus(e.kind, 'huawei', e.subject?.resource);
  if (e.kind === 'not_found') return new HuaweiError(status, 'VPN.0004', 'resource not found');
  if (e.kind === 'unauthorized') return new HuaweiError(status, 'VPN.0010', `Token authentication failed: ${e.message}`);
  if (e.kind === 'forbidden') return new HuaweiError(status, 'VPN.0007', `is not authorized to perform: ${e.message}`);
  if (e.code === 'resource_deleting') return new HuaweiError(status, 'VPN.0009', e.message);
  if (e.kind === 'storage_full') return new HuaweiError(status, 'VPN.0002', `server error: ${e.message}`);
  const code = BY_KIND[e.kind];
  return new HuaweiError(status, code, code === 'VPN.0001' ? `invalid request: ${e.message}` : e.message);
}

function toHuaweiError(err: FastifyError): HuaweiError | undefined {
  if (err instanceof HuaweiError) return err;
  if (DomainError.is(err)) return fromDomain(err);
  if (err instanceof BodyError) return invalid(err.message);
  if (err.validation?.[0]) {
    const p = describeAjvError(err.validation[0] as never, err.validationContext ?? 'body');
    return p.code === 'unknown_field' ? new HuaweiError(400, 'VPN.0013', `Unsupported attribute: ${p.name}`) : invalid(p.message);
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return invalid(err.message);
  return undefined;
}

/** The plugin's error and not-found handlers, in Huawei's envelope with the request id. */
export function installHuaweiErrors(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).type('application/json').send({ error_code: 'VPN.0004', error_msg: 'resource not found', request_id: req.id }),
  );
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const he = toHuaweiError(err);
    if (!he || he.status >= 500) req.log.error(failureLog(err), 'huawei request failed');
    const e = he ?? new HuaweiError(500, 'VPN.0002', 'server error: an internal error has occurred');
    return reply.code(e.status).type('application/json').send({ error_code: e.code, error_msg: e.message, request_id: req.id });
  });
}

/** For a lookup whose miss the caller answers itself: a not_found becomes undefined, anything else (a full disk, a conflict) still fails. */
export function missingAsUndefined(e: unknown): undefined {
  if (e instanceof DomainError && e.kind === 'not_found') return undefined;
  throw e;
}
