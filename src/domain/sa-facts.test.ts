import { describe, expect, it } from 'vitest';
import { NOTHING_OBSERVED, observedOf, type SaFacts, saTransitions } from './sa-facts.js';

const child = (uniqueId: string, state = 'INSTALLED') => ({
  uniqueId,
  state,
  spiIn: `i${uniqueId}`,
  spiOut: `o${uniqueId}`,
  bytesIn: 10,
  bytesOut: 20,
  packetsIn: 1,
  packetsOut: 2,
});
const facts = (ikeState: string | null, ...children: ReturnType<typeof child>[]): SaFacts => ({ ikeState, ikeInitiator: false, children });

/** Runs a sequence of reports through the diff, as applyAgentReport does, and lists the event types. */
function run(...reports: SaFacts[]): string[] {
  let prev = NOTHING_OBSERVED;
  const out: string[] = [];
  for (const f of reports) {
    const next = observedOf(f, 0);
    out.push(...saTransitions(prev, next, f, []).map((t) => t.type));
    prev = next;
  }
  return out;
}

describe('saTransitions', () => {
  it('up, rekey, down: only transitions', () => {
    expect(run(facts('CONNECTING'), facts('ESTABLISHED'), facts('ESTABLISHED', child('1')), facts('ESTABLISHED', child('1')))).toEqual([
      'ike_sa_up',
      'child_sa_up',
    ]);
    // during a rekey both SAs may be listed: the new unique id is the rekey; the old one leaving is not a down
    expect(run(facts('ESTABLISHED', child('1')), facts('ESTABLISHED', child('1'), child('2')), facts('ESTABLISHED', child('2')))).toEqual([
      'ike_sa_up',
      'child_sa_up',
      'child_sa_rekeyed',
    ]);
    expect(run(facts('ESTABLISHED', child('1')), facts(null))).toEqual(['ike_sa_up', 'child_sa_up', 'child_sa_down', 'ike_sa_down']);
  });

  it('a CHILD_SA not yet installed does not count; counters sum the installed ones', () => {
    expect(run(facts('ESTABLISHED', child('1', 'INSTALLING')))).toEqual(['ike_sa_up']);
    expect(observedOf(facts('ESTABLISHED', child('1'), child('2'), child('3', 'REKEYED')), 7)).toMatchObject({
      applied: 7,
      counters: { bytesIn: 20, bytesOut: 40, packetsIn: 2, packetsOut: 4 },
    });
  });

  it('names the cause: the peer initiated, a rekey, dead peer detection', () => {
    const up = facts('ESTABLISHED', child('1'));
    expect(saTransitions(NOTHING_OBSERVED, observedOf(up, 0), up, []).map((t) => t.cause)).toEqual(['peer', 'peer']);
    const gone = facts(null);
    const dpd = saTransitions(observedOf(up, 0), observedOf(gone, 0), gone, [{ code: 'peer_not_responding', message: '' }]);
    expect(dpd.map((t) => t.cause)).toEqual(['dead peer detection', 'dead peer detection']);
  });
});
