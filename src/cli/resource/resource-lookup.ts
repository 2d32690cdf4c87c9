import { ApiError, UsageError, type ApiClient } from './api-client.js';

/** The fields every looked-up resource has. */
export interface Named {
  readonly id: string;
  readonly name: string;
  readonly [k: string]: unknown;
}

const ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
export const looksLikeId = (ref: string): boolean => ID.test(ref);

interface Kind {
  readonly label: string;
  readonly code: string;
  readonly path: string;
  readonly key: string;
}

const KINDS = {
  gateway: { label: 'VPN gateway', code: 'vpn_gateway_not_found', path: '/v1/vpn_gateways', key: 'vpn_gateways' },
  ike: { label: 'IKE policy', code: 'ike_policy_not_found', path: '/v1/ike_policies', key: 'ike_policies' },
  ipsec: { label: 'IPsec policy', code: 'ipsec_policy_not_found', path: '/v1/ipsec_policies', key: 'ipsec_policies' },
  vpc: { label: 'VPC', code: 'vpc_not_found', path: '/v1/vpcs', key: 'vpcs' },
  subnet: { label: 'subnet', code: 'subnet_not_found', path: '/v1/subnets', key: 'subnets' },
} as const satisfies Record<string, Kind>;

/** One resource by id (read directly) or by name (listed, optionally filtered): ibmcloud accepts both. */
async function byIdOrName(api: ApiClient, k: Kind, ref: string, where: (x: Named) => boolean = () => true, listPath = k.path): Promise<Named> {
  if (!ref) throw new UsageError(`a ${k.label} id or name is required`);
  if (looksLikeId(ref)) return api.get<Named>(`${listPath}/${ref}`);
  const found = (await api.list<Named>(listPath, k.key)).filter((x) => x.name === ref && where(x));
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new ApiError(`${k.label} '${ref}' was not found.`, k.code, 404);
  throw new UsageError(`${found.length} ${k.label}s are named '${ref}'; give its id (or --vpc)`);
}

export const findVpc = (api: ApiClient, ref: string): Promise<Named> => byIdOrName(api, KINDS.vpc, ref);

/** `--vpc VPC` narrows a name to the resources in that VPC. */
async function inVpc(api: ApiClient, vpc: string | undefined): Promise<(x: Named) => boolean> {
  if (!vpc) return () => true;
  const v = await findVpc(api, vpc);
  return (x) => (x['vpc'] as { id?: string } | undefined)?.id === v.id;
}

export async function findGateway(api: ApiClient, ref: string, vpc?: string): Promise<Named> {
  return byIdOrName(api, KINDS.gateway, ref, await inVpc(api, vpc));
}

export async function findSubnet(api: ApiClient, ref: string, vpc?: string): Promise<Named> {
  return byIdOrName(api, KINDS.subnet, ref, await inVpc(api, vpc));
}

export const findIkePolicy = (api: ApiClient, ref: string): Promise<Named> => byIdOrName(api, KINDS.ike, ref);
export const findIpsecPolicy = (api: ApiClient, ref: string): Promise<Named> => byIdOrName(api, KINDS.ipsec, ref);

/** A connection of a gateway, by id or name. */
export function findConnection(api: ApiClient, gatewayId: string, ref: string): Promise<Named> {
  const k: Kind = { label: 'VPN gateway connection', code: 'vpn_gateway_connection_not_found', path: '', key: 'connections' };
  return byIdOrName(api, k, ref, () => true, `/v1/vpn_gateways/${gatewayId}/connections`);
}
