import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElementType as E, VICI_MAX_NAME_BYTES, VICI_MAX_VALUE_BYTES, decodeMessage, encodeMessage, encodeSection, type ViciMessage } from './vici-codec.js';
import { ViciDecodeError, ViciEncodeError } from './vici-errors.js';
import { VICI_MAX_PAYLOAD } from './vici-packet.js';

/** Hand-built wire bytes: numbers are single bytes, strings are raw ASCII. */
function bytes(...parts: (number | string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.of(p) : typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const kv = (k: string, v: string): Buffer => bytes(E.KEY_VALUE, k.length, k, u16(v.length), v);

function decodeError(buf: Buffer): ViciDecodeError {
  try {
    decodeMessage(buf);
  } catch (e) {
    expect(e).toBeInstanceOf(ViciDecodeError);
    return e as ViciDecodeError;
  }
  throw new Error(`expected ${buf.toString('hex')} to be refused`);
}

describe('decodeMessage', () => {
  it('reads the captured `version` response of charon 5.9.8 (fact sheet §1.3)', () => {
    const body = Buffer.concat([kv('daemon', 'charon'), kv('version', '5.9.8'), kv('sysname', 'Linux')]);
    expect(decodeMessage(body)).toEqual({ daemon: 'charon', version: '5.9.8', sysname: 'Linux' });
    expect(body.subarray(0, 10).toString('hex')).toBe('03066461656d6f6e0006');
  });

  it('reads nested sections and lists, including empty ones, in wire order', () => {
    const msg = decodeMessage(
      bytes(
        E.SECTION_START,
        3,
        'vpn',
        E.LIST_START,
        11,
        'local_addrs',
        E.LIST_ITEM,
        u16(7),
        '192.0.2',
        E.LIST_END,
        E.LIST_START,
        1,
        'e',
        E.LIST_END,
        E.SECTION_START,
        5,
        'inner',
        E.SECTION_END,
        kv('z', ''),
        kv('a', 'x'),
        E.SECTION_END,
      ),
    );
    expect(msg).toEqual({ vpn: { local_addrs: ['192.0.2'], e: [], inner: {}, z: '', a: 'x' } });
    expect(Object.keys(msg.vpn as ViciMessage)).toEqual(['local_addrs', 'e', 'inner', 'z', 'a']);
  });

  it('accepts an empty message and an empty name (get-counters uses "" for the global counters)', () => {
    expect(decodeMessage(Buffer.alloc(0))).toEqual({});
    expect(decodeMessage(bytes(E.SECTION_START, 0, E.SECTION_END))).toEqual({ '': {} });
  });

  it('decodes values as UTF-8', () => {
    const v = Buffer.from('grüße ✓', 'utf8');
    expect(decodeMessage(bytes(E.KEY_VALUE, 1, 'k', u16(v.length), v))).toEqual({ k: 'grüße ✓' });
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    const msg = decodeMessage(bytes(E.SECTION_START, 9, '__proto__', kv('polluted', 'yes'), E.SECTION_END));
    expect(Object.getPrototypeOf(msg)).toBe(Object.prototype);
    expect(Object.keys(msg)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['an unbalanced SECTION_END', bytes(E.SECTION_END), /SECTION_END without an open section/],
    ['a missing SECTION_END (charon accepts it; we do not)', bytes(E.SECTION_START, 1, 's', kv('a', 'b')), /1 open section/],
    ['a nested list', bytes(E.LIST_START, 1, 'l', E.LIST_START, 1, 'm'), /nested list inside a list/],
    ['a section in a list', bytes(E.LIST_START, 1, 'l', E.SECTION_START, 1, 's'), /section inside a list/],
    ['a key/value in a list', bytes(E.LIST_START, 1, 'l', kv('a', 'b')), /element type 3 inside a list/],
    ['an unterminated list', bytes(E.LIST_START, 1, 'l', E.LIST_ITEM, u16(1), 'x'), /ends inside a list/],
    ['a LIST_ITEM outside a list', bytes(E.LIST_ITEM, u16(1), 'x'), /LIST_ITEM outside a list/],
    ['a LIST_END outside a list', bytes(E.LIST_END), /LIST_END without an open list/],
    ['a duplicate key', Buffer.concat([kv('a', '1'), kv('a', '2')]), /duplicate key 'a'/],
    ['a key reused by a section', Buffer.concat([kv('a', '1'), bytes(E.SECTION_START, 1, 'a', E.SECTION_END)]), /duplicate key 'a'/],
    ['a key reused by a list', Buffer.concat([kv('a', '1'), bytes(E.LIST_START, 1, 'a', E.LIST_END)]), /duplicate key 'a'/],
    ['an unknown element type 0 (VICI_START is internal)', bytes(0), /unknown element type 0/],
    ['an unknown element type 7 (VICI_END is internal)', bytes(7), /unknown element type 7/],
    ['an unknown element type 200', bytes(200), /unknown element type 200/],
    ['a NUL in a name (names are C strings in charon)', bytes(E.KEY_VALUE, 3, 'a\0b', u16(0)), /NUL/],
    ['a NUL after a non-ASCII byte in a name', Buffer.concat([bytes(E.KEY_VALUE, 4), Buffer.from([0xc3, 0xa9, 0, 0x62]), u16(0)]), /NUL/],
    ['a NUL in a long name', Buffer.concat([bytes(E.KEY_VALUE, 60), Buffer.from(`${'n'.repeat(59)}\0`, 'latin1'), u16(0)]), /NUL/],
    ['a truncated name length', bytes(E.KEY_VALUE), /truncated name/],
    ['a truncated name', bytes(E.KEY_VALUE, 5, 'ab'), /truncated name/],
    ['a truncated value length', bytes(E.KEY_VALUE, 1, 'a', 0), /truncated value length/],
    ['a truncated value', bytes(E.KEY_VALUE, 1, 'a', u16(4), 'ab'), /truncated value/],
  ])('refuses %s', (_what, buf, pattern) => {
    expect(decodeError(buf).message).toMatch(pattern);
  });

  it('refuses more than the segment limit', () => {
    expect(decodeError(Buffer.alloc(VICI_MAX_PAYLOAD + 1)).message).toMatch(/exceeds/);
  });

  it('says where decoding stopped', () => {
    expect(decodeError(Buffer.concat([kv('a', '1'), bytes(E.LIST_END)])).offset).toBe(6);
  });
});

describe('encodeMessage', () => {
  it('writes the wire format of fact sheet §1.3', () => {
    const out = encodeMessage({ name: 'vpn1', ts: ['10.1.0.0/24'], sec: { k: 'v' } });
    expect(out).toEqual(
      Buffer.concat([
        kv('name', 'vpn1'),
        bytes(E.LIST_START, 2, 'ts', E.LIST_ITEM, u16(11), '10.1.0.0/24', E.LIST_END),
        bytes(E.SECTION_START, 3, 'sec'),
        kv('k', 'v'),
        bytes(E.SECTION_END),
      ]),
    );
  });

  it('converts booleans to yes/no and integers to decimal without leading zeros', () => {
    expect(decodeMessage(encodeMessage({ a: true, b: false, c: 10, d: -1, e: 0, f: -0, g: 0o10, h: [1, true] }))).toEqual({
      a: 'yes',
      b: 'no',
      c: '10',
      d: '-1',
      e: '0',
      f: '0',
      g: '8',
      h: ['1', 'yes'],
    });
  });

  it('sends Buffers and Uint8Arrays as raw bytes (PSK data)', () => {
    const secret = Buffer.from([0x00, 0xff, 0x80, 0x0a]);
    const out = encodeMessage({ data: secret, u8: new Uint8Array([1, 2]).subarray(1) });
    expect(out).toEqual(Buffer.concat([bytes(E.KEY_VALUE, 4, 'data', u16(4)), secret, bytes(E.KEY_VALUE, 2, 'u8', u16(1), 2)]));
  });

  it('skips undefined entries, and keeps the order of a Map, integer-like keys included', () => {
    expect(encodeMessage({ a: undefined, b: 'x' })).toEqual(kv('b', 'x'));
    const out = encodeMessage(
      new Map([
        ['10', 'a'],
        ['2', 'b'],
      ]),
    );
    expect(out).toEqual(Buffer.concat([kv('10', 'a'), kv('2', 'b')]));
  });

  it.each([
    ['NaN', { a: Number.NaN }, /not a safe integer/],
    ['a fraction', { a: 1.5 }, /not a safe integer/],
    ['Infinity', { a: Number.POSITIVE_INFINITY }, /not a safe integer/],
    ['an unsafe integer', { a: 2 ** 53 }, /not a safe integer/],
    ['null', { a: null }, /null is not a VICI value/],
    ['a bigint', { a: 1n }, /a bigint is not a VICI value/],
    ['a section in a list', { a: [{ b: 'c' }] }, /a\[0\]: an object is not a VICI value/],
    ['a nested list', { a: [['b']] }, /a list is not a VICI value/],
    ['a Date', { a: new Date(0) }, /an object is not a VICI value/],
    ['a NUL in a name', { 'a\0b': 'c' }, /NUL/],
    ['a name over 255 bytes', { ['n'.repeat(VICI_MAX_NAME_BYTES + 1)]: 'v' }, /name of 256 bytes exceeds 255/],
    ['a multi-byte name over 255 bytes', { ['é'.repeat(128)]: 'v' }, /name of 256 bytes/],
    ['a value over 65535 bytes', { a: 'v'.repeat(VICI_MAX_VALUE_BYTES + 1) }, /a: value of 65536 bytes exceeds 65535/],
    ['a list item over 65535 bytes', { a: ['x', 'v'.repeat(VICI_MAX_VALUE_BYTES + 1)] }, /a\[1\]: value of 65536/],
    ['a message over the segment limit', { a: Array.from({ length: 9 }, () => 'v'.repeat(60_000)) }, /exceeds the 524288-byte segment limit/],
  ])('refuses %s', (_what, input, pattern) => {
    expect(() => encodeMessage(input as never)).toThrow(ViciEncodeError);
    expect(() => encodeMessage(input as never)).toThrow(pattern);
  });

  it('accepts a name of exactly 255 bytes and a value of exactly 65535 bytes', () => {
    const name = 'n'.repeat(255);
    const value = 'v'.repeat(65535);
    expect(decodeMessage(encodeMessage({ [name]: value }))).toEqual({ [name]: value });
  });

  it('refuses cyclic input instead of overflowing the stack', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => encodeMessage(a as never)).toThrow(/nested deeper than/);
  });

  it('names the path of the offending element', () => {
    expect(() => encodeMessage({ conn: { children: { net: { local_ts: [null] } } } } as never)).toThrow(/^conn\.children\.net\.local_ts\[0\]: /);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: any well-formed message survives a round trip; malformed bytes only ever raise
// ViciDecodeError.
// ---------------------------------------------------------------------------------------------
const nameArb = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => Buffer.byteLength(s) <= 255 && !s.includes('\0'));
/** Keys that are not integer-like, so a plain object keeps wire order and re-encoding is byte-exact. */
const orderedNameArb = nameArb.map((s) => `k${s}`);
const valueArb = fc.string({ unit: 'binary', maxLength: 40 });

const { message: messageArb } = fc.letrec<{ message: ViciMessage }>((tie) => ({
  message: fc.dictionary(orderedNameArb, fc.oneof({ depthSize: 'small' }, valueArb, fc.array(valueArb, { maxLength: 4 }), tie('message')), { maxKeys: 5 }),
}));

describe('codec properties', () => {
  it('decode(encode(m)) equals m, and re-encoding is byte-exact', () => {
    fc.assert(
      fc.property(messageArb, (m) => {
        const wire = encodeMessage(m);
        const back = decodeMessage(wire);
        expect(back).toEqual(m);
        expect(encodeMessage(back)).toEqual(wire);
      }),
    );
  });

  it('a strict prefix is refused unless it ends on an element boundary at the root, and then it is that message', () => {
    fc.assert(
      fc.property(messageArb, fc.nat(), (m, cut) => {
        const wire = encodeMessage(m);
        fc.pre(wire.length > 0);
        const prefix = wire.subarray(0, cut % wire.length);
        let decoded: ViciMessage;
        try {
          decoded = decodeMessage(prefix);
        } catch (e) {
          expect(e).toBeInstanceOf(ViciDecodeError);
          return;
        }
        expect(encodeMessage(decoded)).toEqual(prefix);
      }),
    );
  });

  it('corrupted or random bytes raise ViciDecodeError or decode to a message that re-encodes canonically', () => {
    const corrupted = fc.tuple(messageArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([m, flips]) => {
      const wire = Buffer.from(encodeMessage(m));
      for (const [at, b] of flips) if (wire.length > 0) wire[at % wire.length] = b;
      return wire;
    });
    fc.assert(
      fc.property(
        fc.oneof(
          corrupted,
          fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        ),
        (buf) => {
          try {
            const m = decodeMessage(buf);
            expect(decodeMessage(encodeMessage(m))).toEqual(m);
          } catch (e) {
            expect(e).toBeInstanceOf(ViciDecodeError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('pre-encoded sections', () => {
  it('encode to the same bytes as the section they were made from, wherever they are placed', () => {
    const child = { local_ts: ['10.1.0.0/24'], start_action: 'start', inner: { a: 'b' } };
    const enc = encodeSection(child);
    expect(encodeMessage({ conn: { version: '2', children: { c1: enc, c2: enc } } })).toEqual(
      encodeMessage({ conn: { version: '2', children: { c1: child, c2: child } } }),
    );
    expect(decodeMessage(encodeMessage({ c: enc }))).toEqual({ c: { local_ts: ['10.1.0.0/24'], start_action: 'start', inner: { a: 'b' } } });
  });

  it('still count toward the segment limit', () => {
    const big = encodeSection({ v: 'x'.repeat(60_000) });
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`c${i}`, big]));
    expect(() => encodeMessage(many)).toThrow(ViciEncodeError);
  });
});
