import { DomainError, echo, type ResourceType } from '../../domain/errors.js';
import { BodyError } from '../body-parsers.js';
import { httpStatus } from '../http-status.js';

/** An error in Neutron's envelope: {"NeutronError": {type, message, detail}} with its HTTP status. */
export class NeutronError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly detail = '',
  ) {
    super(message);
  }
}

export const badRequest = (message: string, type = 'HTTPBadRequest'): NeutronError => new NeutronError(400, type, message);
export const notFound = (type: string, message: string): NeutronError => new NeutronError(404, type, message);
export const conflict = (type: string, message: string): NeutronError => new NeutronError(409, type, message);
/** Neutron's attribute message; the bad value is echoed cut short (a 1 MB value gets a short answer). */
export const invalidInput = (attr: string, reason: string): NeutronError => badRequest(`Invalid input for ${attr}. Reason: ${reason}.`);
export const forbidden = (message: string): NeutronError => new NeutronError(403, 'PolicyNotAuthorized', message);
export { echo };

/** Neutron's exception and message for "not found", by the resource the domain names. */
const NOT_FOUND: Readonly<Partial<Record<ResourceType, [string, (id: string) => string]>>> = {
  vpn_gateway: ['VPNServiceNotFound', (id) => `VPNService ${id} could not be found`],
  connection: ['IPsecSiteConnectionNotFound', (id) => `ipsec_site_connection ${id} not found`],
  ike_policy: ['IKEPolicyNotFound', (id) => `IKEPolicy ${id} could not be found`],
  ipsec_policy: ['IPsecPolicyNotFound', (id) => `IPsecPolicy ${id} could not be found`],
  endpoint_group: ['VPNEndpointGroupNotFound', (id) => `Endpoint group ${id} could not be found`],
  vpc: ['NetworkNotFound', (id) => `Network ${id} could not be found.`],
  network: ['NetworkNotFound', (id) => `Network ${id} could not be found.`],
  subnet: ['SubnetNotFound', (id) => `Subnet ${id} could not be found.`],
  router: ['RouterNotFound', (id) => `Router ${id} could not be found`],
  port: ['PortNotFound', (id) => `Port ${id} could not be found.`],
  router_interface: ['RouterInterfaceNotFound', (id) => `Router interface ${id} could not be found.`],
  account: ['ProjectNotFound', (id) => `Project ${id.replace(/-/g, '')} could not be found`],
};

/** Neutron's exception for "still in use", and its wording where Neutron has a fixed one. */
const IN_USE: Readonly<Partial<Record<ResourceType, { type: string; message?: (id: string) => string }>>> = {
  vpn_gateway: { type: 'VPNServiceInUse', message: (id) => `VPNService ${id} is still in use` },
  ike_policy: { type: 'IKEPolicyInUse', message: (id) => `IKEPolicy ${id} is in use by existing IPsecSiteConnection and can't be updated or deleted` },
  ipsec_policy: { type: 'IPsecPolicyInUse', message: (id) => `IPsecPolicy ${id} is in use by existing IPsecSiteConnection and can't be updated or deleted` },
  endpoint_group: { type: 'EndpointGroupInUse', message: (id) => `Endpoint group ${id} is in use and cannot be deleted` },
  vpc: { type: 'NetworkInUse', message: (id) => `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.` },
  network: { type: 'NetworkInUse' },
  subnet: { type: 'SubnetInUse' },
  router: { type: 'RouterInUse' },
};

/** Neutron's exception for a domain code, where one matches. */
const BY_CODE: Readonly<Partial<Record<DomainError['code'], string>>> = {
  router_has_no_gateway: 'RouterIsNotExternal',
  subnet_not_on_router: 'SubnetIsNotConnectedToRouter',
  router_has_no_subnet: 'RouterHasNoSubnet',
  over_quota: 'OverQuota',
  not_permitted: 'PolicyNotAuthorized',
  storage_full: 'HTTPInsufficientStorage',
  concurrent_update: 'Conflict',
};

const BY_KIND: Readonly<Record<DomainError['kind'], string>> = {
  invalid: 'BadRequest',
  not_found: 'HTTPNotFound',
  in_use: 'InUse',
  conflict: 'Conflict',
  quota: 'OverQuota',
  precondition: 'PreconditionFailed',
  unauthorized: 'HTTPUnauthorized',
  forbidden: 'PolicyNotAuthorized',
  storage_full: 'HTTPInsufficientStorage',
};

/** A domain refusal in Neutron's terms: the status from the kind (one table), the exception type and wording from the resource or code. */
export function fromDomain(e: DomainError): NeutronError {
  const status = httpStatus(e.kind, 'neutron', e.subject?.resource);
  const s = e.subject;
  if (e.kind === 'not_found' && s) {
    const nf = NOT_FOUND[s.resource];
    if (nf) return new NeutronError(status, nf[0], s.id !== undefined && s.resource !== 'router_interface' ? nf[1](echo(s.id)) : e.message);
  }
  if (e.kind === 'in_use' && s && IN_USE[s.resource]) {
    const u = IN_USE[s.resource]!;
    return new NeutronError(status, u.type, u.message && s.id !== undefined ? u.message(echo(s.id)) : e.message);
  }
  if (e.code === 'public_ip_exhausted')
    return new NeutronError(status, e.target?.name === 'externalGateway.address' ? 'IpAddressAlreadyAllocated' : 'IpAddressGenerationFailure', e.message);
  return new NeutronError(status, BY_CODE[e.code] ?? BY_KIND[e.kind], e.message);
}

export function toNeutronError(e: unknown): NeutronError | undefined {
  if (e instanceof NeutronError) return e;
  if (DomainError.is(e)) return fromDomain(e);
  if (e instanceof BodyError) return badRequest(`Malformed request body: ${e.message}`);
  return undefined;
}
