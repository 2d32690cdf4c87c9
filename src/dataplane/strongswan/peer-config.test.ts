import { describe, expect, it } from 'vitest';
import type { Connection } from '../../domain/connection.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { desiredConnection } from '../../domain/desired-connection.js';
import type { GatewayMember, VpnGateway } from '../../domain/gateway.js';
import { CID, connection, gateway, ikePolicy, member as fixtureMember, routeGateway } from '../../../test/domain-fixtures.js';
import type { IkePolicy } from '../../domain/policy.js';
import { type ViciSection, translate } from './conn-translator.js';
import { confValue, mirrorForPeer, peerConfig, peerSwanctlConf, peerSwanctlConfForAll, pskBase64 } from './peer-config.js';
import { textOf } from '../../domain/text.js';

/** A member is active when it is the first or has a public IP (the members of a policy or a route gateway). */
const member = (index: 1 | 2, publicIp: string | null): GatewayMember => fixtureMember(index, index === 1 || publicIp ? 'active' : 'standby', publicIp);
const policyGw = gateway();
const routeGw = routeGateway();
const conn = (o: Partial<Connection> = {}): Connection => connection({ peerCidrs: ['10.2.0.0/24', '10.3.0.0/24'], ...o });
const ikeV1: IkePolicy = ikePolicy({ ikeVersion: 1, negotiationMode: 'aggressive' });
const desired = (o: Partial<Connection> = {}, g = policyGw, i?: IkePolicy): DesiredConnection =>
  desiredConnection(g, conn({ ikePolicyId: i?.id ?? null, ...o }), i, undefined);

/** A small swanctl.conf reader for the tests: sections, `key = value`, quoted strings, `#` comments. */
type Conf = { [key: string]: string | Conf };
function parseConf(text: string): Conf {
  const root: Conf = {};
  const stack: Conf[] = [root];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const top = stack[stack.length - 1]!;
    if (line === '}') {
      stack.pop();
      continue;
    }
    const open = /^([A-Za-z0-9_.-]+) \{$/.exec(line);
    if (open) {
      const s: Conf = {};
      top[open[1]!] = s;
      stack.push(s);
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+) = (.*)$/.exec(line);
    if (!kv) throw new Error(`bad line: ${line}`);
    const v = kv[2]!;
    top[kv[1]!] = v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v.replace(/\s+#.*$/, '');
  }
  expect(stack).toHaveLength(1);
  return root;
}
/** A VICI section as swanctl.conf writes it: lists joined with `, `. */
const flatten = (s: ViciSection): Conf =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : flatten(v as ViciSection)]));
const sub = (c: Conf | string | undefined): Conf => c as Conf;

describe('peer configuration (swanctl.conf)', () => {
  it('round-trips: the text parses back to the mirrored translation', () => {
    const d = desired();
    const conf = parseConf(peerSwanctlConf(d));
    const mirrored = translate(mirrorForPeer(d, d.tunnels[0]!));
    expect(conf.connections).toEqual(Object.fromEntries(Object.entries(mirrored.conns).map(([k, v]) => [k, flatten(v)])));
  });

  it('swaps the sides: peer local = our remote, peer remote = our local', () => {
    const d = desired({ localIdentities: [{ type: 'fqdn', value: 'gw.example.com' }] });
    const ours = Object.values(translate(d).conns)[0]!;
    const peer = sub(sub(parseConf(peerSwanctlConf(d)).connections)[`cw-${CID}`]);
    expect(sub(peer.local).id).toBe((ours.remote as ViciSection).id);
    expect(sub(peer.remote).id).toBe((ours.local as ViciSection).id);
    expect([peer.local_addrs, peer.remote_addrs]).toEqual(['203.0.113.7', '198.51.100.10']);
    expect([peer.proposals, peer.rekey_time, peer.over_time, peer.version]).toEqual([
      (ours.proposals as string[]).join(', '),
      ours.rekey_time,
      ours.over_time,
      ours.version,
    ]);
    const child = sub(Object.values(sub(peer.children))[0]);
    const ourChild = Object.values(ours.children as Record<string, ViciSection>)[0]!;
    expect([child.local_ts, child.remote_ts]).toEqual([(ourChild.remote_ts as string[]).join(', '), (ourChild.local_ts as string[]).join(', ')]);
    expect(child.esp_proposals).toBe((ourChild.esp_proposals as string[]).join(', '));
  });

  it('secrets: both identities and the PSK as 0s<base64>', () => {
    const psk = 'p"a\\ss #with spaces=';
    const d = desired({ psk, peerIdentity: { type: 'key_id', value: 'ASOrzQ==' } });
    const text = peerSwanctlConf(d);
    expect(text).not.toContain(psk);
    expect(text).toContain('"keyid:#0123abcd"');
    const secret = sub(sub(parseConf(text).secrets)[`ike-psk-cw-${CID}`]);
    expect(secret['id-1']).toBe('keyid:#0123abcd');
    expect(secret['id-2']).toBe('198.51.100.10');
    expect(secret.secret).toBe(pskBase64(psk));
    expect(Buffer.from(textOf(secret.secret).slice(2), 'base64').toString('utf8')).toBe(psk);
  });

  it('a peer known by FQDN binds to any local address and uses @fqdn', () => {
    const peer = sub(sub(parseConf(peerSwanctlConf(desired({ peer: { fqdn: 'peer.example.com' } }))).connections)[`cw-${CID}`]);
    expect([peer.local_addrs, sub(peer.local).id]).toEqual(['%any', '@peer.example.com']);
  });

  it('the peer always initiates and restarts, even when we are peer_only or admin down', () => {
    for (const o of [{ establishMode: 'peer_only' as const }, { adminStateUp: false }]) {
      const { connections } = peerConfig(desired(o));
      const child = Object.values(connections[`cw-${CID}`]!.children as Record<string, ViciSection>)[0]!;
      expect([child.start_action, child.dpd_action, connections[`cw-${CID}`]!.keyingtries]).toEqual(['start', 'restart', '0']);
    }
    const none = peerConfig(desired({ dpd: { action: 'none', intervalSeconds: 2, timeoutSeconds: 10 } })).connections[`cw-${CID}`]!;
    expect([none.dpd_delay, Object.values(none.children as Record<string, ViciSection>)[0]!.dpd_action]).toEqual(['0s', 'clear']);
  });

  it('IKEv1: one CHILD per pair on the peer too, selectors swapped; aggressive mode noted', () => {
    const d = desired({}, policyGw, ikeV1);
    const pairs = (s: ViciSection): string[] =>
      Object.values(s.children as Record<string, ViciSection>)
        .map((c) => `${textOf(c.local_ts)}>${textOf(c.remote_ts)}`)
        .sort();
    const ours = pairs(Object.values(translate(d).conns)[0]!);
    const peer = pairs(peerConfig(d).connections[`cw-${CID}`]!)
      .map((p) => p.split('>').reverse().join('>'))
      .sort();
    expect(peer).toEqual(ours);
    expect(ours).toHaveLength(2);
    const text = peerSwanctlConf(d);
    expect(text).toMatch(/aggressive = yes/);
    expect(text).toMatch(/# IKEv1 Aggressive Mode/);
  });

  it('route kinds with two members: one conn and one secret per tunnel', () => {
    const d = desired({ kind: 'route_static', localCidrs: [], peerCidrs: [] }, routeGw);
    const conf = parseConf(peerSwanctlConf(d));
    expect(Object.keys(sub(conf.connections))).toEqual([`cw-${CID}-t1`, `cw-${CID}-t2`]);
    expect(Object.values(sub(conf.connections)).map((c) => sub(c).remote_addrs)).toEqual(['198.51.100.11', '198.51.100.12']);
    expect(Object.values(sub(conf.secrets)).map((s) => sub(s)['id-2'])).toEqual(['198.51.100.11', '198.51.100.12']);
  });

  it.each([
    ['10.0.0.0/24', '10.0.0.0/24'],
    [['a', 'b-c'], 'a, b-c'],
    ['@vpn.example.com', '@vpn.example.com'],
    ['keyid:#00ff', '"keyid:#00ff"'],
    ['0sYQ==', '"0sYQ=="'],
    ['say "hi" \\', '"say \\"hi\\" \\\\"'],
  ] as [string | string[], string][])('confValue(%j) → %s', (v, expected) => {
    expect(confValue(v)).toBe(expected);
  });
});

describe('peer configuration for a device answering several connections', () => {
  const CID2 = 'c0000000-0000-4000-8000-000000000002';
  const GW2 = '22222222-2222-4222-8222-222222222222';
  const otherGw: VpnGateway = { ...policyGw, id: GW2, members: [member(1, '198.51.100.20'), member(2, null)] };

  it('groups the connections of one gateway into one conn with a CHILD each, as the gateway does', () => {
    const a = desired({ localCidrs: ['10.1.0.0/24'], peerCidrs: ['192.168.9.0/24'] });
    const b = desired({ id: CID2, localCidrs: ['10.1.1.0/24'], peerCidrs: ['192.168.9.0/24'], psk: 'another-key' });
    const conf = parseConf(peerSwanctlConfForAll([b, a]));
    const conns = Object.entries(sub(conf['connections']));
    expect(conns).toHaveLength(1);
    const [, body] = conns[0]!;
    expect(sub(body)['remote_addrs']).toBe('198.51.100.10');
    const children = sub(sub(body)['children']);
    expect(Object.keys(children).sort()).toEqual(
      [...Object.keys(translate(a).conns[`cw-${CID}`]!['children'] as object), ...Object.keys(translate(b).conns[`cw-${CID2}`]!['children'] as object)].sort(),
    );
    for (const child of Object.values(children)) expect(sub(child)['local_ts']).toBe('192.168.9.0/24');
    // One key per gateway identity pair: the leader's (lowest connection id), like the gateway's group.
    const secrets = Object.values(sub(conf['secrets']));
    expect(secrets.map((x) => sub(x)['secret'])).toEqual([pskBase64('sesame-open')]);
  });

  it('keeps connections of different gateways in conns of their own, and an empty list gives an empty file', () => {
    const conf = parseConf(peerSwanctlConfForAll([desired(), desired({ id: CID2, gatewayId: GW2 }, otherGw)]));
    expect(
      Object.values(sub(conf['connections']))
        .map((c) => sub(c)['remote_addrs'])
        .sort(),
    ).toEqual(['198.51.100.10', '198.51.100.20']);
    expect(Object.keys(sub(conf['secrets']))).toHaveLength(2);
    expect(parseConf(peerSwanctlConfForAll([]))).toEqual({ connections: {}, secrets: {} });
  });
});
