import type { ErrorKind, ResourceType } from '../domain/errors.js';

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

/** An override for a kind, or for a kind about one resource (`in_use:endpoint_group`). */
type Override = Partial<Record<ErrorKind | `${ErrorKind}:${ResourceType}`, number>>;

/**
 * Where a real API answers a kind with another status, written here next to the table, and only
 * there. IBM answers 400 for a reached quota (`over_quota`); Neutron's OverQuota is 409, as above, but
 * neutron-vpnaas raises EndpointGroupInUse as a BadRequest. Huawei's in-use and quota refusals are 400 VPN.0001.
 * cloud.ca answers only 400, 403, 404, 405 and
 * 500: every refusal of a valid request (quota, conflict, in use) is its 400, a missing key its 403.
 * A full disk stays 507 there too (overrides are 4xx only: it is no fault of the request).
 */
export const DIALECT_STATUS = {
  ibm: { quota: 400 },
  neutron: { 'in_use:endpoint_group': 400 },
  cloudca: { quota: 400, conflict: 400, in_use: 400, precondition: 400, unauthorized: 403 },
  keystone: {},
  agent: {},
  // Huawei answers VPN.0001 (400) for a customer gateway still used, a reached quota and its other refusals.
  huawei: { in_use: 400, quota: 400, precondition: 400 },
} as const satisfies Record<string, Override>;

export type Dialect = keyof typeof DIALECT_STATUS;

/** The HTTP status of an error kind (about a resource, when the error names one) in a dialect. */
export function httpStatus(kind: ErrorKind, dialect: Dialect, resource?: ResourceType): number {
  const o = DIALECT_STATUS[dialect] as Override;
  return (resource !== undefined ? o[`${kind}:${resource}`] : undefined) ?? o[kind] ?? HTTP_STATUS[kind];
}
