import type { Connection } from './connection.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';
import { ikeWeakAlgorithms, ipsecWeakAlgorithms } from './policy.js';
import { AUTO_PROPOSALS } from './proposals.js';

/** The weak algorithms a connection can negotiate: from its policies, or from its auto-negotiation set. */
export function connectionWeakAlgorithms(c: Pick<Connection, 'autoSet'>, ike: IkePolicy | undefined, ipsec: IpsecPolicy | undefined): string[] {
  const auto = AUTO_PROPOSALS[c.autoSet];
  const ikeWeak = ike ? ikeWeakAlgorithms(ike) : ikeWeakAlgorithms(auto.ike);
  const espWeak = ipsec ? ipsecWeakAlgorithms(ipsec) : ipsecWeakAlgorithms({ ...auto.esp, pfs: ['none'] });
  return [...ikeWeak, ...espWeak];
}
