import { describe, expect, it } from 'vitest';
import type { ViciNamedSection } from '../dataplane/vici/index.js';
import { connectionIdOf } from './failure-classifier.js';
import { saFactsOf } from './sa-facts-reader.js';

const A = '11111111-2222-4333-8444-555555555555';
const B = '66666666-7777-4888-9999-aaaaaaaaaaaa';

describe('saFactsOf', () => {
  it('maps list-sas onto connections: IKE state, initiator, children with ids, SPIs and counters', () => {
    const sas: ViciNamedSection[] = [
      {
        name: `cw-${A}`,
        value: {
          uniqueid: '3',
          state: 'ESTABLISHED',
          initiator: 'yes',
          'child-sas': {
            [`cw-${A}-7`]: {
              name: `cw-${A}`,
              uniqueid: '7',
              state: 'INSTALLED',
              'spi-in': 'c1a2b3c4',
              'spi-out': 'd1e2f3a4',
              'bytes-in': '840',
              'bytes-out': '840',
              'packets-in': '10',
              'packets-out': '10',
            },
          },
        },
      },
      // a peer group's IKE_SA being rekeyed: the ESTABLISHED one wins; B has no CHILD
      { name: 'cw-group-1', value: { uniqueid: '4', state: 'REKEYED' } },
      { name: 'cw-group-1', value: { uniqueid: '5', state: 'ESTABLISHED' } },
    ];
    const facts = saFactsOf(sas, connectionIdOf, new Map([['cw-group-1', [B]]]));
    expect(facts.get(A)).toEqual({
      ikeState: 'ESTABLISHED',
      ikeInitiator: true,
      children: [{ uniqueId: '7', state: 'INSTALLED', spiIn: 'c1a2b3c4', spiOut: 'd1e2f3a4', bytesIn: 840, bytesOut: 840, packetsIn: 10, packetsOut: 10 }],
    });
    expect(facts.get(B)).toEqual({ ikeState: 'ESTABLISHED', ikeInitiator: false, children: [] });
  });

  it('knows nothing of a connection charon has no SA for', () => {
    expect(saFactsOf([], connectionIdOf, new Map()).size).toBe(0);
  });
});
