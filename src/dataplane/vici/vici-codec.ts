/**
 * VICI message encode/decode (fact sheet §1.3). Pure: no I/O.
 *
 * A message is a tree of sections, key/values and lists of items; the root section is implicit. Decoded
 * messages are plain objects in wire order (JavaScript puts integer-like keys such as "7" first; pass a
 * `Map` to {@link encodeMessage} when such keys must keep their order). Values are decoded as UTF-8.
 */
import { ViciDecodeError, ViciEncodeError } from './vici-errors.js';
import { VICI_MAX_PAYLOAD } from './vici-packet.js';

/** A decoded message or section: every scalar is a string, every list a string array. */
export interface ViciMessage {
  [key: string]: ViciElement;
}

/** What a key of a decoded message holds. */
export type ViciElement = string | string[] | ViciMessage;

/**
 * A scalar accepted by the encoder: strings go as UTF-8, `Buffer`/`Uint8Array` as raw bytes (PSK data),
 * booleans as `yes`/`no`, safe integers as decimal strings (never a leading zero: charon reads them with
 * `strtoul(…, 0)`, where a leading 0 means octal).
 */
export type ViciScalarInput = string | number | boolean | Uint8Array;

/** A section accepted by the encoder; `undefined` entries are skipped, so optional fields can be passed as is. */
export type ViciSectionInput = { readonly [key: string]: ViciInputElement } | ReadonlyMap<string, ViciInputElement>;

/** What a key of an outbound message may hold. */
export type ViciInputElement = ViciScalarInput | readonly ViciScalarInput[] | ViciSectionInput | ViciEncodedSection | undefined;

/**
 * A section's content encoded once ({@link encodeSection}) and copied into every message that holds it:
 * a peer group's `load-conn` re-sends every CHILD, but encodes only the CHILDs that changed.
 */
export class ViciEncodedSection {
  /** @internal Use {@link encodeSection}. */
  constructor(readonly bytes: Buffer) {}
}

/** Encodes a section's content (what goes between its SECTION_START and SECTION_END), for reuse. */
export function encodeSection(section: ViciSectionInput): ViciEncodedSection {
  return new ViciEncodedSection(encodeMessage(section));
}

/** Element type codes of the message layer. */
export const ElementType = {
  SECTION_START: 1,
  SECTION_END: 2,
  KEY_VALUE: 3,
  LIST_START: 4,
  LIST_ITEM: 5,
  LIST_END: 6,
} as const;

/** Longest name (u8 length prefix). */
export const VICI_MAX_NAME_BYTES = 255;
/** Longest value (u16 length prefix). */
export const VICI_MAX_VALUE_BYTES = 65535;
/** Deepest section nesting the encoder accepts (real configs use 4); guards against cyclic or runaway input. */
export const VICI_MAX_ENCODE_DEPTH = 256;

const E = ElementType;

/** Encodes a message. Throws {@link ViciEncodeError} on anything charon would reject or misread. */
export function encodeMessage(message: ViciSectionInput): Buffer {
  const out = new Writer();
  writeSection(out, message, '', 0);
  return out.finish();
}

/** Turns one scalar into the bytes sent on the wire (see {@link ViciScalarInput}). */
export function scalarBytes(value: unknown, path: string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'boolean') return Buffer.from(value ? 'yes' : 'no');
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ViciEncodeError(`number ${value} is not a safe integer`, path);
    return Buffer.from(String(value === 0 ? 0 : value));
  }
  const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  throw new ViciEncodeError(`${kind} is not a VICI value`, path);
}

class Writer {
  #parts: Buffer[] = [];
  #size = 0;

  byte(b: number): void {
    this.#push(Buffer.of(b));
  }

  raw(bytes: Buffer): void {
    this.#push(bytes);
  }

  name(name: string, path: string): void {
    const bytes = Buffer.from(name, 'utf8');
    if (bytes.length > VICI_MAX_NAME_BYTES) throw new ViciEncodeError(`name of ${bytes.length} bytes exceeds ${VICI_MAX_NAME_BYTES}`, path);
    if (bytes.includes(0)) throw new ViciEncodeError('name contains a NUL byte', path);
    this.#push(Buffer.of(bytes.length));
    this.#push(bytes);
  }

  value(value: unknown, path: string): void {
    const bytes = scalarBytes(value, path);
    if (bytes.length > VICI_MAX_VALUE_BYTES) throw new ViciEncodeError(`value of ${bytes.length} bytes exceeds ${VICI_MAX_VALUE_BYTES}`, path);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(bytes.length, 0);
    this.#push(len);
    this.#push(bytes);
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts, this.#size);
  }

  #push(b: Buffer): void {
    this.#size += b.length;
    if (this.#size > VICI_MAX_PAYLOAD) throw new ViciEncodeError(`message exceeds the ${VICI_MAX_PAYLOAD}-byte segment limit`);
    this.#parts.push(b);
  }
}

function entriesOf(section: ViciSectionInput): Iterable<readonly [string, ViciInputElement]> {
  return section instanceof Map ? section.entries() : Object.entries(section);
}

function isSectionInput(v: unknown): v is ViciSectionInput {
  if (v instanceof Map) return true;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function writeSection(out: Writer, section: ViciSectionInput, path: string, depth: number): void {
  if (depth > VICI_MAX_ENCODE_DEPTH) throw new ViciEncodeError(`sections nested deeper than ${VICI_MAX_ENCODE_DEPTH}`, path);
  for (const [key, value] of entriesOf(section)) {
    if (typeof key !== 'string') throw new ViciEncodeError('a section key must be a string', path);
    if (value === undefined) continue;
    const at = path === '' ? key : `${path}.${key}`;
    if (value instanceof ViciEncodedSection) {
      out.byte(E.SECTION_START);
      out.name(key, at);
      out.raw(value.bytes);
      out.byte(E.SECTION_END);
    } else if (Array.isArray(value)) {
      out.byte(E.LIST_START);
      out.name(key, at);
      (value as readonly unknown[]).forEach((item, i) => {
        out.byte(E.LIST_ITEM);
        out.value(item, `${at}[${i}]`);
      });
      out.byte(E.LIST_END);
    } else if (isSectionInput(value)) {
      out.byte(E.SECTION_START);
      out.name(key, at);
      writeSection(out, value, at, depth + 1);
      out.byte(E.SECTION_END);
    } else {
      out.byte(E.KEY_VALUE);
      out.name(key, at);
      out.value(value, at);
    }
  }
}

/** Up to this many bytes, an all-ASCII string is built in JS: cheaper than a Buffer decode for VICI's short names and values. */
const SHORT_TEXT = 48;

/**
 * The UTF-8 text of bytes[start, end); with `noNul`, undefined when it holds a NUL byte. Short ASCII
 * text (most of what charon sends: keys, states, numbers, addresses) skips the Buffer decoder.
 */
function textAt(bytes: Buffer, start: number, end: number, noNul: boolean): string | undefined {
  if (end - start <= SHORT_TEXT) {
    let text = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (b === 0 && noNul) return undefined;
      if (b >= 0x80) return noNul && bytes.subarray(i, end).includes(0) ? undefined : bytes.toString('utf8', start, end);
      text += String.fromCharCode(b);
    }
    return text;
  }
  if (noNul && bytes.subarray(start, end).includes(0)) return undefined;
  return bytes.toString('utf8', start, end);
}

/**
 * Decodes a message, strictly: balanced sections, lists holding only items, unique keys, nothing
 * truncated, no unknown element types, at most {@link VICI_MAX_PAYLOAD} bytes. (charon itself accepted
 * a message missing its SECTION_END; we do not.) Throws {@link ViciDecodeError}.
 */
export function decodeMessage(bytes: Buffer): ViciMessage {
  if (bytes.length > VICI_MAX_PAYLOAD) throw new ViciDecodeError(`message of ${bytes.length} bytes exceeds ${VICI_MAX_PAYLOAD}`);
  const root: ViciMessage = {};
  const stack: ViciMessage[] = [root];
  let list: string[] | undefined;
  let pos = 0;

  const readName = (): string => {
    const len = bytes[pos];
    if (len === undefined || pos + 1 + len > bytes.length) throw new ViciDecodeError('truncated name', pos);
    const name = textAt(bytes, pos + 1, pos + 1 + len, true);
    if (name === undefined) throw new ViciDecodeError('name contains a NUL byte', pos);
    pos += 1 + len;
    return name;
  };
  const readValue = (): string => {
    if (pos + 2 > bytes.length) throw new ViciDecodeError('truncated value length', pos);
    const len = (bytes[pos]! << 8) | bytes[pos + 1]!;
    if (pos + 2 + len > bytes.length) throw new ViciDecodeError('truncated value', pos);
    const value = textAt(bytes, pos + 2, pos + 2 + len, false)!;
    pos += 2 + len;
    return value;
  };
  const put = (key: string, value: ViciElement, at: number): void => {
    const section = stack[stack.length - 1]!;
    if (Object.hasOwn(section, key)) throw new ViciDecodeError(`duplicate key '${key}'`, at);
    // A plain assignment, except for the one key that would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(section, key, { value, enumerable: true, writable: true, configurable: true });
    else section[key] = value;
  };

  while (pos < bytes.length) {
    const at = pos;
    const type = bytes[pos++]!;
    if (list !== undefined && type !== E.LIST_ITEM && type !== E.LIST_END) {
      const what = type === E.LIST_START ? 'nested list' : type === E.SECTION_START ? 'section' : `element type ${type}`;
      throw new ViciDecodeError(`${what} inside a list (lists hold only items)`, at);
    }
    switch (type) {
      case E.SECTION_START: {
        const section: ViciMessage = {};
        put(readName(), section, at);
        stack.push(section);
        break;
      }
      case E.SECTION_END:
        if (stack.length === 1) throw new ViciDecodeError('SECTION_END without an open section', at);
        stack.pop();
        break;
      case E.KEY_VALUE: {
        const key = readName();
        put(key, readValue(), at);
        break;
      }
      case E.LIST_START: {
        const items: string[] = [];
        put(readName(), items, at);
        list = items;
        break;
      }
      case E.LIST_ITEM:
        if (list === undefined) throw new ViciDecodeError('LIST_ITEM outside a list', at);
        list.push(readValue());
        break;
      case E.LIST_END:
        if (list === undefined) throw new ViciDecodeError('LIST_END without an open list', at);
        list = undefined;
        break;
      default:
        throw new ViciDecodeError(`unknown element type ${type}`, at);
    }
  }
  if (list !== undefined) throw new ViciDecodeError('message ends inside a list', pos);
  if (stack.length > 1) throw new ViciDecodeError(`message ends with ${stack.length - 1} open section(s)`, pos);
  return root;
}
