import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorTarget } from '../../domain/errors.js';
import { HTTP_STATUS } from '../http-status.js';
import { describeAjvError } from '../validation.js';

/** IBM's error envelope: {errors:[{code, message, more_info?, target?}], trace, status_code}. */
export interface IbmError {
  readonly code: string;
  readonly message: string;
  readonly target?: { type: string; name: string; value?: unknown };
}

/** Domain field names → IBM wire names where they differ (otherwise camelCase → snake_case). */
const WIRE_NAMES: Record<string, string> = {
  localCidrs: 'local.cidrs',
  peerCidrs: 'peer.cidrs',
  peerIdentity: 'peer.ike_identity',
  localIdentities: 'local.ike_identities',
  dpd: 'dead_peer_detection',
  'dpd.intervalSeconds': 'dead_peer_detection.interval',
  'dpd.timeoutSeconds': 'dead_peer_detection.timeout',
  ikePolicy: 'ike_policy',
  ipsecPolicy: 'ipsec_policy',
  lifetimeSeconds: 'key_lifetime',
  encryption: 'encryption_algorithms',
  integrity: 'authentication_algorithms',
  dhGroups: 'dh_groups',
  pfs: 'pfs_groups',
  cidr: 'ipv4_cidr_block',
  cidrs: 'local.cidrs',
  'resourceGroup.id': 'resource_group.id',
};

export function wireName(name: string): string {
  // `localIdentities[0]` → `local.ike_identities[0]`: map the base, keep the index.
  const m = /^([^[]+)(\[.*)?$/.exec(name);
  const base = m?.[1] ?? name;
  const rest = m?.[2] ?? '';
  const hit = WIRE_NAMES[base];
  return (hit ?? base.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)) + rest;
}

/** Codes the IBM dialect emits itself (not domain errors), for /docs/errors and docs/errors.md. */
export const IBM_DIALECT_CODES: Readonly<Record<string, { status: number | string; message: string }>> = {
  invalid_version_range: { status: 400, message: 'The version date is older than the oldest date this server serves.' },
  bad_request: { status: '4xx', message: 'The HTTP request itself is malformed (the framework refused it).' },
  internal_error: { status: 500, message: 'Operation failed. An internal error has occurred.' },
  vpn_gateway_service_connection_not_found: { status: 404, message: 'The service connection was not found (this lab has no transit gateways).' },
};

export class IbmHttpError extends Error {
  constructor(readonly status: number, readonly error: IbmError) {
    super(error.message);
  }
}

/** A dialect-level validation failure (400 unless said otherwise). */
export function ibmInvalid(name: string, message: string, code = 'invalid_value', type: 'field' | 'parameter' | 'header' = 'field', status = 400): IbmHttpError {
  return new IbmHttpError(status, { code, message, target: { type, name } });
}

function moreInfo(publicUrl: string, code: string): string {
  return `${publicUrl}/docs/errors#${code}`;
}

function renderTarget(t: ErrorTarget | undefined): IbmError['target'] {
  if (!t) return undefined;
  const name = t.type === 'field' ? wireName(t.name) : t.name;
  return t.value === undefined ? { type: t.type, name } : { type: t.type, name, value: t.value };
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_value',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

/** Maps anything thrown in the dialect to {status, error}. */
export function toIbmError(err: unknown): { status: number; error: IbmError } {
  if (err instanceof IbmHttpError) return { status: err.status, error: err.error };
  if (DomainError.is(err)) {
    const target = renderTarget(err.target);
    return { status: HTTP_STATUS[err.kind], error: { code: err.code, message: err.message, ...(target ? { target } : {}) } };
  }
  const fe = err as FastifyError & { validationContext?: string };
  if (fe && Array.isArray(fe.validation) && fe.validation.length > 0) {
    const ctx = fe.validationContext ?? 'body';
    const p = describeAjvError(fe.validation[0] as never, ctx);
    const type = ctx === 'body' ? 'field' : ctx === 'headers' ? 'header' : 'parameter';
    return { status: 400, error: { code: p.code, message: p.message, ...(p.name ? { target: { type, name: p.name } } : {}) } };
  }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    return { status, error: { code: (fe.code && FASTIFY_CODES[fe.code]) ?? 'bad_request', message: fe.message } };
  }
  return { status: 500, error: { code: 'internal_error', message: 'Operation failed. An internal error has occurred.' } };
}

export function sendIbmError(request: FastifyRequest, reply: FastifyReply, publicUrl: string, status: number, error: IbmError): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send({ errors: [{ ...error, more_info: moreInfo(publicUrl, error.code) }], trace: request.id, status_code: status });
}

/** Installs the envelope for every error and unknown route inside the IBM plugin. */
export function installIbmErrors(app: FastifyInstance, publicUrl: string): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, error } = toIbmError(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    return sendIbmError(request, reply, publicUrl, status, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendIbmError(request, reply, publicUrl, 404, { code: 'not_found', message: `There is no ${request.method} ${request.url.split('?')[0]} in this API.` }),
  );
}
