import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DOMAIN_ERRORS, DomainError, echo, type ErrorTarget, type ResourceType } from '../../domain/errors.js';
import { BodyError } from '../body-parsers.js';
import { httpStatus } from '../http-status.js';
import { describeAjvError } from '../validation.js';
import { failureLog } from '../failure-log.js';

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

/** How IBM names the domain's resources in its `<resource>_not_found` / `<resource>_in_use` codes. */
const IBM_RESOURCE: Readonly<Record<ResourceType, string>> = {
  account: 'account',
  user: 'user',
  resource_group: 'resource_group',
  vpc: 'vpc',
  subnet: 'subnet',
  vpn_gateway: 'vpn_gateway',
  connection: 'vpn_gateway_connection',
  ike_policy: 'ike_policy',
  ipsec_policy: 'ipsec_policy',
  cidr: 'cidr',
  endpoint_group: 'endpoint_group',
  router: 'router',
  router_interface: 'router_interface',
  port: 'port',
  network: 'network',
  dialect_object: 'dialect_object',
  routing_table: 'routing_table',
  route: 'route',
};

/** The `<resource>_not_found` and `<resource>_in_use` codes the IBM API can answer (the objects it shows). */
type CodeDoc = { status: number; message: string };
const objectCode = (r: keyof typeof IBM_RESOURCE, kind: 'not_found' | 'in_use'): [string, CodeDoc] => [
  `${IBM_RESOURCE[r]}_${kind}`,
  {
    status: httpStatus(kind, 'ibm'),
    message: `The ${IBM_RESOURCE[r].replace(/_/g, ' ')} ${kind === 'not_found' ? 'was not found' : 'is still in use'}.`,
  },
];
export const IBM_OBJECT_CODES: Readonly<Record<string, CodeDoc>> = Object.fromEntries([
  ...(['vpc', 'subnet', 'resource_group', 'vpn_gateway', 'connection', 'ike_policy', 'ipsec_policy', 'cidr', 'account', 'routing_table', 'route'] as const).map(
    (r) => objectCode(r, 'not_found'),
  ),
  ...(['ike_policy', 'ipsec_policy', 'vpc', 'subnet', 'vpn_gateway', 'connection', 'routing_table'] as const).map((r) => objectCode(r, 'in_use')),
]);

/** The IBM code of a domain error: `<resource>_not_found` and `<resource>_in_use` name the object; others are the domain's own code. */
export function ibmCode(e: DomainError): string {
  if (e.subject && (e.kind === 'not_found' || e.kind === 'in_use')) return `${IBM_RESOURCE[e.subject.resource]}_${e.kind}`;
  return e.code;
}

/** Codes the IBM dialect emits itself (not domain errors), for /docs/errors and docs/errors.md. */
export const IBM_DIALECT_CODES: Readonly<Record<string, { status: number | string; message: string }>> = {
  invalid_version: { status: 400, message: 'The version query parameter is missing or not a valid date.' },
  invalid_version_range: { status: 400, message: 'The version date is older than the oldest date this server serves.' },
  invalid_generation: { status: 400, message: 'The generation query parameter must be 2.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON (or not UTF-8).' },
  missing_field: { status: 400, message: 'A required field is missing.' },
  unknown_field: { status: 400, message: 'The request has a field this API does not know.' },
  if_match_required: { status: 428, message: 'This change needs an If-Match header with the current ETag.' },
  request_too_large: { status: 413, message: 'The request body is too large.' },
  bad_request: { status: '4xx', message: 'The HTTP request itself is malformed (the framework refused it).' },
  internal_error: { status: 500, message: 'Operation failed. An internal error has occurred.' },
  vpn_gateway_service_connection_not_found: { status: 404, message: 'The service connection was not found (this lab has no transit gateways).' },
  region_not_found: { status: 404, message: 'The region was not found.' },
  zone_not_found: { status: 404, message: 'The zone was not found.' },
};

export class IbmHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: IbmError,
  ) {
    super(error.message);
  }
}

/** A dialect-level validation failure (400 unless said otherwise). */
export function ibmInvalid(
  name: string,
  message: string,
  code = 'invalid_value',
  type: 'field' | 'parameter' | 'header' = 'field',
  status = 400,
): IbmHttpError {
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
    return { status: httpStatus(err.kind, 'ibm', err.subject?.resource), error: { code: ibmCode(err), message: err.message, ...(target ? { target } : {}) } };
  }
  if (err instanceof BodyError) return { status: 400, error: { code: 'invalid_json', message: err.message } };
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

/** Every code the IBM dialect can answer, with its status and meaning: the rows of `/docs/errors` (each error's `more_info`). */
export function ibmErrorCatalogue(): readonly (readonly [code: string, status: number | string, message: string])[] {
  return [
    ...Object.entries(DOMAIN_ERRORS).map(([code, e]) => [code, httpStatus(e.kind, 'ibm'), e.message] as const),
    ...Object.entries(IBM_OBJECT_CODES).map(([code, e]) => [code, e.status, e.message] as const),
    ...Object.entries(IBM_DIALECT_CODES).map(([code, e]) => [code, e.status, e.message] as const),
  ];
}

/** Installs the envelope for every error and unknown route inside the IBM plugin. */
export function installIbmErrors(app: FastifyInstance, publicUrl: string): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, error } = toIbmError(err);
    if (status >= 500) request.log.error(failureLog(err), 'request failed');
    return sendIbmError(request, reply, publicUrl, status, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendIbmError(request, reply, publicUrl, 404, {
      code: 'not_found',
      message: `There is no ${request.method} ${echo(request.url.split('?')[0])} in this API.`,
    }),
  );
}
