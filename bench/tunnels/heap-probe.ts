import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'undici';

/** The server's memory after a full garbage collection, in KiB. */
export interface MemorySample {
  readonly heapUsedKiB: number;
  readonly rssKiB: number;
}

/**
 * Reads the server's memory through its inspector (the server runs with --inspect on a loopback port
 * of its own): a full GC first (HeapProfiler.collectGarbage), then process.memoryUsage(). Without
 * the GC, the resident set of a Node process swings by tens of MiB with its young generation, far more
 * than what a few dozen connections add.
 */
export async function sampleMemory(inspectPort: number): Promise<MemorySample> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`, { signal: AbortSignal.timeout(5000) })).json()) as {
    webSocketDebuggerUrl?: string;
  }[];
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) throw new Error(`the server's inspector on port ${inspectPort} lists no target`);
  const ws = new WebSocket(url);
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.error) p.fail(new Error(msg.error.message));
    else p.ok(msg.result);
  });
  await new Promise<void>((ok, fail) => {
    ws.addEventListener('open', () => ok(), { once: true });
    ws.addEventListener('error', () => fail(new Error(`could not connect to the server's inspector at ${url}`)), { once: true });
  });
  let next = 1;
  const send = (method: string, params: Record<string, unknown> = {}): Promise<unknown> => {
    const id = next++;
    return new Promise((ok, fail) => {
      pending.set(id, { ok, fail });
      ws.send(JSON.stringify({ id, method, params }));
    });
  };
  try {
    await send('HeapProfiler.collectGarbage');
    await sleep(200);
    await send('HeapProfiler.collectGarbage');
    const r = (await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result: { value: string } };
    const m = JSON.parse(r.result.value) as { heapUsed: number; rss: number };
    return { heapUsedKiB: m.heapUsed / 1024, rssKiB: m.rss / 1024 };
  } finally {
    ws.close();
  }
}
