import type { ErrorKind } from '../domain/errors.js';

/** The one table from domain error kinds to HTTP statuses, for every dialect. */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  not_found: 404,
  in_use: 409,
  conflict: 409,
  quota: 409,
  precondition: 412,
  unauthorized: 401,
  forbidden: 403,
  storage_full: 507,
};

/**
 * Where a real API answers a kind with another status, written here next to the table, and only
 * there. IBM answers 400 for a reached quota (`over_quota`); Neutron's OverQuota is 409, as above.
 */
export const DIALECT_STATUS = {
  ibm: { quota: 400 },
  neutron: {},
  keystone: {},
} as const satisfies Record<string, Partial<Record<ErrorKind, number>>>;

export type Dialect = keyof typeof DIALECT_STATUS;

/** The HTTP status of an error kind in a dialect. */
export function httpStatus(kind: ErrorKind, dialect: Dialect): number {
  return (DIALECT_STATUS[dialect] as Partial<Record<ErrorKind, number>>)[kind] ?? HTTP_STATUS[kind];
}
