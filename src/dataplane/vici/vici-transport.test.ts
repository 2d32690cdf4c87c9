import { describe, expect, it } from 'vitest';
import { ViciConnectionError } from './vici-errors.js';
import { memorySocketPair, type MemorySocket } from './vici-memory-socket.js';
import { PacketType, encodeFrame, type ViciPacket } from './vici-packet.js';
import { DEFAULT_VICI_BACKOFF, ViciTransport, backoffDelay, type ViciConnectionState } from './vici-transport.js';

/** Timers the test fires by hand. */
function manualTimers() {
  const due: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    due,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      due.push(t);
      return () => (t.cancelled = true);
    },
    fire(): number {
      const t = due.shift();
      if (!t) throw new Error('no timer due');
      if (!t.cancelled) t.fn();
      return t.ms;
    },
  };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('backoffDelay', () => {
  it('doubles from 100 ms up to 5 s by default', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(DEFAULT_VICI_BACKOFF, n))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });
});

describe('ViciTransport', () => {
  it('retries with backoff while nobody listens, then opens and delivers packets cut into random chunks', async () => {
    const timers = manualTimers();
    let refuse = 3;
    let server: MemorySocket | undefined;
    const states: ViciConnectionState[] = [];
    const t = new ViciTransport({
      socketPath: '/x/charon.vici',
      setTimer: timers.setTimer,
      socketFactory: async () => {
        if (refuse-- > 0) throw new Error('ENOENT');
        const pair = memorySocketPair({ random: Math.random });
        server = pair.server;
        return pair.client;
      },
    });
    t.on('state', (s) => states.push(s));
    const packets: ViciPacket[] = [];
    t.on('packet', (p) => packets.push(p));
    t.start();
    await settle();
    const delays = [];
    while (t.state !== 'open') {
      delays.push(timers.fire());
      await settle();
    }
    expect(delays).toEqual([100, 200, 400]);
    expect(t.lastError?.message).toBe('ENOENT');
    expect(states.slice(0, 3)).toEqual(['connecting', 'waiting', 'connecting']);
    const sent: ViciPacket[] = Array.from({ length: 20 }, (_, i) => ({ type: PacketType.EVENT, name: 'log', body: Buffer.alloc(i * 37, i) }));
    server!.write(Buffer.concat(sent.map(encodeFrame)));
    await settle();
    await settle();
    expect(packets).toEqual(sent);
    t.close();
  });

  it('reconnects when the socket closes, starting the backoff afresh', async () => {
    const timers = manualTimers();
    const servers: MemorySocket[] = [];
    const t = new ViciTransport({
      socketPath: '/x/charon.vici',
      setTimer: timers.setTimer,
      socketFactory: async () => {
        const pair = memorySocketPair();
        servers.push(pair.server);
        return pair.client;
      },
    });
    const downs: Error[] = [];
    t.on('down', (e) => downs.push(e));
    t.start();
    await settle();
    expect(t.state).toBe('open');
    servers[0]!.destroy();
    await settle();
    expect(downs.map((e) => e.message)).toEqual(['connection to /x/charon.vici closed']);
    expect(t.state).toBe('waiting');
    expect(timers.fire()).toBe(100);
    await settle();
    expect(t.state).toBe('open');
    expect(servers).toHaveLength(2);
    t.close();
  });

  it('refuses to send unless open, and close() is final', async () => {
    const timers = manualTimers();
    const t = new ViciTransport({
      socketPath: '/x/charon.vici',
      setTimer: timers.setTimer,
      socketFactory: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    const packet: ViciPacket = { type: PacketType.CMD_REQUEST, name: 'version', body: Buffer.alloc(0) };
    expect(() => t.send(packet)).toThrow(ViciConnectionError);
    t.start();
    await settle();
    expect(t.state).toBe('waiting');
    t.close();
    expect(t.state).toBe('closed');
    expect(timers.due[0]?.cancelled).toBe(true);
    t.start();
    expect(t.state).toBe('closed');
    expect(() => t.send(packet)).toThrow(/not connected \(closed\)/);
  });

  it('connects to a real UNIX socket through net', async () => {
    const { createServer } = await import('node:net');
    const { mkdtempSync, rmSync } = await import('node:fs');
    // eslint-disable-next-line @typescript-eslint/unbound-method -- path.join does not use `this`
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cw-vici-'));
    const path = join(dir, 's.vici');
    const server = createServer((s) => s.end(encodeFrame({ type: PacketType.CMD_RESPONSE, body: Buffer.alloc(0) })));
    await new Promise<void>((r) => server.listen(path, r));
    try {
      const t = new ViciTransport({ socketPath: path });
      const got = new Promise<ViciPacket>((r) => t.once('packet', r));
      t.start();
      expect(await got).toEqual({ type: PacketType.CMD_RESPONSE, body: Buffer.alloc(0) });
      t.close();
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
