import type { ControlPlane, PageRequest } from '../../control/index.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/tenancy.js';
import { CloudcaError, invalidParameter } from './cloudca-errors.js';
import { DIALECT, gatewayNameFor } from './cloudca-rules.js';
import { gatewayVpcOf } from './sitetositevpn-mapper.js';

/** Every item of a paged list (the lists read here are an account's, bounded by its quotas). */
export async function allOf<T>(list: (req: PageRequest) => Promise<{ items: T[]; next?: readonly [string | number, string] }>): Promise<T[]> {
  const out: T[] = [];
  let after: readonly [string | number, string] | undefined;
  do {
    const page = await list({ limit: 500, sort: 'created_at', desc: false, ...(after ? { after } : {}) });
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

/** The VPC's cloud.ca gateway (live, marked with cloud.ca extras naming this VPC), if it has one. */
export async function markedGateway(cp: ControlPlane, actor: Actor, vpcId: string): Promise<string | undefined> {
  const gws = await cp.gateways.inVpc(actor, vpcId, { extras: DIALECT });
  return gws.find((g) => g.gateway.mode === 'policy' && gatewayVpcOf(g.extras) === vpcId)?.gateway.id;
}

/** Which of these VPCs' gateways are cloud.ca's: gateway id → VPC id (one lookup per VPC). */
export async function markedGateways(cp: ControlPlane, actor: Actor, vpcIds: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const vpcId of new Set(vpcIds)) {
    const id = await markedGateway(cp, actor, vpcId);
    if (id !== undefined) out.set(id, vpcId);
  }
  return out;
}

/** The VPC's CIDRs and name, or a 400 naming vpcId (a VPC in the body that is not there, or has no subnet). */
export async function vpcSide(cp: ControlPlane, actor: Actor, vpcId: string): Promise<{ name: string; subnetIds: readonly string[]; cidrs: string[] }> {
  let found;
  try {
    found = await cp.vpcs.withSubnets(actor, vpcId);
  } catch (e) {
    if (DomainError.is(e) && e.kind === 'not_found') throw invalidParameter('vpcId', `VPC '${vpcId.slice(0, 64)}' was not found in this environment.`, vpcId);
    throw e;
  }
  const { vpc, subnets } = found;
  if (subnets.length === 0) {
    throw invalidParameter('vpcId', `VPC '${vpc.name}' has no subnet: create one first; the VPC's VPN gateway goes in its first subnet.`, vpcId);
  }
  return { name: vpc.name, subnetIds: subnets.map((s) => s.id), cidrs: subnets.map((s) => s.cidr) };
}

/**
 * The VPC's VPN gateway, made on first use like CloudStack's VPC VPN gateway: policy mode, in the
 * VPC's first subnet (by creation time), named `cloudca-<vpc name>`, marked with cloud.ca extras
 * `{vpcId}`. Call inside `control.atomically`, so two first creates make one gateway.
 */
export async function vpcGateway(cp: ControlPlane, actor: Actor, vpcId: string, vpc: { name: string; subnetIds: readonly string[] }): Promise<string> {
  const known = await markedGateway(cp, actor, vpcId);
  if (known !== undefined) return known;
  const first = vpc.subnetIds[0];
  if (first === undefined) throw new CloudcaError(400, 4000, 'The VPC has no subnet.', { field: 'vpcId' });
  const gw = await cp.gateways.create(
    actor,
    { subnetId: first, mode: 'policy', name: gatewayNameFor(vpc.name) },
    { extras: { dialect: DIALECT, data: { vpcId } } },
  );
  return gw.gateway.id;
}
