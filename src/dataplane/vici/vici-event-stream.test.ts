import { describe, expect, it } from 'vitest';
import { EventBuffer, ViciEventStream, formatLogLine, parseLogLine, parseUpdown } from './vici-event-stream.js';

describe('EventBuffer and ViciEventStream', () => {
  it('hands out queued events in order, then waits for the next one', async () => {
    const buffer = new EventBuffer<'log'>(10);
    let closed = 0;
    const stream = new ViciEventStream(['log'], buffer, Promise.resolve(), () => closed++);
    buffer.push({ name: 'log', message: { msg: '1' } });
    expect(await stream.next()).toEqual({ value: { name: 'log', message: { msg: '1' } }, done: false });
    const waiting = stream.next();
    buffer.push({ name: 'log', message: { msg: '2' } });
    expect((await waiting).value).toEqual({ name: 'log', message: { msg: '2' } });
    stream.close();
    stream.close();
    expect(closed).toBe(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('drops the oldest events beyond the high-water mark and counts them', async () => {
    const buffer = new EventBuffer<'log'>(2);
    const stream = new ViciEventStream(['log'], buffer, Promise.resolve(), () => undefined);
    for (const msg of ['a', 'b', 'c', 'd']) buffer.push({ name: 'log', message: { msg } });
    expect(stream.dropped).toBe(2);
    expect((await stream.next()).value?.message).toEqual({ msg: 'c' });
    expect((await stream.next()).value?.message).toEqual({ msg: 'd' });
  });

  it('delivers what was buffered before failing, and fails waiting readers', async () => {
    const buffer = new EventBuffer<'log'>(10);
    const stream = new ViciEventStream(['log'], buffer, Promise.resolve(), () => undefined);
    buffer.push({ name: 'log', message: {} });
    buffer.fail(new Error('refused'));
    expect((await stream.next()).done).toBe(false);
    await expect(stream.next()).rejects.toThrow('refused');
    const other = new EventBuffer<'log'>(10);
    const waiting = other.next();
    other.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
  });

  it('a rejected ready promise is not an unhandled rejection', async () => {
    const ready = Promise.reject(new Error('refused'));
    const stream = new ViciEventStream(['x'], new EventBuffer<'x'>(1), ready, () => undefined);
    await expect(stream.ready).rejects.toThrow('refused');
  });
});

describe('payload readers', () => {
  it('reads a log line as charon 5.9.8 sends it (ikesa-uniqueid, not the README’s ikesa-uniqued)', () => {
    const line = parseLogLine({ group: 'IKE', level: '1', thread: '12', 'ikesa-name': 'vpn1', 'ikesa-uniqueid': '3', msg: 'establishing CHILD_SA net1{1}' });
    expect(line).toEqual({ group: 'IKE', level: 1, thread: '12', ikesaName: 'vpn1', ikesaUniqueid: '3', msg: 'establishing CHILD_SA net1{1}' });
    expect(formatLogLine(line)).toBe('IKE[1] establishing CHILD_SA net1{1}');
    expect(parseLogLine({})).toEqual({ group: '', level: 0, msg: '' });
  });

  it('reads up and down from ike-updown (up is absent on down)', () => {
    expect(parseUpdown({ up: 'yes', vpn1: { state: 'ESTABLISHED' } })).toEqual({ up: true, sas: [{ name: 'vpn1', sa: { state: 'ESTABLISHED' } }] });
    expect(parseUpdown({ vpn1: { state: 'CONNECTING' } })).toEqual({ up: false, sas: [{ name: 'vpn1', sa: { state: 'CONNECTING' } }] });
  });
});
