import { expect } from 'vitest';
import { inNamespace } from '../../src/dataplane/lab/ip-command.js';

/**
 * ping's arguments for `count` echo requests 0.2 s apart that a tunnel must all answer.
 *
 * With `-c` and `-W` alone, once one reply has come, ping waits for the others only twice the slowest
 * round trip so far, and at least the interval: 0.2 s after the last request. A lab tunnel's ESP runs
 * in charon (kernel-libipsec), so on a loaded 2-core CI machine a round trip can take longer, and ping
 * counts a reply the tunnel did deliver as lost. `-w` waits for `count` replies up to its deadline.
 * While a reply is late it sends another request every 0.2 s, so it may send more than `count`:
 * `echoes` reads both numbers.
 */
export const answeredPing = (count: number, deadlineS = 10): string[] => ['-n', '-c', String(count), '-i', '0.2', '-w', String(deadlineS)];

/** ping's summary line: the echo requests it sent and the replies it received (0 and 0 when it printed none). */
export function echoes(out: string): { sent: number; received: number } {
  const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
  return { sent: Number(m?.[1] ?? 0), received: Number(m?.[2] ?? 0) };
}

/** Asserts that ping's output shows at least `count` replies (the output is the failure message). */
export function expectAnswered(out: string, count: number): void {
  expect(echoes(out).received, out).toBeGreaterThanOrEqual(count);
}

/** Pings `target` from namespace `ns` (from address `source`, if given) and asserts that `count` replies came; ping's output. */
export async function pingAnswered(ns: string, target: string, opts: { count?: number; source?: string } = {}): Promise<string> {
  const count = opts.count ?? 3;
  const out = await inNamespace(ns, ['ping', ...answeredPing(count), ...(opts.source ? ['-I', opts.source] : []), target], 30_000);
  expectAnswered(out, count);
  return out;
}
