import type { CidrSide, ControlPlane } from '../../control/index.js';
import { parseCidrList } from '../../domain/connection.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/tenancy.js';
import { ALL_ROWS, HUAWEI } from './huawei-deps.js';
import { invalid } from './huawei-errors.js';

/** Canonical CIDRs of a list (host bits, duplicates and bad syntax refused as VPN.0001, naming the field). */
export function cidrsOf(list: readonly string[], field: string): string[] {
  try {
    return parseCidrList(list, field).map((c) => c.text);
  } catch (e) {
    if (DomainError.is(e)) throw invalid(`${field}: ${e.message}`);
    throw e;
  }
}

export const checkLocalSubnets = (list: readonly string[]): string[] => cidrsOf(list, 'local_subnets');

/** Replaces one side's CIDRs of a policy connection: adds first, so a side is never empty in between. */
export async function replaceCidrs(
  cp: ControlPlane,
  actor: Actor,
  gatewayId: string,
  id: string,
  side: CidrSide,
  from: readonly string[],
  to: readonly string[],
): Promise<void> {
  for (const c of to) if (!from.includes(c)) await cp.connections.cidr(actor, gatewayId, id, side, c, 'add');
  for (const c of from) if (!to.includes(c)) await cp.connections.cidr(actor, gatewayId, id, side, c, 'remove');
}

/** A gateway's policy connections whose local side follows its local_subnets (no policy_rules) take the new list. */
export async function refreshLocalCidrs(cp: ControlPlane, actor: Actor, gatewayId: string, local: readonly string[]): Promise<void> {
  const page = await cp.connections.list(actor, { gatewayId, kind: 'policy', live: true }, ALL_ROWS, { extras: HUAWEI });
  for (const v of page.items) {
    if (v.extras?.['followsGateway'] !== true) continue;
    await replaceCidrs(cp, actor, gatewayId, v.connection.id, 'local', v.connection.localCidrs, local);
  }
}
