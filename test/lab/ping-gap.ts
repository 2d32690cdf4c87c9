import { spawn } from 'node:child_process';

/** A background `ping -i 0.1` and what it saw. */
export interface PingGap {
  /** Replies received so far. */
  replies(): number;
  /** Whether at least `n` replies arrived at or after `at` (epoch ms). */
  repliedSince(at: number, n: number): boolean;
  /** Stops the ping; the longest run of sequence numbers without a reply, in ms (100 ms steps). */
  stop(): Promise<number>;
}

/** `ping -i 0.1` from namespace `ns` (source `src`) to `dst`, in the background, for failover gaps. */
export function startPing(ns: string, src: string, dst: string): PingGap {
  const child = spawn('ip', ['netns', 'exec', ns, 'ping', '-n', '-i', '0.1', '-W', '1', '-I', src, dst], { stdio: ['ignore', 'pipe', 'ignore'] });
  const seen: { seq: number; at: number }[] = [];
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      const m = /icmp_seq=(\d+)/.exec(l);
      if (m) seen.push({ seq: Number(m[1]), at: Date.now() });
    }
  });
  return {
    replies: () => seen.length,
    repliedSince: (at, n) => seen.filter((r) => r.at >= at).length >= n,
    stop: async () => {
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.kill('SIGINT');
      await exited;
      const seqs = [...new Set(seen.map((r) => r.seq))].sort((a, b) => a - b);
      let longest = 0;
      for (let i = 1; i < seqs.length; i++) longest = Math.max(longest, seqs[i]! - seqs[i - 1]! - 1);
      return longest * 100;
    },
  };
}
