import type { DesiredConnection } from '../domain/desired-state.js';
import type { StatusReasonCode } from '../domain/status-reasons.js';
import { classifyLogLine, connectionIdOf } from './failure-classifier.js';
import { SaPeers } from './sa-peers.js';

/** Failures of one CHILD_SA: in a peer group's IKE_SA they concern one connection, not every member. */
const CHILD_CODES: ReadonlySet<StatusReasonCode> = new Set([
  'ipsec_policy_mismatch',
  'ike_v2_local_remote_cidr_mismatch',
  'ike_v1_id_local_remote_cidr_mismatch',
  'internal_error',
]);

/** How many IKE_SAs' CHILDs in flight are remembered (the oldest are forgotten first). */
const KEEP = 1024;

/** One traffic selector as charon prints it (`10.1.8.0/24`, `10.1.8.0/24[tcp/80]`, `fd00::/64`): its CIDR. */
const SELECTOR = /^([0-9a-fA-F.:]+\/\d{1,3})(?:\[[^\]]*\])?$/;

/** The selectors on each side of ` === ` in a line (`traffic selectors A === B unacceptable`), if it has them. */
export function selectorsOf(msg: string): readonly [readonly string[], readonly string[]] | undefined {
  const at = msg.indexOf(' === ');
  if (at < 0) return undefined;
  const cidrs = (words: readonly string[]): string[] => {
    const out: string[] = [];
    for (const w of words) {
      const cidr = SELECTOR.exec(w)?.[1];
      if (!cidr) break;
      out.push(cidr);
    }
    return out;
  };
  const left = cidrs(msg.slice(0, at).split(' ').reverse());
  const right = cidrs(msg.slice(at + 5).split(' '));
  return left.length > 0 && right.length > 0 ? [left, right] : undefined;
}

/** Of `candidates`, those with a CHILD for that selector pair, whichever side charon printed first. */
export function connectionsWithSelectors(pair: readonly [readonly string[], readonly string[]], candidates: readonly DesiredConnection[]): string[] {
  const [a, b] = pair;
  const has = (cidrs: readonly string[], want: readonly string[]): boolean => want.some((w) => cidrs.includes(w));
  return candidates.filter((c) => (has(c.localTs, a) && has(c.remoteTs, b)) || (has(c.localTs, b) && has(c.remoteTs, a))).map((c) => c.connectionId);
}

export interface AttributionContext {
  /** The connections an IKE_SA name stands for: a peer group's members, or the id in a per-connection name. */
  readonly named: (ikeName: string) => readonly string[];
  /** The gateway's desired connections, as of the last reconcile. */
  readonly connections: () => readonly DesiredConnection[];
}

/** One of charon's log lines, as the VICI `log` event gives it. */
export interface LogLine {
  readonly msg: string;
  readonly ikeName: string;
  readonly uniqueId: string;
}

/**
 * Which connections a failure charon logs belongs to. By the IKE_SA's name first; a peer group's
 * IKE_SA carries every member's CHILDs, and a CHILD's failure (no common ESP proposal, traffic
 * selectors refused) is narrowed to the connection it concerns: by the selectors the line names, or,
 * for the peer's answer to a request of this side, by the CHILD this side was establishing on that
 * IKE_SA (charon has one request in flight per IKE_SA). Before, every member got the reason: during
 * a bring-up each refused CHILD of the other side's start action showed on all the group's
 * connections still down, and every report named them all again. An IKE_SA the peer started fails
 * before it has a name (no proposal, no config): by its peer's address.
 */
export class FailureAttribution {
  readonly #peers = new SaPeers();
  /** IKE_SA unique id → the CHILD it is establishing now. */
  readonly #inFlight = new Map<string, string>();

  constructor(private readonly ctx: AttributionContext) {}

  /** Reads one log line; the failure it reports, if any, and the connections it belongs to. */
  read(line: LogLine): { readonly code: StatusReasonCode; readonly ids: readonly string[] } | undefined {
    const { msg, uniqueId } = line;
    this.#peers.note(uniqueId, msg);
    this.#noteChild(uniqueId, msg);
    const code = classifyLogLine(msg);
    if (!code) return undefined;
    const named = this.ctx.named(line.ikeName);
    if (named.length === 0) return { code, ids: this.#connectionsTo(this.#peers.of(uniqueId)) };
    if (named.length === 1 || !CHILD_CODES.has(code)) return { code, ids: named };
    const members = new Set(named);
    const pair = selectorsOf(msg);
    if (pair) {
      const ids = connectionsWithSelectors(
        pair,
        this.ctx.connections().filter((c) => members.has(c.connectionId)),
      );
      return { code, ids: ids.length > 0 ? ids : named };
    }
    // `received … notify`: the peer's answer to this side's request, the CHILD in flight. A refusal
    // of the peer's request without selectors (`no acceptable proposal found`) stays the group's.
    if (!msg.startsWith('received ')) return { code, ids: named };
    const child = this.#inFlight.get(uniqueId);
    this.#inFlight.delete(uniqueId);
    const id = child === undefined ? undefined : connectionIdOf(child);
    return { code, ids: id !== undefined && members.has(id) ? [id] : named };
  }

  #noteChild(uniqueId: string, msg: string): void {
    if (!uniqueId) return;
    const child = /^establishing CHILD_SA (\S+?)\{\d+\}/.exec(msg)?.[1];
    if (child) {
      this.#inFlight.delete(uniqueId);
      this.#inFlight.set(uniqueId, child);
      if (this.#inFlight.size > KEEP) this.#inFlight.delete(this.#inFlight.keys().next().value!);
    } else if (/^CHILD_SA \S+?\{\d+\} established/.test(msg)) this.#inFlight.delete(uniqueId);
  }

  /** The connections of this gateway whose peer is `address`. */
  #connectionsTo(address: string | undefined): readonly string[] {
    if (!address) return [];
    return this.ctx
      .connections()
      .filter((c) => c.remoteAddress === address)
      .map((c) => c.connectionId);
  }
}
