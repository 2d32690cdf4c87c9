import { describe, expect, it } from 'vitest';
import { checkIkeCrypto, checkIpsecCrypto, ikeWeakAlgorithms, ipsecWeakAlgorithms } from './policy.js';
import { AUTO_PROPOSALS, AUTO_SETS, DEFAULT_AUTO_SET } from './proposals.js';

describe('auto-negotiation proposal sets', () => {
  it('the default is auto-2022-09', () => {
    expect(DEFAULT_AUTO_SET).toBe('auto-2022-09');
    expect(AUTO_SETS).toContain(DEFAULT_AUTO_SET);
    expect(Object.keys(AUTO_PROPOSALS).sort()).toEqual([...AUTO_SETS].sort());
  });

  it.each(AUTO_SETS)('%s is crypto strongSwan can run as IKEv2 without PFS', (set) => {
    const p = AUTO_PROPOSALS[set];
    expect(() => checkIkeCrypto({ ikeVersion: 2, ...p.ike }, 'allow')).not.toThrow();
    expect(() => checkIpsecCrypto({ ...p.esp, pfs: ['none'] }, 'allow')).not.toThrow();
  });

  it('auto-2022-09 has no weak algorithms, so it passes crypto.legacy=deny', () => {
    const p = AUTO_PROPOSALS['auto-2022-09'];
    expect(ikeWeakAlgorithms(p.ike)).toEqual([]);
    expect(ipsecWeakAlgorithms({ ...p.esp, pfs: ['none'] })).toEqual([]);
    expect(() => checkIkeCrypto({ ikeVersion: 2, ...p.ike }, 'deny')).not.toThrow();
  });

  it('auto-2020 (seed 000) carries weak algorithms', () => {
    const p = AUTO_PROPOSALS['auto-2020'];
    expect(ikeWeakAlgorithms(p.ike)).toEqual(['3des', 'sha1', 'md5', 'DH group 2', 'DH group 5']);
    expect(ipsecWeakAlgorithms({ ...p.esp, pfs: ['none'] })).toEqual(['3des', 'sha1', 'md5']);
  });
});
