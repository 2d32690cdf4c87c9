/**
 * The one registry of domain error codes. The domain knows no HTTP: each code has a `kind`,
 * and `src/api/http-status.ts` maps kinds to statuses once. Dialects only shape the body.
 * Every code here is listed in docs/errors.md (checked by errors.test.ts).
 */
export const ERROR_KINDS = [
  'invalid',
  'not_found',
  'in_use',
  'conflict',
  'quota',
  'precondition',
  'precondition_required',
  'too_large',
  'unauthorized',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const DOMAIN_ERRORS = {
  invalid_value: { kind: 'invalid', message: 'A value is not valid.' },
  missing_field: { kind: 'invalid', message: 'A required field is missing.' },
  unknown_field: { kind: 'invalid', message: 'The request has a field this API does not know.' },
  invalid_json: { kind: 'invalid', message: 'The request body is not valid JSON.' },
  cidr_overlap: { kind: 'invalid', message: 'CIDRs overlap.' },
  mode_mismatch: { kind: 'invalid', message: 'The operation does not apply to this gateway mode.' },
  weak_algorithm_denied: { kind: 'invalid', message: 'Weak algorithms are refused by this server (crypto.legacy=deny).' },
  algorithm_combination: { kind: 'invalid', message: 'The algorithm combination cannot be used.' },
  over_quota: { kind: 'quota', message: 'The quota for this resource is reached.' },
  name_not_unique: { kind: 'invalid', message: 'The name is already in use.' },
  public_ip_exhausted: { kind: 'conflict', message: 'No public IP address is left in the pool.' },
  subnet_ip_exhausted: { kind: 'conflict', message: 'No private IP address is left in the subnet.' },
  resource_not_ready: { kind: 'conflict', message: 'The resource is not in a state that allows this operation.' },
  resource_deleting: { kind: 'conflict', message: 'The resource is being deleted.' },
  ike_policy_in_use: { kind: 'in_use', message: 'The IKE policy is used by a connection.' },
  ipsec_policy_in_use: { kind: 'in_use', message: 'The IPsec policy is used by a connection.' },
  vpc_in_use: { kind: 'in_use', message: 'The VPC still has subnets or VPN gateways.' },
  subnet_in_use: { kind: 'in_use', message: 'The subnet is still in use (a VPN gateway, a router interface, a VPN service or an endpoint group).' },
  precondition_failed: { kind: 'precondition', message: 'The If-Match header does not match the current ETag.' },
  if_match_required: { kind: 'precondition_required', message: 'This change needs an If-Match header with the current ETag.' },
  request_too_large: { kind: 'too_large', message: 'The request body is too large.' },
  invalid_version: { kind: 'invalid', message: 'The version query parameter is missing or not valid.' },
  invalid_generation: { kind: 'invalid', message: 'The generation query parameter must be 2.' },
  not_authorized: { kind: 'unauthorized', message: 'The request is not authorized.' },
  not_found: { kind: 'not_found', message: 'The resource was not found.' },
  vpc_not_found: { kind: 'not_found', message: 'The VPC was not found.' },
  subnet_not_found: { kind: 'not_found', message: 'The subnet was not found.' },
  resource_group_not_found: { kind: 'not_found', message: 'The resource group was not found.' },
  vpn_gateway_not_found: { kind: 'not_found', message: 'The VPN gateway was not found.' },
  vpn_gateway_connection_not_found: { kind: 'not_found', message: 'The VPN gateway connection was not found.' },
  ike_policy_not_found: { kind: 'not_found', message: 'The IKE policy was not found.' },
  ipsec_policy_not_found: { kind: 'not_found', message: 'The IPsec policy was not found.' },
  cidr_not_found: { kind: 'not_found', message: 'The CIDR is not set on this resource.' },
  endpoint_group_not_found: { kind: 'not_found', message: 'The endpoint group was not found.' },
  endpoint_group_in_use: { kind: 'invalid', message: 'The endpoint group is used by a connection.' },
  vpn_service_in_use: { kind: 'in_use', message: 'The VPN service still has connections.' },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

/** Where in the request a problem is, in domain terms; each dialect renders it in its own spelling. */
export interface ErrorTarget {
  readonly type: 'field' | 'parameter' | 'header';
  readonly name: string;
  readonly value?: unknown;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly kind: ErrorKind;
  readonly target: ErrorTarget | undefined;

  constructor(code: DomainErrorCode, message?: string, target?: ErrorTarget) {
    super(message ?? DOMAIN_ERRORS[code].message);
    this.name = 'DomainError';
    this.code = code;
    this.kind = DOMAIN_ERRORS[code].kind;
    this.target = target;
  }

  static is(e: unknown): e is DomainError {
    return e instanceof DomainError;
  }
}

/** Shorthand for an invalid field value. */
export function invalidField(name: string, message: string, value?: unknown): DomainError {
  return new DomainError('invalid_value', message, { type: 'field', name, ...(value === undefined ? {} : { value }) });
}
