/**
 * VICI segments and packets (fact sheet §1.1, §1.2). Pure: no I/O.
 *
 * A segment is `uint32 BE length` + `length` bytes (the length excludes the 4-byte header), at most
 * {@link VICI_MAX_PAYLOAD} bytes. Each segment carries exactly one packet: a type byte, then for named
 * types `nameLen(u8) name`, then the message body.
 */
import { ViciDecodeError, ViciEncodeError } from './vici-errors.js';

/** charon's `VICI_MESSAGE_SIZE_MAX`: the largest segment payload; a larger header makes charon hang up. */
export const VICI_MAX_PAYLOAD = 512 * 1024;

/** Bytes of the segment length header. */
export const VICI_HEADER_BYTES = 4;

/** Packet type codes, the first byte of a segment. */
export const PacketType = {
  CMD_REQUEST: 0,
  CMD_RESPONSE: 1,
  CMD_UNKNOWN: 2,
  EVENT_REGISTER: 3,
  EVENT_UNREGISTER: 4,
  EVENT_CONFIRM: 5,
  EVENT_UNKNOWN: 6,
  EVENT: 7,
} as const;

/** Packet types followed by a name (command or event). */
export type NamedPacketType = typeof PacketType.CMD_REQUEST | typeof PacketType.EVENT_REGISTER | typeof PacketType.EVENT_UNREGISTER | typeof PacketType.EVENT;
/** Packet types without a name. */
export type UnnamedPacketType =
  typeof PacketType.CMD_RESPONSE | typeof PacketType.CMD_UNKNOWN | typeof PacketType.EVENT_CONFIRM | typeof PacketType.EVENT_UNKNOWN;

/** A named packet: a command request, an event (un)registration, or an event. `body` is an encoded message. */
export interface NamedPacket {
  readonly type: NamedPacketType;
  readonly name: string;
  readonly body: Buffer;
}

/** An unnamed packet: a command response or a (un)registration answer. `body` is an encoded message. */
export interface UnnamedPacket {
  readonly type: UnnamedPacketType;
  readonly body: Buffer;
}

/** One decoded packet. */
export type ViciPacket = NamedPacket | UnnamedPacket;

const NAMED: ReadonlySet<number> = new Set([PacketType.CMD_REQUEST, PacketType.EVENT_REGISTER, PacketType.EVENT_UNREGISTER, PacketType.EVENT]);
const TYPE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(PacketType).map(([k, v]) => [v, k]));

/** True for the packet types that carry a name. */
export function isNamedType(type: number): type is NamedPacketType {
  return NAMED.has(type);
}

/** `CMD_REQUEST`, `EVENT`, … for logs and errors; `type N` for codes outside the protocol. */
export function packetTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type ${type}`;
}

/** Checks a command or event name: 1..255 bytes of printable ASCII (charon compares them as C strings). */
export function checkPacketName(name: string): void {
  if (!/^[\x21-\x7e]{1,255}$/.test(name)) {
    throw new ViciEncodeError(`packet name ${JSON.stringify(name.slice(0, 40))} must be 1..255 printable ASCII characters`);
  }
}

/** Encodes a packet into a segment payload (no length header). Throws {@link ViciEncodeError} when too big. */
export function encodePacket(packet: ViciPacket): Buffer {
  const head: number[] = [packet.type];
  let name = Buffer.alloc(0);
  if ('name' in packet) {
    checkPacketName(packet.name);
    name = Buffer.from(packet.name, 'ascii');
    head.push(name.length);
  }
  const payload = Buffer.concat([Buffer.from(head), name, packet.body]);
  if (payload.length > VICI_MAX_PAYLOAD) {
    throw new ViciEncodeError(`${packetTypeName(packet.type)} of ${payload.length} bytes exceeds the ${VICI_MAX_PAYLOAD}-byte segment limit`);
  }
  return payload;
}

/** Decodes a segment payload into a packet. Throws {@link ViciDecodeError}. The body is not parsed here. */
export function decodePacket(payload: Buffer): ViciPacket {
  if (payload.length > VICI_MAX_PAYLOAD) throw new ViciDecodeError(`segment of ${payload.length} bytes exceeds ${VICI_MAX_PAYLOAD}`);
  const type = payload[0];
  if (type === undefined) throw new ViciDecodeError('empty segment: no packet type', 0);
  if (type > PacketType.EVENT) throw new ViciDecodeError(`unknown packet type ${type}`, 0);
  if (!isNamedType(type)) return { type: type as UnnamedPacketType, body: payload.subarray(1) };
  const len = payload[1];
  if (len === undefined || payload.length < 2 + len) throw new ViciDecodeError(`truncated ${packetTypeName(type)} name`, 1);
  if (len === 0) throw new ViciDecodeError(`${packetTypeName(type)} with an empty name`, 1);
  return { type, name: payload.toString('latin1', 2, 2 + len), body: payload.subarray(2 + len) };
}

/** Prefixes a payload with its length header. Throws {@link ViciEncodeError} above the limit. */
export function frameSegment(payload: Buffer): Buffer {
  if (payload.length > VICI_MAX_PAYLOAD) throw new ViciEncodeError(`segment of ${payload.length} bytes exceeds ${VICI_MAX_PAYLOAD}`);
  const header = Buffer.alloc(VICI_HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** `frameSegment(encodePacket(packet))`: the bytes to write to the socket. */
export function encodeFrame(packet: ViciPacket): Buffer {
  return frameSegment(encodePacket(packet));
}

/**
 * Reassembles segments from a byte stream cut into arbitrary chunks. `push` returns the payloads completed
 * by this chunk, in order. A length above {@link VICI_MAX_PAYLOAD} throws {@link ViciDecodeError}; the
 * stream cannot be resynchronised after that, so the decoder stays failed and the caller must drop the
 * connection (charon does the same).
 */
export class SegmentDecoder {
  #chunks: Buffer[] = [];
  #size = 0;
  #expected: number | undefined;
  #failed: ViciDecodeError | undefined;

  /** Bytes received but not yet part of a complete segment. */
  get buffered(): number {
    return this.#size;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.#failed) throw this.#failed;
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
    }
    const out: Buffer[] = [];
    for (;;) {
      if (this.#expected === undefined) {
        if (this.#size < VICI_HEADER_BYTES) break;
        const length = this.#take(VICI_HEADER_BYTES).readUInt32BE(0);
        if (length > VICI_MAX_PAYLOAD) {
          this.#failed = new ViciDecodeError(`segment length ${length} exceeds the ${VICI_MAX_PAYLOAD}-byte limit`);
          throw this.#failed;
        }
        this.#expected = length;
      }
      if (this.#size < this.#expected) break;
      out.push(this.#take(this.#expected));
      this.#expected = undefined;
    }
    return out;
  }

  /** Removes and returns the first `n` buffered bytes (n ≤ buffered). Concatenates once per segment. */
  #take(n: number): Buffer {
    const whole = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#size);
    const head = Buffer.from(whole.subarray(0, n));
    const rest = whole.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#size = rest.length;
    return head;
  }
}
