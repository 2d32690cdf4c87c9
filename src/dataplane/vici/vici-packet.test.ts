import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ViciDecodeError, ViciEncodeError } from './vici-errors.js';
import {
  PacketType,
  SegmentDecoder,
  VICI_MAX_PAYLOAD,
  decodePacket,
  encodeFrame,
  encodePacket,
  frameSegment,
  isNamedType,
  type ViciPacket,
} from './vici-packet.js';

describe('packets', () => {
  it('frames the captured `version` request exactly (fact sheet §1.3)', () => {
    const frame = encodeFrame({ type: PacketType.CMD_REQUEST, name: 'version', body: Buffer.alloc(0) });
    expect(frame.toString('hex')).toBe(`00000009${'00'}${'07'}${Buffer.from('version').toString('hex')}`);
  });

  it('names types 0, 3, 4 and 7 only', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].filter(isNamedType)).toEqual([0, 3, 4, 7]);
  });

  it('round-trips every packet type', () => {
    const body = Buffer.from([3, 1, 0x61, 0, 1, 0x62]);
    const packets: ViciPacket[] = [
      { type: PacketType.CMD_REQUEST, name: 'list-sas', body },
      { type: PacketType.CMD_RESPONSE, body },
      { type: PacketType.CMD_UNKNOWN, body: Buffer.alloc(0) },
      { type: PacketType.EVENT_REGISTER, name: 'ike-updown', body: Buffer.alloc(0) },
      { type: PacketType.EVENT_UNREGISTER, name: 'log', body: Buffer.alloc(0) },
      { type: PacketType.EVENT_CONFIRM, body: Buffer.alloc(0) },
      { type: PacketType.EVENT_UNKNOWN, body: Buffer.alloc(0) },
      { type: PacketType.EVENT, name: 'list-sa', body },
    ];
    for (const p of packets) expect(decodePacket(encodePacket(p))).toEqual(p);
  });

  it.each([
    ['an empty segment', Buffer.alloc(0), /empty segment/],
    ['an unknown packet type', Buffer.of(8), /unknown packet type 8/],
    ['a named packet without its name length', Buffer.of(PacketType.EVENT), /truncated EVENT name/],
    ['a named packet with a short name', Buffer.of(PacketType.CMD_REQUEST, 5, 0x61), /truncated CMD_REQUEST name/],
    ['a named packet with an empty name', Buffer.of(PacketType.EVENT, 0), /empty name/],
    ['a segment over the limit', Buffer.alloc(VICI_MAX_PAYLOAD + 1, 1), /exceeds/],
  ])('refuses %s', (_what, payload, pattern) => {
    expect(() => decodePacket(payload)).toThrow(ViciDecodeError);
    expect(() => decodePacket(payload)).toThrow(pattern);
  });

  it.each([
    ['an empty name', ''],
    ['a name with a space', 'list sas'],
    ['a non-ASCII name', 'lïst'],
    ['a name over 255 characters', 'x'.repeat(256)],
  ])('refuses to send %s', (_what, name) => {
    expect(() => encodePacket({ type: PacketType.CMD_REQUEST, name, body: Buffer.alloc(0) })).toThrow(ViciEncodeError);
  });

  it('refuses to send more than 512 KiB, and accepts exactly 512 KiB', () => {
    const fits = Buffer.alloc(VICI_MAX_PAYLOAD - 1 - 1 - 'load-conn'.length);
    expect(encodeFrame({ type: PacketType.CMD_REQUEST, name: 'load-conn', body: fits }).length).toBe(4 + VICI_MAX_PAYLOAD);
    expect(() => encodePacket({ type: PacketType.CMD_REQUEST, name: 'load-conn', body: Buffer.concat([fits, Buffer.of(0)]) })).toThrow(/exceeds/);
    expect(() => frameSegment(Buffer.alloc(VICI_MAX_PAYLOAD + 1))).toThrow(ViciEncodeError);
  });
});

describe('SegmentDecoder', () => {
  it('reassembles a header split byte by byte and a zero-length chunk', () => {
    const frame = frameSegment(Buffer.from('hello'));
    const d = new SegmentDecoder();
    const out: Buffer[] = [];
    out.push(...d.push(Buffer.alloc(0)));
    for (const b of frame) out.push(...d.push(Buffer.of(b)));
    expect(out).toEqual([Buffer.from('hello')]);
    expect(d.buffered).toBe(0);
  });

  it('yields zero-length segments (decodePacket refuses them later)', () => {
    expect(new SegmentDecoder().push(Buffer.alloc(4))).toEqual([Buffer.alloc(0)]);
  });

  it('fails on a length above the limit, as charon does, and stays failed', () => {
    const d = new SegmentDecoder();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(VICI_MAX_PAYLOAD + 1);
    expect(() => d.push(header)).toThrow(/524289 exceeds the 524288-byte limit/);
    expect(() => d.push(frameSegment(Buffer.from('x')))).toThrow(ViciDecodeError);
  });

  it('accepts a segment of exactly the limit', () => {
    const payload = Buffer.alloc(VICI_MAX_PAYLOAD, 7);
    expect(new SegmentDecoder().push(frameSegment(payload))).toEqual([payload]);
  });

  it('property: any packets, cut into any chunks, come out whole and in order', () => {
    const packetArb: fc.Arbitrary<ViciPacket> = fc.oneof(
      fc.record({
        type: fc.constantFrom(PacketType.CMD_REQUEST, PacketType.EVENT_REGISTER, PacketType.EVENT_UNREGISTER, PacketType.EVENT),
        name: fc.stringMatching(/^[a-z-]{1,20}$/),
        body: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      }),
      fc.record({
        type: fc.constantFrom(PacketType.CMD_RESPONSE, PacketType.CMD_UNKNOWN, PacketType.EVENT_CONFIRM, PacketType.EVENT_UNKNOWN),
        body: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      }),
    );
    fc.assert(
      fc.property(fc.array(packetArb, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (packets, cuts) => {
        const stream = Buffer.concat(packets.map(encodeFrame));
        const d = new SegmentDecoder();
        const got: ViciPacket[] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const size = cuts[i % cuts.length]!;
          for (const payload of d.push(stream.subarray(at, at + size))) got.push(decodePacket(payload));
          expect(d.push(Buffer.alloc(0))).toEqual([]);
          at += size;
        }
        expect(got).toEqual(packets);
        expect(d.buffered).toBe(0);
      }),
    );
  });
});
