import { describe, expect, it } from 'vitest';
import type { DesiredConnection } from '../domain/desired-state.js';
import { connectionsWithSelectors, FailureAttribution, selectorsOf } from './failure-attribution.js';

const A = '0aac0974-7c7b-489f-b413-a2edcc7ccfd9';
const B = '1dfe40ef-482e-4fc7-938c-9af8c95ae16b';
const C = '38338e57-ab34-44b4-9e02-9cf8d45d800a';
const GROUP = 'cw-peer-466ba38086ce0d1c';

const conn = (id: string, i: number, remoteAddress = '198.51.100.2'): DesiredConnection =>
  ({ connectionId: id, localTs: [`10.2.${i}.0/24`], remoteTs: [`10.1.${i}.0/24`], remoteAddress }) as unknown as DesiredConnection;
const connections = [conn(A, 0), conn(B, 1), conn(C, 2, '203.0.113.9')];

const attribution = (): FailureAttribution =>
  new FailureAttribution({
    named: (name) => (name === GROUP ? [A, B, C] : name.startsWith('cw-') ? [name.slice(3, 39)] : []),
    connections: () => connections,
  });
// Lines as charon 5.9.8 logged them in the tunnel benchmark (both gateways initiate every CHILD).
const line = (msg: string, ikeName = GROUP, uniqueId = '2') => ({ msg, ikeName, uniqueId });

describe('selectorsOf', () => {
  it('reads the selectors on both sides of ===, ports and all', () => {
    expect(selectorsOf('traffic selectors 10.2.17.0/24 === 10.1.17.0/24 unacceptable')).toEqual([['10.2.17.0/24'], ['10.1.17.0/24']]);
    expect(selectorsOf('no matching CHILD_SA config found for 10.1.0.0/24[tcp/80] 10.1.1.0/24 === fd00::/64')).toEqual([
      ['10.1.1.0/24', '10.1.0.0/24'],
      ['fd00::/64'],
    ]);
    expect(selectorsOf('received TS_UNACCEPTABLE notify, no CHILD_SA built')).toBeUndefined();
  });

  it('matches a connection by its CIDRs, whichever side charon printed first', () => {
    expect(connectionsWithSelectors([['10.1.1.0/24'], ['10.2.1.0/24']], connections)).toEqual([B]);
    expect(connectionsWithSelectors([['10.2.1.0/24'], ['10.1.1.0/24']], connections)).toEqual([B]);
    expect(connectionsWithSelectors([['10.2.1.0/24'], ['10.1.2.0/24']], connections)).toEqual([]);
  });
});

describe('FailureAttribution', () => {
  it('gives a refused CHILD of the peer (responder side) to the connection its selectors name', () => {
    expect(attribution().read(line('traffic selectors 10.2.1.0/24 === 10.1.1.0/24 unacceptable'))).toEqual({
      code: 'ike_v2_local_remote_cidr_mismatch',
      ids: [B],
    });
  });

  it('gives a refused CHILD of ours (initiator side) to the CHILD being established on that IKE_SA', () => {
    const f = attribution();
    expect(f.read(line(`establishing CHILD_SA cw-${C}-1{4}`))).toBeUndefined();
    // The peer's own request meanwhile does not change what this side has in flight.
    expect(f.read(line('traffic selectors 10.2.0.0/24 === 10.1.0.0/24 unacceptable'))?.ids).toEqual([A]);
    expect(f.read(line('received TS_UNACCEPTABLE notify, no CHILD_SA built'))?.ids).toEqual([C]);
    // Consumed: a later failure with nothing in flight goes to the whole group, as before.
    expect(f.read(line('received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built'))).toEqual({ code: 'ipsec_policy_mismatch', ids: [A, B, C] });
  });

  it('forgets a CHILD once it is established', () => {
    const f = attribution();
    f.read(line(`establishing CHILD_SA cw-${B}-1{2}`));
    f.read(line(`CHILD_SA cw-${B}-1{2} established with SPIs c3a0_i 81f1_o and TS 10.2.1.0/24 === 10.1.1.0/24`));
    expect(f.read(line('received TS_UNACCEPTABLE notify, no CHILD_SA built'))?.ids).toEqual([A, B, C]);
  });

  it('keeps the whole group for failures of the shared IKE_SA, and selectors no member has', () => {
    const f = attribution();
    f.read(line(`establishing CHILD_SA cw-${B}-1{2}`));
    expect(f.read(line('received AUTHENTICATION_FAILED notify error'))?.ids).toEqual([A, B, C]);
    expect(f.read(line('giving up after 5 retransmits'))?.ids).toEqual([A, B, C]);
    expect(f.read(line('traffic selectors 10.9.0.0/24 === 10.1.0.0/24 unacceptable'))?.ids).toEqual([A, B, C]);
    // Refusing the peer's request names no selectors and concerns no CHILD of ours in flight.
    expect(f.read(line('no acceptable proposal found'))).toEqual({ code: 'ipsec_policy_mismatch', ids: [A, B, C] });
    expect(f.read(line('received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built'))?.ids).toEqual([B]);
  });

  it('a per-connection IKE_SA names its connection; an unnamed one is found by its peer address', () => {
    const f = attribution();
    expect(f.read(line('received TS_UNACCEPTABLE notify, no CHILD_SA built', `cw-${B}`, '7'))?.ids).toEqual([B]);
    f.read(line('received packet: from 203.0.113.9[500] to 198.51.100.3[500] (464 bytes)', '', '8'));
    expect(f.read(line('received proposals unacceptable', '', '8'))).toEqual({ code: 'ike_policy_mismatch', ids: [C] });
    expect(f.read(line('a line that is no failure'))).toBeUndefined();
  });
});
