/**
 * What each wrapper puts on the wire and how it reads the answer. The requester below records calls and
 * hands back canned answers shaped like the ones observed from charon 5.9.8 (fact sheet §2); the same
 * wrappers run against the real daemon in vici-charon.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type ViciMessage, type ViciSectionInput } from './vici-codec.js';
import { ViciCommands, type ViciRequester } from './vici-commands.js';
import { ViciCommandError } from './vici-errors.js';

interface Call {
  command: string;
  event?: string;
  /** The request as charon would decode it. */
  body: ViciMessage;
  wire: Buffer;
}

function recorder(answer: (call: Call) => { response: ViciSectionInput; events?: ViciSectionInput[] }) {
  const calls: Call[] = [];
  const requester: ViciRequester = {
    request: async (command, message = {}) => {
      const wire = encodeMessage(message);
      const call = { command, body: decodeMessage(wire), wire };
      calls.push(call);
      return decodeMessage(encodeMessage(answer(call).response));
    },
    streamedRequest: async (command, event, message, onEvent) => {
      const wire = encodeMessage(message);
      const call = { command, event, body: decodeMessage(wire), wire };
      calls.push(call);
      const a = answer(call);
      for (const e of a.events ?? []) onEvent(decodeMessage(encodeMessage(e)));
      return decodeMessage(encodeMessage(a.response));
    },
  };
  return { commands: new ViciCommands(requester), calls };
}

describe('ViciCommands', () => {
  it('loadConn sends one section named after the conn, even when the name looks like a number', async () => {
    const { commands, calls } = recorder(() => ({ response: { success: 'yes' } }));
    await commands.loadConn('42', { version: 2, mobike: false, children: { net: { local_ts: ['10.0.0.0/24'] } } });
    expect(calls[0]).toMatchObject({ command: 'load-conn', body: { 42: { version: '2', mobike: 'no', children: { net: { local_ts: ['10.0.0.0/24'] } } } } });
  });

  it('loadShared sends the secret as raw bytes and owners as a list', async () => {
    const { commands, calls } = recorder(() => ({ response: { success: 'yes' } }));
    const secret = Buffer.from([0xde, 0xad, 0x00, 0xbe, 0xef]);
    await commands.loadShared({ id: 'psk-1', type: 'IKE', data: secret, owners: ['192.0.2.1', '@peer'] });
    expect(calls[0]!.wire.includes(Buffer.concat([Buffer.from([0x00, 0x05]), secret]))).toBe(true);
    expect(calls[0]!.body).toMatchObject({ id: 'psk-1', type: 'IKE', owners: ['192.0.2.1', '@peer'] });
    await commands.loadShared({ type: 'IKE', data: 'text secret' });
    expect(calls[1]!.body).toEqual({ type: 'IKE', data: 'text secret', owners: [] });
  });

  it.each([
    [{ child: 'net1' }, { child: 'net1' }],
    [{ ike: 'vpn1' }, { ike: 'vpn1' }],
    [{ childId: 7 }, { 'child-id': '7' }],
    [{ ikeId: 3 }, { 'ike-id': '3' }],
  ] as const)('terminate %o sends %o, force and timeout', async (selector, expected) => {
    const { commands, calls } = recorder(() => ({ response: { success: 'yes', matches: '2', terminated: '1' } }));
    const r = await commands.terminate(selector, { force: true, timeoutMs: -1 });
    expect(calls[0]).toMatchObject({ command: 'terminate', event: 'control-log', body: { ...expected, force: 'yes', timeout: '-1' } });
    expect(r).toEqual({ matches: 2, terminated: 1, log: [] });
  });

  it('initiate sends child, ike, timeout, loglevel, init-limits and returns the control-log', async () => {
    const { commands, calls } = recorder(() => ({
      response: { success: 'yes' },
      events: [{ group: 'IKE', level: '0', 'ikesa-name': 'vpn1', 'ikesa-uniqueid': '1', msg: 'initiating IKE_SA vpn1[1] to 192.0.2.2' }],
    }));
    const r = await commands.initiate({ child: 'net1', ike: 'vpn1', timeoutMs: 5000, loglevel: 2, initLimits: true });
    expect(calls[0]!.body).toEqual({ child: 'net1', ike: 'vpn1', timeout: '5000', loglevel: '2', 'init-limits': 'yes' });
    expect(r.log).toEqual([{ group: 'IKE', level: 0, ikesaName: 'vpn1', ikesaUniqueid: '1', msg: 'initiating IKE_SA vpn1[1] to 192.0.2.2' }]);
  });

  it('listSas maps the filter to charon keys and returns one entry per IKE_SA, names repeating', async () => {
    const { commands, calls } = recorder(() => ({ response: {}, events: [{ vpn1: { uniqueid: '1' } }, { vpn1: { uniqueid: '2' } }] }));
    const sas = await commands.listSas({ noblock: true, ike: 'vpn1', ikeId: 1, child: 'net1', childId: 4 });
    expect(calls[0]).toMatchObject({
      command: 'list-sas',
      event: 'list-sa',
      body: { noblock: 'yes', ike: 'vpn1', 'ike-id': '1', child: 'net1', 'child-id': '4' },
    });
    expect(sas).toEqual([
      { name: 'vpn1', value: { uniqueid: '1' } },
      { name: 'vpn1', value: { uniqueid: '2' } },
    ]);
    await commands.listSas();
    expect(calls[1]!.body).toEqual({});
  });

  it('reads version, get-conns and get-shared', async () => {
    const { commands } = recorder(({ command }) => ({
      response:
        command === 'version'
          ? { daemon: 'charon', version: '5.9.8', sysname: 'Linux', release: '6.1', machine: 'x86_64' }
          : command === 'get-conns'
            ? { conns: ['a', 'b'] }
            : { keys: ['psk-1'] },
    }));
    expect(await commands.version()).toEqual({ daemon: 'charon', version: '5.9.8', sysname: 'Linux', release: '6.1', machine: 'x86_64' });
    expect(await commands.getConns()).toEqual(['a', 'b']);
    expect(await commands.getShared()).toEqual(['psk-1']);
  });

  it.each(['reloadSettings', 'unloadConn', 'unloadShared', 'install', 'uninstall'] as const)('%s throws ViciCommandError on success = no', async (method) => {
    const { commands } = recorder(() => ({ response: { success: 'no', errmsg: 'nope' } }));
    const call = {
      reloadSettings: () => commands.reloadSettings(),
      unloadConn: () => commands.unloadConn('x'),
      unloadShared: () => commands.unloadShared('x'),
      install: () => commands.install({ child: 'x' }),
      uninstall: () => commands.uninstall({ child: 'x', ike: 'y' }),
    }[method];
    const error = (await call().catch((e: unknown) => e)) as ViciCommandError;
    expect(error).toBeInstanceOf(ViciCommandError);
    expect(error.errmsg).toBe('nope');
    expect(error.message).toMatch(/failed: nope$/);
  });

  it('a failed terminate keeps matches/terminated on the error', async () => {
    const { commands } = recorder(() => ({ response: { success: 'no', matches: '0', terminated: '0', errmsg: 'no matching SAs to terminate found' } }));
    const error = (await commands.terminate({ ike: 'x' }).catch((e: unknown) => e)) as ViciCommandError;
    expect(error.response).toMatchObject({ matches: '0', terminated: '0' });
  });
});
