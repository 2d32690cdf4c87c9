import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, echo } from '../../domain/errors.js';
import { BodyError } from '../body-parsers.js';
import { httpStatus } from '../http-status.js';
import { describeAjvError } from '../validation.js';
import { failureLog } from '../failure-log.js';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  507: 'Insufficient Storage',
};

export const AUTH_REQUIRED = 'The request you have made requires authentication.';

/** A Keystone error: {"error": {"code", "title", "message"}} (keystone/exception.py). */
export class KeystoneError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'KeystoneError';
    this.status = status;
  }
}

export const badRequest = (message: string): KeystoneError => new KeystoneError(400, message);
/** Keystone answers every authentication failure with the same words, whatever went wrong. */
export const unauthorized = (): KeystoneError => new KeystoneError(401, AUTH_REQUIRED);
export const notFound = (message: string): KeystoneError => new KeystoneError(404, message);

const PARTS: Readonly<Record<string, string>> = { body: 'field', querystring: 'query parameter', params: 'path parameter', headers: 'header' };

/**
 * A request a route schema refused, in Keystone's words (as its jsonschema validation says them):
 * `Invalid input for field 'auth.identity.methods': must be array.`
 */
export function validationMessage(errors: readonly ErrorObject[], context = 'body'): string {
  const e = errors[0]!;
  const name = describeAjvError(e, context).name || context;
  const detail =
    e.keyword === 'required'
      ? 'it is required'
      : e.keyword === 'anyOf' || e.keyword === 'oneOf'
        ? 'it has none of the accepted shapes'
        : (e.message ?? 'it is not valid');
  return `Invalid input for ${PARTS[context] ?? 'field'} '${name}': ${detail}.`;
}

export function envelope(status: number, message: string): { error: { code: number; title: string; message: string } } {
  return { error: { code: status, title: TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error'), message } };
}

/** Every error under /identity (except IAM's /identity/token) in Keystone's envelope, as application/json. */
export function installKeystoneErrors(app: FastifyInstance, authUrl: string): void {
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type('application/json')
      .send(envelope(404, `The resource could not be found: ${req.method} ${echo(req.url.split('?')[0])}`));
  });
  app.setErrorHandler((err: FastifyError & { validationContext?: string }, req, reply) => {
    let status: number;
    let message: string;
    if (Array.isArray(err.validation) && err.validation.length > 0) {
      status = 400;
      message = validationMessage(err.validation as ErrorObject[], err.validationContext);
    } else if (err instanceof KeystoneError) {
      status = err.status;
      message = err.message;
    } else if (DomainError.is(err)) {
      status = httpStatus(err.kind, 'keystone', err.subject?.resource);
      message = status === 401 ? AUTH_REQUIRED : err.message;
      if (status >= 500) req.log.error(failureLog(err), 'keystone request failed');
    } else if (err instanceof BodyError) {
      status = 400;
      message = err.message;
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      message = err.message;
    } else {
      req.log.error(failureLog(err), 'keystone request failed');
      status = 500;
      message = 'An unexpected error prevented the server from fulfilling your request.';
    }
    if (status === 401) void reply.header('www-authenticate', `Keystone uri="${authUrl}"`);
    return reply.code(status).type('application/json').send(envelope(status, message));
  });
}
