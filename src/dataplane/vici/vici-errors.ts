/**
 * The VICI client's errors. Every error the client throws is a {@link ViciError}; callers branch on the
 * subclass:
 *
 * - {@link ViciDecodeError} / {@link ViciEncodeError}: bytes that break the wire rules (fact sheet §1.3),
 *   received or about to be sent. A decode error on a live connection resets that connection.
 * - {@link ViciSessionError}: the conversation went wrong (unexpected packet, timeout);
 *   {@link ViciConnectionError}: there is no connection (lost, not yet open, closed for good).
 * - {@link ViciCommandError}: charon answered `success = no`; carries `errmsg`.
 * - {@link ViciUnknownCommandError} / {@link ViciUnknownEventError}: CMD_UNKNOWN / EVENT_UNKNOWN.
 */
import type { ViciMessage } from './vici-codec.js';
import type { ViciLogLine } from './vici-event-stream.js';

/** Base class of every error the VICI client throws. */
export class ViciError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

/** Received bytes that are not a valid segment, packet or message; `offset` is where decoding stopped. */
export class ViciDecodeError extends ViciError {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}

/** An outbound message or packet that charon would reject or misread (too long, bad value type, …). */
export class ViciEncodeError extends ViciError {
  constructor(
    message: string,
    /** The key path of the offending element, e.g. `conn1.children.net1.local_ts`. */
    readonly path?: string,
  ) {
    super(path === undefined || path === '' ? message : `${path}: ${message}`);
  }
}

/** The request/response conversation broke: an unexpected packet type, or no answer in time. */
export class ViciSessionError extends ViciError {}

/** The command did not get an answer within the session's request timeout; the connection was reset. */
export class ViciTimeoutError extends ViciSessionError {}

/** No usable connection: not connected yet and closed for good, or lost while a request was pending. */
export class ViciConnectionError extends ViciSessionError {}

/** charon answered a command with `success = no`. */
export class ViciCommandError extends ViciError {
  constructor(
    readonly command: string,
    /** charon's `errmsg`, or '' when it sent none. */
    readonly errmsg: string,
    /** The whole response (e.g. `matches`/`terminated` for `terminate`). */
    readonly response: ViciMessage,
    /** `control-log` lines collected during `initiate`/`terminate`; the cause is usually here (§6). */
    readonly log: readonly ViciLogLine[] = [],
  ) {
    super(`vici '${command}' failed: ${errmsg || 'no errmsg given'}`);
  }
}

/** charon does not know the command (CMD_UNKNOWN). */
export class ViciUnknownCommandError extends ViciError {
  constructor(readonly command: string) {
    super(`vici command '${command}' is unknown to charon`);
  }
}

/** charon does not know the event, or we unregistered an event we were not registered for (EVENT_UNKNOWN). */
export class ViciUnknownEventError extends ViciError {
  constructor(readonly event: string) {
    super(`vici event '${event}' is unknown to charon`);
  }
}

/** Anything caught, as an Error (a rejection reason must be one). */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(typeof e === 'string' ? e : JSON.stringify(e));
}
