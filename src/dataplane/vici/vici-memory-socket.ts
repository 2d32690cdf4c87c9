/**
 * An in-memory socket pair for transport and session tests (no charon, no file system). Bytes written on
 * one end arrive on the other asynchronously, cut into random chunks when `chunking` is on, so tests
 * exercise reassembly; destroying either end closes both.
 */
import { EventEmitter } from 'node:events';
import type { ViciSocket } from './vici-transport.js';

/** One end of a {@link memorySocketPair}. */
export class MemorySocket extends EventEmitter implements ViciSocket {
  peer: MemorySocket | undefined;
  destroyed = false;

  constructor(readonly random: (() => number) | undefined) {
    super();
  }

  write(chunk: Uint8Array): boolean {
    if (this.destroyed) return false;
    const bytes = Buffer.from(chunk);
    const peer = this.peer;
    let offset = 0;
    while (offset < bytes.length) {
      const size = this.random ? 1 + Math.floor(this.random() * Math.min(bytes.length - offset, 64)) : bytes.length - offset;
      const part = bytes.subarray(offset, offset + size);
      offset += size;
      setImmediate(() => {
        if (peer && !peer.destroyed) peer.emit('data', part);
      });
    }
    return true;
  }

  destroy(error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    setImmediate(() => {
      if (error) this.emit('error', error);
      this.emit('close');
    });
    this.peer?.destroy();
  }
}

/** Two connected ends: `client` for the transport, `server` for the test's scripted peer. */
export function memorySocketPair(options: { random?: () => number } = {}): { client: MemorySocket; server: MemorySocket } {
  const client = new MemorySocket(options.random);
  const server = new MemorySocket(options.random);
  client.peer = server;
  server.peer = client;
  return { client, server };
}
