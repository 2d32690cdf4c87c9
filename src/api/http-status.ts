import type { ErrorKind } from '../domain/errors.js';

/** The one table from domain error kinds to HTTP statuses. Dialects shape bodies, not statuses. */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  quota: 400,
  not_found: 404,
  in_use: 409,
  conflict: 409,
  precondition: 412,
  precondition_required: 428,
  too_large: 413,
  unauthorized: 401,
};
