import { DomainError, type ErrorKind } from '../../domain/errors.js';

/** An error in Neutron's envelope: {"NeutronError": {type, message, detail}} with its HTTP status. */
export class NeutronError extends Error {
  constructor(readonly status: number, readonly type: string, message: string, readonly detail = '') {
    super(message);
  }
}

export const badRequest = (message: string, type = 'HTTPBadRequest'): NeutronError => new NeutronError(400, type, message);
export const notFound = (type: string, message: string): NeutronError => new NeutronError(404, type, message);
export const conflict = (type: string, message: string): NeutronError => new NeutronError(409, type, message);
export const invalidInput = (attr: string, reason: string): NeutronError => badRequest(`Invalid input for ${attr}. Reason: ${reason}.`);

const KIND_STATUS: Readonly<Record<ErrorKind, [number, string]>> = {
  invalid: [400, 'BadRequest'],
  quota: [409, 'OverQuota'],
  not_found: [404, 'HTTPNotFound'],
  in_use: [409, 'InUse'],
  conflict: [409, 'Conflict'],
  precondition: [412, 'PreconditionFailed'],
  precondition_required: [400, 'BadRequest'],
  too_large: [413, 'RequestEntityTooLarge'],
  unauthorized: [401, 'HTTPUnauthorized'],
};

/** Neutron's exception names where one matches a domain code. */
const TYPES: Partial<Record<string, string>> = {
  vpn_service_in_use: 'VPNServiceInUse', endpoint_group_in_use: 'EndpointGroupInUse', ike_policy_in_use: 'IKEPolicyInUse',
  ipsec_policy_in_use: 'IPsecPolicyInUse', ike_policy_not_found: 'IKEPolicyNotFound', ipsec_policy_not_found: 'IPsecPolicyNotFound',
  vpn_gateway_not_found: 'VPNServiceNotFound', vpn_gateway_connection_not_found: 'IPsecSiteConnectionNotFound',
  endpoint_group_not_found: 'VPNEndpointGroupNotFound', subnet_not_found: 'SubnetNotFound', vpc_not_found: 'NetworkNotFound',
};

/** A domain rule's refusal in Neutron's terms (status from the kind; the message as the domain wrote it). */
export function fromDomain(e: DomainError): NeutronError {
  const [status, type] = KIND_STATUS[e.kind];
  return new NeutronError(status, TYPES[e.code] ?? type, e.message);
}

export function toNeutronError(e: unknown): NeutronError | undefined {
  if (e instanceof NeutronError) return e;
  if (DomainError.is(e)) return fromDomain(e);
  return undefined;
}
