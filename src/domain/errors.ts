/**
 * The one registry of domain error codes, in Causeway's own words. The domain knows no HTTP and no
 * dialect: each code has a `kind`; `src/api/http-status.ts` maps kinds to statuses once, and each
 * dialect names the error in its own vocabulary from (code, kind, resource). IBM's
 * `vpn_gateway_not_found`, Neutron's `VPNServiceNotFound` and a future `VPN.0004` are all
 * `not_found` about a `vpn_gateway`. Every code here is listed in docs/errors.md (errors.test.ts).
 */
export const ERROR_KINDS = ['invalid', 'not_found', 'in_use', 'conflict', 'quota', 'precondition', 'unauthorized', 'forbidden', 'storage_full'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** What an error can be about. Dialects name these in their own words (IBM: `vpn_gateway_connection`). */
export const RESOURCE_TYPES = [
  'account',
  'user',
  'resource_group',
  'vpc',
  'subnet',
  'vpn_gateway',
  'connection',
  'ike_policy',
  'ipsec_policy',
  'cidr',
  'endpoint_group',
  'router',
  'router_interface',
  'port',
  'network',
  'dialect_object',
  'routing_table',
  'route',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const DOMAIN_ERRORS = {
  invalid_value: { kind: 'invalid', message: 'A value is not valid.' },
  cidr_overlap: { kind: 'invalid', message: 'CIDRs overlap.' },
  mode_mismatch: { kind: 'invalid', message: 'The operation does not apply to this gateway mode.' },
  weak_algorithm_denied: { kind: 'invalid', message: 'Weak algorithms are refused by this server (crypto.legacy=deny).' },
  algorithm_combination: { kind: 'invalid', message: 'The algorithm combination cannot be used.' },
  name_not_unique: { kind: 'invalid', message: 'The name is already in use.' },
  router_has_no_gateway: { kind: 'invalid', message: 'The router has no external gateway.' },
  router_has_no_subnet: { kind: 'invalid', message: 'The router has no subnet to place a VPN gateway in.' },
  subnet_not_on_router: { kind: 'invalid', message: 'The subnet is not attached to the router.' },
  over_quota: { kind: 'quota', message: 'The quota for this resource is reached.' },
  public_ip_exhausted: { kind: 'conflict', message: 'No public IP address is left in the pool.' },
  subnet_ip_exhausted: { kind: 'conflict', message: 'No private IP address is left in the subnet.' },
  resource_not_ready: { kind: 'conflict', message: 'The resource is not in a state that allows this operation.' },
  resource_deleting: { kind: 'conflict', message: 'The resource is being deleted.' },
  concurrent_update: { kind: 'conflict', message: 'The resource was changed by another request at the same time; read it again and retry.' },
  default_routing_table: { kind: 'conflict', message: 'The default routing table of a VPC cannot be deleted.' },
  in_use: { kind: 'in_use', message: 'The resource is still in use.' },
  not_found: { kind: 'not_found', message: 'The resource was not found.' },
  precondition_failed: { kind: 'precondition', message: 'The If-Match header does not match the current ETag.' },
  not_authorized: { kind: 'unauthorized', message: 'The request is not authorized.' },
  not_permitted: { kind: 'forbidden', message: 'The caller may not do this.' },
  storage_full: { kind: 'storage_full', message: "The server's storage is full; nothing was changed. Free disk space and retry." },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

/** Where in the request a problem is, in domain terms; each dialect renders it in its own spelling. */
export interface ErrorTarget {
  readonly type: 'field' | 'parameter' | 'header';
  readonly name: string;
  readonly value?: unknown;
}

/** The object an error is about (not_found, in_use): its type and, when known, its id. */
export interface ErrorSubject {
  readonly resource: ResourceType;
  readonly id?: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly kind: ErrorKind;
  readonly target: ErrorTarget | undefined;
  readonly subject: ErrorSubject | undefined;

  constructor(code: DomainErrorCode, message?: string, target?: ErrorTarget, subject?: ErrorSubject) {
    super(message ?? DOMAIN_ERRORS[code].message);
    this.name = 'DomainError';
    this.code = code;
    this.kind = DOMAIN_ERRORS[code].kind;
    this.target = target;
    this.subject = subject;
  }

  static is(e: unknown): e is DomainError {
    return e instanceof DomainError;
  }
}

/** Shorthand for an invalid field value. */
export function invalidField(name: string, message: string, value?: unknown): DomainError {
  return new DomainError('invalid_value', message, { type: 'field', name, ...(value === undefined ? {} : { value }) });
}

/** How the domain names each resource in its own messages. */
export const RESOURCE_NOUNS: Readonly<Record<ResourceType, string>> = {
  account: 'Account',
  user: 'User',
  resource_group: 'Resource group',
  vpc: 'VPC',
  subnet: 'Subnet',
  vpn_gateway: 'VPN gateway',
  connection: 'Connection',
  ike_policy: 'IKE policy',
  ipsec_policy: 'IPsec policy',
  cidr: 'CIDR',
  endpoint_group: 'Endpoint group',
  router: 'Router',
  router_interface: 'Router interface',
  port: 'Port',
  network: 'Network',
  dialect_object: 'Object',
  routing_table: 'Routing table',
  route: 'Route',
};

/** Ids are echoed only this long in messages: a client sending a megabyte gets a short answer. */
export const ECHO_MAX = 80;

/** A value as messages may echo it: cut short when long. */
export function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > ECHO_MAX ? `${text.slice(0, ECHO_MAX)}…` : text;
}

/** `<Resource> '<id>' was not found.`: what every missing (or another account's) object answers. */
export function notFound(resource: ResourceType, id: string, message?: string, target?: ErrorTarget): DomainError {
  return new DomainError('not_found', message ?? `${RESOURCE_NOUNS[resource]} '${echo(id)}' was not found.`, target, { resource, id });
}

/** The object is still used by something that must go first. */
export function inUse(resource: ResourceType, id: string, message: string): DomainError {
  return new DomainError('in_use', message, undefined, { resource, id });
}
