/**
 * The VICI client against a real charon 5.9.8 in a namespace of its own (no fake strongSwan). Runs as
 * root and always in CI; see charonTestSkipReason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharonTestInstance, charonTestSkipReason } from './charon-test-instance.js';
import { ViciClient } from './vici-client.js';
import type { ViciSectionInput } from './vici-codec.js';
import { ViciCommandError, ViciUnknownCommandError, ViciUnknownEventError } from './vici-errors.js';
import { parseLogLine, type ViciEvent, type ViciEventStream } from './vici-event-stream.js';

const skip = charonTestSkipReason();
if (skip) console.warn(`src/dataplane/vici/vici-charon.test.ts ${skip}`);

/** A conn that never sends a packet: start_action none, and nobody calls initiate on it. */
function conn(child = 'net1'): ViciSectionInput {
  return {
    version: 2,
    local_addrs: ['192.0.2.1'],
    remote_addrs: ['198.51.100.7'],
    proposals: ['aes256-sha256-modp2048', 'aes256gcm16-prfsha256-ecp256'],
    dpd_delay: '10s',
    local: { auth: 'psk', id: '192.0.2.1' },
    remote: { auth: 'psk', id: '@peer.example' },
    children: { [child]: { local_ts: ['10.1.0.0/24'], remote_ts: ['10.2.0.0/24', '10.3.0.0/24'], esp_proposals: ['aes256-sha256'], start_action: 'none' } },
  };
}

/** The next event of `stream` that satisfies `match`, or a failure after `ms`. */
async function nextMatching<N extends string>(stream: ViciEventStream<N>, match: (e: ViciEvent<N>) => boolean, ms = 10_000): Promise<ViciEvent<N>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no matching event within ${ms} ms`)), ms)));
  const find = (async () => {
    for (;;) {
      const r = await stream.next();
      if (r.done) throw new Error('event stream ended');
      if (match(r.value)) return r.value;
    }
  })();
  try {
    return await Promise.race([find, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('charonTestSkipReason', () => {
  it('runs as root, always runs in CI, and skips only for a non-root user outside CI', () => {
    expect(charonTestSkipReason({}, 0)).toBeUndefined();
    expect(charonTestSkipReason({ CI: 'true' }, 0)).toBeUndefined();
    expect(charonTestSkipReason({ CI: 'true' }, 1000)).toBeUndefined();
    expect(charonTestSkipReason({ CI: '1' }, 1000)).toBeUndefined();
    expect(charonTestSkipReason({}, 1000)).toMatch(/^skipped: needs root/);
    expect(charonTestSkipReason({ CI: 'false' }, 1000)).toMatch(/^skipped/);
  });
});

describe.skipIf(skip !== undefined)(`VICI client against a real charon${skip ? ` (${skip})` : ''}`, () => {
  let charon: CharonTestInstance | undefined;
  let vici: ViciClient;

  beforeAll(async () => {
    charon = await CharonTestInstance.start();
    vici = new ViciClient({ socketPath: charon.socketPath, backoff: { initialMs: 50, maxMs: 250, factor: 2 }, requestTimeoutMs: 20_000 });
    await vici.connect();
  }, 60_000);

  afterAll(async () => {
    vici?.close();
    await charon?.dispose();
  });

  it('answers version and stats', async () => {
    expect(await vici.version()).toMatchObject({ daemon: 'charon', version: '5.9.8', sysname: 'Linux' });
    const stats = await vici.stats();
    expect(stats.plugins).toEqual(expect.arrayContaining(['vici', 'kernel-libipsec', 'openssl']));
    expect(stats.ikesas).toEqual({ total: '0', 'half-open': '0' });
  });

  it('loads, lists and unloads a conn', async () => {
    await vici.loadConn('cw-test-a', conn());
    expect(await vici.getConns()).toEqual(['cw-test-a']);
    const listed = await vici.listConns();
    expect(listed.map((c) => c.name)).toEqual(['cw-test-a']);
    const a = listed[0]!.value;
    expect(a).toMatchObject({ local_addrs: ['192.0.2.1'], remote_addrs: ['198.51.100.7'], version: 'IKEv2' });
    expect(a.children).toMatchObject({ net1: { 'local-ts': ['10.1.0.0/24'], 'remote-ts': ['10.2.0.0/24', '10.3.0.0/24'] } });
    expect(await vici.listConns({ ike: 'nope' })).toEqual([]);
    await vici.unloadConn('cw-test-a');
    expect(await vici.getConns()).toEqual([]);
    const error = (await vici.unloadConn('cw-test-a').catch((e: unknown) => e)) as ViciCommandError;
    expect(error).toBeInstanceOf(ViciCommandError);
    expect(error.errmsg).toBe("unload: connection 'cw-test-a' not found");
  });

  it('reports a refused conn as ViciCommandError with errmsg', async () => {
    const error = (await vici.loadConn('cw-bad', { ...conn(), foo: 'bar' }).catch((e: unknown) => e)) as ViciCommandError;
    expect(error).toBeInstanceOf(ViciCommandError);
    expect(error.errmsg).toMatch(/unknown option: foo, config discarded/);
    expect(await vici.getConns()).toEqual([]);
  });

  it('loads a binary pre-shared key, lists and unloads it', async () => {
    const secret = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80, 0x0a, 0x0d, 0x00]);
    await vici.loadShared({ id: 'psk-cw-a', type: 'IKE', data: secret, owners: ['192.0.2.1', '@peer.example'] });
    await vici.loadShared({ id: 'psk-cw-a', type: 'IKE', data: 'replaced', owners: ['192.0.2.1'] });
    expect(await vici.getShared()).toEqual(['psk-cw-a']);
    await vici.unloadShared('psk-cw-a');
    expect(await vici.getShared()).toEqual([]);
    await vici.unloadShared('psk-never-loaded'); // charon says success for unknown ids
    await expect(vici.loadShared({ id: 'bad', type: 'NOPE' as 'IKE', data: 'x' })).rejects.toThrow(ViciCommandError);
  });

  it('lists no SAs, and initiate/terminate fail with charon’s errmsg', async () => {
    expect(await vici.listSas()).toEqual([]);
    expect(await vici.listSas({ noblock: true, ike: 'x' })).toEqual([]);
    const init = (await vici.initiate({ child: 'cw-missing', timeoutMs: 0 }).catch((e: unknown) => e)) as ViciCommandError;
    expect(init).toBeInstanceOf(ViciCommandError);
    expect(init.errmsg).toMatch(/CHILD_SA config 'cw-missing' not found/);
    const term = (await vici.terminate({ ike: 'cw-missing' }).catch((e: unknown) => e)) as ViciCommandError;
    expect(term.errmsg).toBe('no matching SAs to terminate found');
    expect(term.response).toMatchObject({ success: 'no', matches: '0', terminated: '0' });
  });

  it('uninstall of a child without policies reports errmsg', async () => {
    await vici.loadConn('cw-test-b', conn('net2'));
    const error = (await vici.uninstall({ child: 'net2' }).catch((e: unknown) => e)) as ViciCommandError;
    expect(error).toBeInstanceOf(ViciCommandError);
    expect(error.errmsg).toMatch(/policy 'net2' not found/);
    await vici.unloadConn('cw-test-b');
  });

  it('answers an unknown command with ViciUnknownCommandError and keeps going', async () => {
    await expect(vici.session.request('no-such-command')).rejects.toThrow(ViciUnknownCommandError);
    expect((await vici.version()).daemon).toBe('charon');
  });

  it('refuses an unknown event name with ViciUnknownEventError', async () => {
    const stream = vici.subscribe(['no-such-event']);
    await expect(stream.ready).rejects.toThrow(ViciUnknownEventError);
    await expect(stream.next()).rejects.toThrow(ViciUnknownEventError);
  });

  it('delivers log events on the event connection', async () => {
    const stream = vici.subscribe(['log']);
    try {
      await stream.ready;
      await vici.loadConn('cw-log-probe', conn());
      const event = await nextMatching(stream, (e) => parseLogLine(e.message).msg.includes('cw-log-probe'));
      const line = parseLogLine(event.message);
      expect(line).toMatchObject({ group: 'CFG', msg: 'added vici connection: cw-log-probe' });
      expect(line.level).toBeLessThanOrEqual(1);
      expect(line.thread).toMatch(/^\d+$/);
      await vici.unloadConn('cw-log-probe');
    } finally {
      stream.close();
    }
  });

  it('survives a charon restart: same client, requests wait, log registration comes back', async () => {
    const instance = charon!;
    const stream = vici.subscribe(['log']);
    try {
      await stream.ready;
      await vici.loadConn('cw-before-restart', conn());
      const oldPid = instance.pid;
      expect(oldPid).toBeTypeOf('number');
      await instance.stopCharon('SIGKILL');
      await until(() => vici.state !== 'open' && vici.eventSession?.state !== 'open');
      const whileDown = vici.version(); // queued until charon is back
      const resubscribed = new Promise<string[]>((r) => vici.eventSession!.once('resubscribed', r));
      await instance.startCharon();
      expect(instance.pid).not.toBe(oldPid);
      expect((await whileDown).daemon).toBe('charon');
      expect(await resubscribed).toEqual(['log']);
      expect(await vici.getConns()).toEqual([]); // a restarted charon has forgotten everything
      await vici.loadConn('cw-after-restart', conn());
      const event = await nextMatching(stream, (e) => parseLogLine(e.message).msg.includes('cw-after-restart'));
      expect(parseLogLine(event.message).msg).toBe('added vici connection: cw-after-restart');
    } finally {
      stream.close();
    }
  }, 60_000);
});
