import { describe, expect, it } from 'vitest';
import { classifyLogLine, connectionIdOf } from './failure-classifier.js';

describe('classifyLogLine (fact sheet §6)', () => {
  it.each([
    ['received NO_PROPOSAL_CHOSEN notify error', 'ike_policy_mismatch'],
    ['no IKE config found for 192.0.2.2...192.0.2.1, sending NO_PROPOSAL_CHOSEN', 'ike_policy_mismatch'],
    ['received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built', 'ipsec_policy_mismatch'],
    ['no acceptable proposal found', 'ipsec_policy_mismatch'],
    ['received AUTHENTICATION_FAILED notify error', 'cannot_authenticate_connection'],
    ["tried 1 shared key for 'B' - 'A', but MAC mismatched", 'cannot_authenticate_connection'],
    ["no shared key found for 'A' - 'B'", 'cannot_authenticate_connection'],
    // IKEv1 with another PSK: the peer's encrypted ID payload does not decrypt with ours.
    ['invalid ID_V1 payload length, decryption failed?', 'cannot_authenticate_connection'],
    ['received proposals unacceptable', 'ike_policy_mismatch'],
    ['received TS_UNACCEPTABLE notify, no CHILD_SA built', 'ike_v2_local_remote_cidr_mismatch'],
    ['traffic selectors 10.3.0.0/24 === 10.1.0.0/24 unacceptable', 'ike_v2_local_remote_cidr_mismatch'],
    ['received INVALID_ID_INFORMATION error notify', 'ike_v1_id_local_remote_cidr_mismatch'],
    ['giving up after 3 retransmits', 'peer_not_responding'],
    ['establishing IKE_SA failed, peer not responding', 'peer_not_responding'],
    ['unable to install IPsec policies (SPD) in kernel', 'internal_error'],
    ['received DELETE for IKE_SA cw-peer-0123456789abcdef[4]', 'peer_closed_tunnel'],
    ['received DELETE for ESP CHILD_SA with SPI c1f2a3b4', 'peer_closed_tunnel'],
  ])('%s → %s', (line, code) => expect(classifyLogLine(line)).toBe(code));

  it('ignores ordinary lines', () => {
    expect(classifyLogLine('IKE_SA cw-x[1] established between 198.51.100.2[198.51.100.2]...198.51.100.3[198.51.100.3]')).toBeUndefined();
  });

  it('finds the connection id in conn and child names', () => {
    const id = '0b7d1c2e-1111-4222-8333-444455556666';
    expect(connectionIdOf(`cw-${id}`)).toBe(id);
    expect(connectionIdOf(`cw-${id}-t2`)).toBe(id);
    expect(connectionIdOf(`cw-${id}-3`)).toBe(id);
    expect(connectionIdOf('(unnamed)')).toBeUndefined();
  });
});
