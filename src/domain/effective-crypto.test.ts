import { describe, expect, it } from 'vitest';
import type { Connection } from './connection.js';
import { connectionWeakAlgorithms } from './effective-crypto.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';

const conn = (autoSet: Connection['autoSet']): Connection =>
  ({
    id: 'c1',
    kind: 'policy',
    autoSet,
    ikePolicyId: null,
    ipsecPolicyId: null,
  }) as unknown as Connection;

const base = { id: 'p', accountId: 'a', resourceGroupId: 'g', name: 'p', description: '', revision: 1, createdAt: 0, updatedAt: 0 };

const strongIke: IkePolicy = {
  ...base,
  ikeVersion: 2,
  negotiationMode: 'main',
  encryption: ['aes256'],
  integrity: ['sha256'],
  dhGroups: [14],
  lifetimeSeconds: 28800,
};
const weakIke: IkePolicy = { ...strongIke, encryption: ['3des'], integrity: ['md5'], dhGroups: [2] };

const strongIpsec: IpsecPolicy = {
  ...base,
  encryption: ['aes256gcm16'],
  integrity: [],
  pfs: ['none'],
  lifetimeSeconds: 3600,
  transform: 'esp',
  encapsulation: 'tunnel',
};
const weakIpsec: IpsecPolicy = { ...strongIpsec, encryption: ['aes128'], integrity: ['sha1'], pfs: [5] };

describe('connectionWeakAlgorithms', () => {
  it('is empty for the default auto set without policies', () => {
    expect(connectionWeakAlgorithms(conn('auto-2022-09'), undefined, undefined)).toEqual([]);
  });

  it('lists the auto set weak algorithms (IKE then ESP, ESP without PFS) when no policy is attached', () => {
    expect(connectionWeakAlgorithms(conn('auto-2020'), undefined, undefined)).toEqual([
      '3des',
      'sha1',
      'md5',
      'DH group 2',
      'DH group 5',
      '3des',
      'sha1',
      'md5',
    ]);
  });

  it('an attached policy replaces the auto set for its side only', () => {
    expect(connectionWeakAlgorithms(conn('auto-2020'), strongIke, undefined)).toEqual(['3des', 'sha1', 'md5']);
    expect(connectionWeakAlgorithms(conn('auto-2020'), undefined, strongIpsec)).toEqual(['3des', 'sha1', 'md5', 'DH group 2', 'DH group 5']);
    expect(connectionWeakAlgorithms(conn('auto-2020'), strongIke, strongIpsec)).toEqual([]);
  });

  it('reports weak algorithms from the attached policies', () => {
    expect(connectionWeakAlgorithms(conn('auto-2022-09'), weakIke, weakIpsec)).toEqual(['3des', 'md5', 'DH group 2', 'sha1', 'DH group 5']);
    expect(connectionWeakAlgorithms(conn('auto-2022-09'), weakIke, undefined)).toEqual(['3des', 'md5', 'DH group 2']);
  });
});
