import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, type ApiClient } from './api-client.js';

interface Reason {
  readonly code: string;
  readonly message: string;
}

/** What a wait ended with: the last resource read, and whether it reached the state waited for. */
export interface WaitResult<T> {
  readonly resource: T;
  readonly ok: boolean;
  readonly why?: string;
}

/** A progress line on stderr: rewritten in place on a terminal, one line per change otherwise. */
class Progress {
  private last = '';
  /** `quiet`: -q, so no progress line either. */
  constructor(private readonly quiet = false) {}
  show(line: string): void {
    if (this.quiet) return;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
    else if (line.replace(/ \d+s$/, '') !== this.last.replace(/ \d+s$/, '')) process.stderr.write(`${line}\n`);
    this.last = line;
  }
  end(): void {
    if (process.stderr.isTTY && this.last) process.stderr.write('\n');
  }
}

const POLL_MS = 1000;
/** A down status with the same reasons this long is the answer (the agent retries a failed negotiation every few seconds). */
const SETTLE_MS = 10_000;
/** Reasons that no retry will clear. */
const FINAL_AT_ONCE = new Set(['data_plane_not_attached']);

const reasonsText = (rs: readonly Reason[]): string => rs.map((r) => r.code).join(', ');

/** Polls a connection until its status is up, or down with the same status reasons for a while, or the timeout. */
export async function waitForConnection(api: ApiClient, path: string, timeoutS: number, quiet = false): Promise<WaitResult<Record<string, unknown>>> {
  const started = Date.now();
  const progress = new Progress(quiet);
  let key = '';
  let since = Date.now();
  try {
    for (;;) {
      const c = await api.get<Record<string, unknown>>(path);
      const status = String(c['status']);
      const reasons = (c['status_reasons'] as Reason[] | undefined) ?? [];
      const elapsed = Math.round((Date.now() - started) / 1000);
      progress.show(`Waiting for connection ${String(c['name'])}: status ${status}${reasons.length ? ` (${reasonsText(reasons)})` : ''} ${elapsed}s`);
      if (status === 'up') return { resource: c, ok: true };
      const k = `${status}|${reasonsText(reasons)}|${String(c['lifecycle_state'])}`;
      if (k !== key) [key, since] = [k, Date.now()];
      const stable = c['lifecycle_state'] === 'stable';
      if (status === 'down' && reasons.length && stable && (reasons.some((r) => FINAL_AT_ONCE.has(r.code)) || Date.now() - since >= SETTLE_MS)) {
        return { resource: c, ok: false, why: reasons.map((r) => `${r.code}: ${r.message}`).join('\n') };
      }
      if (Date.now() - started >= timeoutS * 1000) {
        return { resource: c, ok: false, why: `timed out after ${timeoutS}s; status ${status}${reasons.length ? ` (${reasonsText(reasons)})` : ''}` };
      }
      await sleep(POLL_MS);
    }
  } finally {
    progress.end();
  }
}

/** Polls a gateway until it is available (lifecycle_state stable), failed, or the timeout. */
export async function waitForGateway(api: ApiClient, path: string, timeoutS: number, quiet = false): Promise<WaitResult<Record<string, unknown>>> {
  const started = Date.now();
  const progress = new Progress(quiet);
  try {
    for (;;) {
      const g = await api.get<Record<string, unknown>>(path);
      const state = String(g['lifecycle_state'] ?? g['status']);
      progress.show(`Waiting for VPN gateway ${String(g['name'])}: ${state} ${Math.round((Date.now() - started) / 1000)}s`);
      if (state === 'stable' || state === 'available') return { resource: g, ok: true };
      if (state === 'failed') return { resource: g, ok: false, why: 'the gateway failed' };
      if (Date.now() - started >= timeoutS * 1000) return { resource: g, ok: false, why: `timed out after ${timeoutS}s; lifecycle_state ${state}` };
      await sleep(POLL_MS);
    }
  } finally {
    progress.end();
  }
}

/** A wait that did not reach its state fails the command like an API error would. */
export function waitFailed(what: string, why: string | undefined): ApiError {
  return new ApiError(`${what} did not come up:\n${why ?? ''}`, 'wait_failed', 0);
}
