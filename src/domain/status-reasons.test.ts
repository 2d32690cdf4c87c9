import { describe, expect, it } from 'vitest';
import { STATUS_REASONS, connectionReasons, reason } from './status-reasons.js';

const NO_DP = STATUS_REASONS.data_plane_not_attached;

describe('status reason registry', () => {
  it('holds IBM reason codes plus Causeway own ones, each with a message', () => {
    for (const code of [
      'cannot_authenticate_connection',
      'ike_policy_mismatch',
      'ike_v1_id_local_remote_cidr_mismatch',
      'ike_v2_local_remote_cidr_mismatch',
      'internal_error',
      'ipsec_policy_mismatch',
      'peer_not_responding',
      'data_plane_not_attached',
      'weak_algorithm_in_use',
    ]) {
      expect(STATUS_REASONS).toHaveProperty(code);
    }
    for (const [code, message] of Object.entries(STATUS_REASONS)) {
      expect(code).toMatch(/^[a-z0-9_]+$/);
      expect(message).toMatch(/^[A-Z].*[^.]\.$/); // one sentence (or more), closed by one period
    }
  });
});

describe('reason', () => {
  it('uses the registry message', () => {
    expect(reason('peer_not_responding')).toEqual({ code: 'peer_not_responding', message: STATUS_REASONS.peer_not_responding });
  });

  it('puts a detail in parentheses before the sentence ends', () => {
    expect(reason('weak_algorithm_in_use', 'md5, sha1')).toEqual({
      code: 'weak_algorithm_in_use',
      message: 'The connection uses weak algorithms (md5, sha1).',
    });
  });

  it('reads well with a charon line as the detail: no ".:" and no "..", one closing period', () => {
    const m = reason('ike_policy_mismatch', 'received proposals unacceptable').message;
    expect(m).toBe('Failed to negotiate the IKE (phase 1) proposal; check the IKE policies on both sides (received proposals unacceptable).');
    expect(reason('cannot_authenticate_connection', 'invalid ID_V1 payload length, decryption failed?').message).toBe(
      'Failed to authenticate a connection because of mismatched IKE ID and PSK (invalid ID_V1 payload length, decryption failed?).',
    );
    expect(reason('internal_error', ' unable to install IPsec policies. ').message).toBe(
      'An internal error occurred in the data plane (unable to install IPsec policies).',
    );
    for (const code of Object.keys(STATUS_REASONS) as (keyof typeof STATUS_REASONS)[]) {
      const msg = reason(code, 'a detail.').message;
      expect(msg).not.toMatch(/\.:|\.\.|\. \(/);
      expect(msg).toMatch(/[^.] \(a detail\)\.$/);
    }
  });

  it('ignores an empty detail', () => {
    expect(reason('internal_error', '')).toEqual({ code: 'internal_error', message: STATUS_REASONS.internal_error });
  });
});

describe('connectionReasons', () => {
  const reported = [reason('peer_not_responding')];

  it('passes reported reasons through when a data plane is attached and nothing is weak', () => {
    expect(connectionReasons(reported, [], true, true)).toEqual(reported);
    expect(connectionReasons([], [], true, true)).toEqual([]);
    expect(connectionReasons([], [], true, true, true)).toEqual([reason('bgp_not_running')]);
    expect(connectionReasons([], [], true, false, true)).toEqual([]);
  });

  it('adds data_plane_not_attached when no data plane is attached and the connection is admin-up', () => {
    expect(connectionReasons(reported, [], false, true)).toEqual([...reported, { code: 'data_plane_not_attached', message: NO_DP }]);
  });

  it('does not add data_plane_not_attached for an admin-down connection', () => {
    expect(connectionReasons([], [], false, false)).toEqual([]);
  });

  it('does not add data_plane_not_attached twice', () => {
    const already = [reason('data_plane_not_attached')];
    expect(connectionReasons(already, [], false, true)).toEqual(already);
  });

  it('adds weak_algorithm_in_use with the de-duplicated list, whether up or down, attached or not', () => {
    const weak = ['3des', 'sha1', '3des', 'DH group 2'];
    const expected = { code: 'weak_algorithm_in_use', message: 'The connection uses weak algorithms (3des, sha1, DH group 2).' };
    expect(connectionReasons([], weak, true, true)).toEqual([expected]);
    expect(connectionReasons([], weak, true, false)).toEqual([expected]);
    expect(connectionReasons(reported, weak, false, true)).toEqual([...reported, reason('data_plane_not_attached'), expected]);
  });

  it('does not change the reported list', () => {
    const list = [reason('ike_policy_mismatch')];
    connectionReasons(list, ['md5'], false, true);
    expect(list).toHaveLength(1);
  });
});
