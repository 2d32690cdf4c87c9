import { describe, expect, it } from 'vitest';
import type { ReportedConnection } from '../control/index.js';
import { FULL_REPORT_MS, ReportMemo } from './report-memo.js';

const entry = (id: string, status: 'up' | 'down' = 'up', reasons: ReportedConnection['reasons'] = []): ReportedConnection => ({ id, status, reasons });
const ids = (send: readonly ReportedConnection[]): string[] => send.map((e) => e.id);

describe('ReportMemo', () => {
  const plan = [
    { id: 'a', generation: 5 },
    { id: 'b', generation: 6 },
    { id: 'c', generation: 7 },
  ];
  const all = [entry('a'), entry('b'), entry('c', 'down')];

  it('names every connection first, then only those whose entry changed', () => {
    const memo = new ReportMemo();
    const first = memo.pick(all, plan, 0);
    expect([ids(first.send), first.full]).toEqual([['a', 'b', 'c'], true]);
    memo.applied(first.send, 7, first.full, 0);
    expect(memo.pick(all, plan, 100).send).toEqual([]);
    const next = memo.pick([entry('a'), entry('b', 'down', [{ code: 'peer_not_responding', message: 'gone' }]), entry('c', 'down')], plan, 100);
    expect([ids(next.send), next.full]).toEqual([['b'], false]);
  });

  it('names a connection that changed in the store since the plan its entry was applied with, so it becomes stable', () => {
    const memo = new ReportMemo();
    memo.applied(all, 7, true, 0);
    expect(ids(memo.pick(all, [...plan.slice(0, 2), { id: 'c', generation: 9 }], 100).send)).toEqual(['c']);
    // Applied at 9: named no more.
    memo.applied([all[2]!], 9, false, 100);
    expect(memo.pick(all, [...plan.slice(0, 2), { id: 'c', generation: 9 }], 200).send).toEqual([]);
  });

  it('names a new connection, and any the plan gives no generation for (an older server)', () => {
    const memo = new ReportMemo();
    memo.applied(all.slice(0, 2), 7, true, 0);
    expect(ids(memo.pick(all, plan, 100).send)).toEqual(['c']);
    expect(ids(memo.pick(all.slice(0, 2), [{ id: 'a' }, { id: 'b', generation: 6 }], 100).send)).toEqual(['a']);
  });

  it('does not name a connection whose traffic counters alone changed; the full report carries them', () => {
    const sa = (bytes: number, spi = 'c1'): ReportedConnection['sa'] => ({
      ikeState: 'ESTABLISHED',
      children: [{ uniqueId: '1', state: 'INSTALLED', spiIn: spi, bytesIn: bytes, bytesOut: bytes, packetsIn: bytes, packetsOut: bytes }],
    });
    const withSa = (bytes: number, spi?: string): ReportedConnection => ({ ...entry('a'), sa: sa(bytes, spi) });
    const memo = new ReportMemo();
    memo.applied([withSa(0)], 7, true, 0);
    expect(memo.pick([withSa(840)], plan.slice(0, 1), 100).send).toEqual([]);
    // A new SA (a rekey) is a change: sent, counters and all.
    expect(memo.pick([withSa(840, 'c2')], plan.slice(0, 1), 100).send).toEqual([withSa(840, 'c2')]);
    expect(memo.pick([withSa(900)], plan.slice(0, 1), FULL_REPORT_MS)).toEqual({ send: [withSa(900)], full: true });
  });

  it(`names everything again ${FULL_REPORT_MS / 1000} s after the last full report, and after a report that failed or was refused`, () => {
    const memo = new ReportMemo();
    memo.applied(all, 7, true, 0);
    expect(memo.pick(all, plan, FULL_REPORT_MS - 1).send).toEqual([]);
    expect(memo.pick(all, plan, FULL_REPORT_MS).full).toBe(true);
    memo.applied(all, 7, true, FULL_REPORT_MS);
    memo.forget();
    expect(memo.pick(all, plan, FULL_REPORT_MS + 1)).toEqual({ send: all, full: true });
  });
});
