/**
 * Session behaviour over an in-memory socket pair. The "peer" below is a script the test drives step by
 * step (what charon would send next), not an imitation of charon: everything charon-specific is checked
 * against the real daemon in vici-charon.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type ViciMessage, type ViciSectionInput } from './vici-codec.js';
import { ViciCommands } from './vici-commands.js';
import { ViciCommandError, ViciConnectionError, ViciSessionError, ViciTimeoutError, ViciUnknownCommandError, ViciUnknownEventError } from './vici-errors.js';
import { memorySocketPair, type MemorySocket } from './vici-memory-socket.js';
import { PacketType, SegmentDecoder, decodePacket, encodeFrame, type ViciPacket } from './vici-packet.js';
import { ViciSession, type ViciSessionOptions } from './vici-session.js';
import { ViciTransport } from './vici-transport.js';

/** A deterministic PRNG (mulberry32) so random chunking is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The server end of one connection, driven by the test. */
class Peer {
  readonly #inbox: ViciPacket[] = [];
  readonly #waiters: ((p: ViciPacket) => void)[] = [];

  constructor(readonly socket: MemorySocket) {
    const decoder = new SegmentDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const payload of decoder.push(chunk)) {
        const packet = decodePacket(payload);
        const w = this.#waiters.shift();
        if (w) w(packet);
        else this.#inbox.push(packet);
      }
    });
  }

  /** The next packet the client sent. */
  next(): Promise<ViciPacket> {
    const p = this.#inbox.shift();
    return p ? Promise.resolve(p) : new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Expects the next packet to be `type` (named `name`), and returns its decoded body. */
  async expect(type: number, name?: string): Promise<ViciMessage> {
    const p = await this.next();
    expect(p.type).toBe(type);
    if (name !== undefined) expect('name' in p && p.name).toBe(name);
    return decodeMessage(p.body);
  }

  get inboxSize(): number {
    return this.#inbox.length;
  }

  send(p: ViciPacket): void {
    this.socket.write(encodeFrame(p));
  }
  respond(m: ViciSectionInput = {}): void {
    this.send({ type: PacketType.CMD_RESPONSE, body: encodeMessage(m) });
  }
  confirm(): void {
    this.send({ type: PacketType.EVENT_CONFIRM, body: Buffer.alloc(0) });
  }
  event(name: string, m: ViciSectionInput): void {
    this.send({ type: PacketType.EVENT, name, body: encodeMessage(m) });
  }
}

const sessions: ViciSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

/** A session whose every connection attempt yields a new {@link Peer} (or fails while `refuse` is set). */
function harness(options: ViciSessionOptions = {}, seed = 1) {
  const peers: Peer[] = [];
  const peerWaiters: (() => void)[] = [];
  const control = { refuse: false, attempts: 0 };
  const random = seeded(seed);
  const transport = new ViciTransport({
    socketPath: '/nowhere/charon.vici',
    backoff: { initialMs: 1, maxMs: 5, factor: 2 },
    socketFactory: async () => {
      control.attempts += 1;
      if (control.refuse) throw new Error('connect ECONNREFUSED /nowhere/charon.vici');
      const { client, server } = memorySocketPair({ random });
      peers.push(new Peer(server));
      for (const w of peerWaiters.splice(0)) w();
      return client;
    },
  });
  const session = new ViciSession(transport, options);
  sessions.push(session);
  const peer = async (n: number): Promise<Peer> => {
    while (peers.length <= n) await new Promise<void>((r) => peerWaiters.push(r));
    return peers[n]!;
  };
  return { session, transport, peer, control };
}

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ViciSession requests', () => {
  it('sends a command and decodes its response', async () => {
    const { session, peer } = harness();
    await session.whenOpen();
    const answer = session.request('version');
    const p = await peer(0);
    expect(await p.expect(PacketType.CMD_REQUEST, 'version')).toEqual({});
    p.respond({ daemon: 'charon', version: '5.9.8' });
    expect(await answer).toEqual({ daemon: 'charon', version: '5.9.8' });
  });

  it('keeps at most one request in flight and answers in FIFO order', async () => {
    const { session, peer } = harness();
    const a = session.request('first', { n: 1 });
    const b = session.request('second', { n: 2 });
    const c = session.request('third', { n: 3 });
    session.start();
    const p = await peer(0);
    expect(await p.expect(PacketType.CMD_REQUEST, 'first')).toEqual({ n: '1' });
    await tick(10);
    expect(p.inboxSize).toBe(0); // 'second' waits for the first answer
    p.respond({ r: 'a' });
    expect(await p.expect(PacketType.CMD_REQUEST, 'second')).toEqual({ n: '2' });
    p.respond({ r: 'b' });
    await p.expect(PacketType.CMD_REQUEST, 'third');
    p.respond({ r: 'c' });
    expect(await Promise.all([a, b, c])).toEqual([{ r: 'a' }, { r: 'b' }, { r: 'c' }]);
  });

  it('turns CMD_UNKNOWN into ViciUnknownCommandError and carries on', async () => {
    const { session, peer } = harness();
    const bad = session.request('no-such-command');
    const good = session.request('version');
    session.start();
    const p = await peer(0);
    await p.expect(PacketType.CMD_REQUEST, 'no-such-command');
    p.send({ type: PacketType.CMD_UNKNOWN, body: Buffer.alloc(0) });
    await expect(bad).rejects.toThrow(ViciUnknownCommandError);
    await expect(bad).rejects.toThrow(/'no-such-command' is unknown/);
    await p.expect(PacketType.CMD_REQUEST, 'version');
    p.respond({ daemon: 'charon' });
    expect(await good).toEqual({ daemon: 'charon' });
  });

  it('refuses an invalid message without touching the connection', async () => {
    const { session, peer } = harness();
    await session.whenOpen();
    await expect(session.request('load-conn', { x: 'v'.repeat(70_000) })).rejects.toThrow(/value of 70000 bytes/);
    const ok = session.request('version');
    const p = await peer(0);
    await p.expect(PacketType.CMD_REQUEST, 'version');
    p.respond({});
    await ok;
  });

  it('throws ViciCommandError with errmsg when a wrapper gets success = no', async () => {
    const { session, peer } = harness();
    const commands = new ViciCommands(session);
    session.start();
    const r = commands.unloadConn('gone');
    const p = await peer(0);
    expect(await p.expect(PacketType.CMD_REQUEST, 'unload-conn')).toEqual({ name: 'gone' });
    p.respond({ success: 'no', errmsg: "unload: connection 'gone' not found" });
    const error = await r.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ViciCommandError);
    expect((error as ViciCommandError).errmsg).toBe("unload: connection 'gone' not found");
    expect((error as ViciCommandError).command).toBe('unload-conn');
  });

  it('resets the connection on an unsolicited answer', async () => {
    const { session, peer } = harness();
    await session.whenOpen();
    const p = await peer(0);
    p.respond({ stray: 'yes' });
    const p2 = await peer(1);
    const answer = session.request('version');
    await p2.expect(PacketType.CMD_REQUEST, 'version');
    p2.respond({ ok: 'yes' });
    expect(await answer).toEqual({ ok: 'yes' });
  });

  it('fails a request answered with the wrong packet type, and resets the connection', async () => {
    const { session, peer } = harness();
    const r = session.request('version');
    session.start();
    const p = await peer(0);
    await p.expect(PacketType.CMD_REQUEST);
    p.confirm();
    await expect(r).rejects.toThrow(ViciSessionError);
    await expect(r).rejects.toThrow(/EVENT_CONFIRM in answer to command 'version'/);
    await peer(1);
  });
});

describe('ViciSession streamed commands', () => {
  it('registers the stream event, collects EVENTs until the response, then unregisters', async () => {
    const { session, peer } = harness({}, 7);
    session.start();
    const got: ViciMessage[] = [];
    const done = session.streamedRequest('list-sas', 'list-sa', { noblock: 'yes' }, (m) => got.push(m));
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'list-sa');
    p.event('log', { msg: 'an unrelated broadcast before the confirm' });
    p.confirm();
    expect(await p.expect(PacketType.CMD_REQUEST, 'list-sas')).toEqual({ noblock: 'yes' });
    p.event('list-sa', { vpn1: { uniqueid: '1' } });
    p.event('log', { msg: 'another unrelated event' });
    p.event('list-sa', { vpn1: { uniqueid: '2' } });
    p.respond({});
    await p.expect(PacketType.EVENT_UNREGISTER, 'list-sa');
    p.confirm();
    expect(await done).toEqual({});
    expect(got).toEqual([{ vpn1: { uniqueid: '1' } }, { vpn1: { uniqueid: '2' } }]);
  });

  it('fails with ViciUnknownEventError when the stream event is refused', async () => {
    const { session, peer } = harness();
    session.start();
    const done = session.streamedRequest('list-things', 'list-thing', {}, () => undefined);
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'list-thing');
    p.send({ type: PacketType.EVENT_UNKNOWN, body: Buffer.alloc(0) });
    await expect(done).rejects.toThrow(ViciUnknownEventError);
  });

  it('collects control-log lines into ControlResult and into a failed initiate', async () => {
    const { session, peer } = harness();
    const commands = new ViciCommands(session);
    session.start();
    const r = commands.initiate({ child: 'net1', timeoutMs: 0, loglevel: 1 });
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'control-log');
    p.confirm();
    expect(await p.expect(PacketType.CMD_REQUEST, 'initiate')).toEqual({ child: 'net1', timeout: '0', loglevel: '1' });
    p.event('control-log', { group: 'IKE', level: '1', 'ikesa-name': 'vpn1', 'ikesa-uniqueid': '1', msg: 'no shared key found' });
    p.respond({ success: 'no', errmsg: "establishing CHILD_SA 'net1' failed" });
    await p.expect(PacketType.EVENT_UNREGISTER, 'control-log');
    p.confirm();
    const error = (await r.catch((e: unknown) => e)) as ViciCommandError;
    expect(error).toBeInstanceOf(ViciCommandError);
    expect(error.log).toEqual([{ group: 'IKE', level: 1, ikesaName: 'vpn1', ikesaUniqueid: '1', msg: 'no shared key found' }]);
  });
});

describe('ViciSession events', () => {
  it('delivers subscribed events through an async iterator and unregisters on close', async () => {
    const { session, peer } = harness();
    session.start();
    const stream = session.subscribe(['ike-updown', 'log']);
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'ike-updown');
    p.confirm();
    await p.expect(PacketType.EVENT_REGISTER, 'log');
    p.confirm();
    await stream.ready;
    p.event('ike-updown', { up: 'yes', vpn1: { state: 'ESTABLISHED' } });
    p.event('list-sa', { ignored: {} });
    p.event('log', { group: 'CFG', level: '1', msg: 'hello' });
    const seen = [];
    for await (const e of stream) {
      seen.push(e);
      if (seen.length === 2) break; // leaving the loop closes the stream
    }
    expect(seen).toEqual([
      { name: 'ike-updown', message: { up: 'yes', vpn1: { state: 'ESTABLISHED' } } },
      { name: 'log', message: { group: 'CFG', level: '1', msg: 'hello' } },
    ]);
    await p.expect(PacketType.EVENT_UNREGISTER, 'ike-updown');
    p.confirm();
    await p.expect(PacketType.EVENT_UNREGISTER, 'log');
    p.confirm();
  });

  it('fails a stream whose event charon does not know', async () => {
    const { session, peer } = harness();
    session.start();
    const stream = session.subscribe(['no-such-event']);
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'no-such-event');
    p.send({ type: PacketType.EVENT_UNKNOWN, body: Buffer.alloc(0) });
    await expect(stream.ready).rejects.toThrow(ViciUnknownEventError);
    await expect(stream.next()).rejects.toThrow(/'no-such-event' is unknown/);
  });

  it('fails a stream with an invalid event name at once, without sending anything', async () => {
    const { session } = harness();
    const stream = session.subscribe(['bad name']);
    await expect(stream.ready).rejects.toThrow(/printable ASCII/);
    await expect(session.request('no spaces please')).rejects.toThrow(/printable ASCII/);
  });

  it('a streamed command reuses a registration held by a subscription and leaves it in place', async () => {
    const { session, peer } = harness();
    session.start();
    const stream = session.subscribe(['control-log']);
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'control-log');
    p.confirm();
    await stream.ready;
    const lines: ViciMessage[] = [];
    const r = session.streamedRequest('terminate', 'control-log', { ike: 'vpn1' }, (m) => lines.push(m));
    await p.expect(PacketType.CMD_REQUEST, 'terminate');
    p.event('control-log', { msg: 'deleting IKE_SA' });
    p.respond({ success: 'yes', matches: '1', terminated: '1' });
    await r;
    expect(lines).toEqual([{ msg: 'deleting IKE_SA' }]);
    expect((await stream.next()).value).toEqual({ name: 'control-log', message: { msg: 'deleting IKE_SA' } });
    const v = session.request('version');
    await p.expect(PacketType.CMD_REQUEST, 'version'); // no EVENT_UNREGISTER in between
    p.respond({});
    await v;
  });
});

describe('ViciSession and connection loss', () => {
  it('fails the request in flight and the queued ones with a clear error, then works on the new connection', async () => {
    const { session, peer, control } = harness();
    session.start();
    const inFlight = session.request('initiate', { child: 'net1' });
    const queued = session.request('version');
    const p = await peer(0);
    await p.expect(PacketType.CMD_REQUEST, 'initiate');
    control.refuse = true; // charon is gone for a while
    p.socket.destroy();
    await expect(inFlight).rejects.toThrow(ViciConnectionError);
    await expect(inFlight).rejects.toThrow(/lost while waiting for the answer to 'initiate'/);
    await expect(queued).rejects.toThrow(/lost before 'version' was sent/);
    await tick(20);
    expect(session.state).not.toBe('open');
    const whileDown = session.request('version'); // waits for the reconnect
    control.refuse = false;
    const p2 = await peer(1);
    await p2.expect(PacketType.CMD_REQUEST, 'version');
    p2.respond({ daemon: 'charon' });
    expect(await whileDown).toEqual({ daemon: 'charon' });
    expect(control.attempts).toBeGreaterThan(2);
  });

  it('re-registers subscriptions after a reconnect, before other requests', async () => {
    const { session, peer, control } = harness();
    session.start();
    const stream = session.subscribe(['log']);
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'log');
    p.confirm();
    await stream.ready;
    const resubscribed = new Promise<string[]>((r) => session.once('resubscribed', r));
    control.refuse = true;
    p.socket.destroy();
    await tick(20);
    const later = session.request('version'); // made while charon is away
    control.refuse = false;
    const p2 = await peer(1);
    await p2.expect(PacketType.EVENT_REGISTER, 'log');
    p2.confirm();
    expect(await resubscribed).toEqual(['log']);
    await p2.expect(PacketType.CMD_REQUEST, 'version');
    p2.respond({});
    await later;
    p2.event('log', { msg: 'after the restart' });
    expect((await stream.next()).value).toEqual({ name: 'log', message: { msg: 'after the restart' } });
  });

  it('resets the connection when a request times out (a late answer could not be matched)', async () => {
    const { session, peer } = harness({ requestTimeoutMs: 30 });
    session.start();
    const r = session.request('initiate', { child: 'slow' });
    const p = await peer(0);
    await p.expect(PacketType.CMD_REQUEST, 'initiate');
    await expect(r).rejects.toThrow(ViciTimeoutError);
    const p2 = await peer(1);
    const v = session.request('version');
    await p2.expect(PacketType.CMD_REQUEST, 'version');
    p2.respond({ fresh: 'yes' });
    expect(await v).toEqual({ fresh: 'yes' });
  });

  it('drops a connection that sends an oversized segment', async () => {
    const { session, peer } = harness();
    await session.whenOpen();
    const p = await peer(0);
    const r = session.request('stats');
    await p.expect(PacketType.CMD_REQUEST, 'stats');
    p.socket.write(Buffer.from([0x00, 0x08, 0x00, 0x01]));
    await expect(r).rejects.toThrow(/segment length 524289 exceeds/);
    await peer(1);
  });

  it('close() fails pending requests, ends streams, and stops reconnecting', async () => {
    const { session, peer, control } = harness();
    session.start();
    const stream = session.subscribe(['log']);
    const p = await peer(0);
    await p.expect(PacketType.EVENT_REGISTER, 'log');
    const r = session.request('version');
    session.close();
    await expect(r).rejects.toThrow(/closed/);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    await expect(session.request('version')).rejects.toThrow(ViciConnectionError);
    const attempts = control.attempts;
    await tick(30);
    expect(control.attempts).toBe(attempts);
    expect(session.state).toBe('closed');
  });

  it('with closedTimeoutMs, a request waiting for a charon that went away fails soon; one sent in time is untouched', async () => {
    const { session, peer, control } = harness({ closedTimeoutMs: 30, requestTimeoutMs: 10_000 });
    session.start();
    const p = await peer(0);
    const answered = session.request('version');
    await p.expect(PacketType.CMD_REQUEST, 'version');
    await tick(50); // in flight longer than closedTimeoutMs: only requestTimeoutMs applies to it
    p.respond({ daemon: 'charon' });
    expect(await answered).toEqual({ daemon: 'charon' });
    control.refuse = true;
    p.socket.destroy();
    await tick(20);
    const t0 = Date.now();
    await expect(session.request('version')).rejects.toThrow(/no connection to charon within 30 ms/);
    expect(Date.now() - t0).toBeLessThan(1000);
    control.refuse = false; // back: the next request goes through
    const later = session.request('version');
    const p2 = await peer(1);
    await p2.expect(PacketType.CMD_REQUEST, 'version');
    p2.respond({ daemon: 'charon' });
    expect(await later).toEqual({ daemon: 'charon' });
  });

  it('whenOpen gives up with the last connection error', async () => {
    const { session, control } = harness();
    control.refuse = true;
    await expect(session.whenOpen(40)).rejects.toThrow(/after 40 ms: connect ECONNREFUSED/);
  });
});
