import { checkSelectors, type Connection } from '../domain/connection.js';
import { parseCidr } from '../domain/cidr.js';
import { DomainError, notFound } from '../domain/errors.js';
import { checkConnectionQuotas } from './create-connection.js';
import type { Tx } from './tx.js';
import { loadConnection, saveConnection } from './update-connection.js';

export type CidrSide = 'local' | 'peer';
export type CidrOp = 'check' | 'add' | 'remove';

function parseParam(text: string): string {
  const p = parseCidr(text);
  if (!p.ok) throw new DomainError('invalid_value', `'${text}' is not a valid CIDR: it ${p.reason}.`, { type: 'parameter', name: 'cidr', value: text });
  if (p.hostBitsSet)
    throw new DomainError('invalid_value', `'${text}' has host bits set; did you mean '${p.cidr.text}'?`, { type: 'parameter', name: 'cidr', value: text });
  return p.cidr.text;
}

function requirePolicyKind(c: Connection): void {
  if (c.kind !== 'policy')
    throw new DomainError('mode_mismatch', 'Local and peer CIDRs apply to policy-based connections only; route-based connections follow routes.');
}

/**
 * The CIDR sub-resources of a policy connection. Returns 'exists' (check hit, or add of a present
 * CIDR), 'added' or 'removed'; a check or remove of an absent CIDR throws not_found (cidr).
 */
export async function editConnectionCidr(
  tx: Tx,
  gatewayId: string,
  id: string,
  side: CidrSide,
  cidrText: string,
  op: CidrOp,
): Promise<'exists' | 'added' | 'removed'> {
  const cidr = parseParam(cidrText);
  const c = await loadConnection(tx, gatewayId, id, op !== 'check');
  requirePolicyKind(c);
  const list = side === 'local' ? c.localCidrs : c.peerCidrs;
  const has = list.includes(cidr);
  if (!has && op !== 'add') throw notFound('cidr', cidr, `CIDR ${cidr} is not a ${side} CIDR of this connection.`);
  if (op === 'check' || (op === 'add' && has)) return 'exists';
  const nextList = op === 'add' ? [...list, cidr] : list.filter((x) => x !== cidr);
  if (nextList.length === 0) {
    throw new DomainError('invalid_value', `CIDR ${cidr} is the last ${side} CIDR; a policy-based connection needs at least one.`, {
      type: 'parameter',
      name: 'cidr',
      value: cidr,
    });
  }
  const next: Connection = { ...c, ...(side === 'local' ? { localCidrs: nextList } : { peerCidrs: nextList }) };
  checkSelectors(next.localCidrs, next.peerCidrs);
  await checkConnectionQuotas(tx, next, c);
  await saveConnection(tx, c, next);
  return op === 'add' ? 'added' : 'removed';
}

export async function listConnectionCidrs(tx: Tx, gatewayId: string, id: string, side: CidrSide): Promise<readonly string[]> {
  const c = await loadConnection(tx, gatewayId, id, false);
  requirePolicyKind(c);
  return side === 'local' ? c.localCidrs : c.peerCidrs;
}
