import type { DesiredConnection } from '../../domain/desired-state.js';
import { ipv4Mask, isAeadProposal, type PeerIdentity, type PeerTunnel, type PeerView, peerView } from './peer-view.js';
import { cliPsk, spell, spellableSuites, spellSome } from './vendor-algorithms.js';

/**
 * The peer's configuration for Cisco IOS / IOS XE, as configuration-mode commands. IKEv2: keyring,
 * proposal, policy, profile; IPsec: transform sets, then a crypto map (policy mode, one ACL entry per
 * selector pair) or an IPsec profile on a tunnel interface (route kinds). IKEv1: ISAKMP policies and
 * a keyring key. Pure.
 * Syntax: "Configuring Internet Key Exchange Version 2 and FlexVPN Site-to-Site", appendix
 * "IKEv2 and Legacy VPNs" (crypto-map-based IKEv2 peers with a preshared key),
 * https://www.cisco.com/en/US/docs/ios-xml/ios/sec_conn_ike2vpn/configuration/15-2mt/sec-apx-ikev2-legacy.html
 * and the Security Command Reference (crypto ipsec transform-set, crypto isakmp policy),
 * https://cisco.com/c/en/us/td/docs/ios-xml/ios/security/a1/sec-a1-cr-book/sec-cr-c3.html
 */

const WAN = 'GigabitEthernet1';
/** IOS caps a crypto map entry at six transform sets. */
const MAX_TRANSFORM_SETS = 6;

/** DPD interval (IOS: 10-3600 s) and retry interval (2-60 s). */
function dpdTimes(v: PeerView): string {
  const interval = Math.max(10, Math.min(3600, v.dpd.delaySeconds));
  return `${interval} ${Math.max(2, Math.min(60, v.dpd.timeoutSeconds - v.dpd.delaySeconds))}`;
}

function identity(id: PeerIdentity): string {
  return id.type === 'address' ? `address ${id.value}` : id.type === 'fqdn' ? `fqdn ${id.value}` : `key-id ${id.value}`;
}

function remoteMatch(id: PeerIdentity): string {
  return id.type === 'address' ? `address ${id.value} 255.255.255.255` : id.type === 'fqdn' ? `fqdn ${id.value}` : `key-id ${id.value}`;
}

function ikev2Lines(v: PeerView, t: PeerTunnel, psk: string): string[] {
  const proposals = v.ike.flatMap((p, i) => {
    const aead = isAeadProposal(p);
    return [
      `crypto ikev2 proposal ${t.shortName}-${i + 1}`,
      ` encryption ${spellSome('cisco-ios', 'ikeCipher', p.encryption).join(' ')}`,
      aead ? ` prf ${spellSome('cisco-ios', 'ikeIntegrity', p.prf).join(' ')}` : ` integrity ${spellSome('cisco-ios', 'ikeIntegrity', p.integrity).join(' ')}`,
      ` group ${spellSome('cisco-ios', 'group', p.groups).join(' ')}`,
      '!',
    ];
  });
  const dpd = v.dpd.delaySeconds > 0 ? [` dpd ${dpdTimes(v)} periodic`] : [];
  return [
    ...proposals,
    `crypto ikev2 policy ${t.shortName}`,
    ` match address local ${t.localAddress === '%any' ? '0.0.0.0' : t.localAddress}`,
    ...v.ike.map((_, i) => ` proposal ${t.shortName}-${i + 1}`),
    '!',
    `crypto ikev2 keyring ${t.shortName}`,
    ` peer ${t.shortName}`,
    `  address ${t.remoteAddress}`,
    `  identity ${identity(t.remoteId)}`,
    `  pre-shared-key ${psk}`,
    '!',
    `crypto ikev2 profile ${t.shortName}`,
    ` match identity remote ${remoteMatch(t.remoteId)}`,
    ` identity local ${identity(t.localId)}`,
    ' authentication remote pre-share',
    ' authentication local pre-share',
    ` keyring local ${t.shortName}`,
    ` lifetime ${v.ikeLifetimeSeconds}`,
    ...dpd,
    '!',
  ];
}

function ikev1Lines(v: PeerView, t: PeerTunnel, psk: string): string[] {
  const policies = spellableSuites('cisco-ios', 'ikev1', v.ike).flatMap((s, i) => [
    `crypto isakmp policy ${(i + 1) * 10}`,
    ` encryption ${spell('cisco-ios', 'ikev1Cipher', s.cipher)}`,
    ` hash ${spell('cisco-ios', 'ikev1Integrity', s.integrity!)}`,
    ' authentication pre-share',
    ` group ${spell('cisco-ios', 'group', s.group!)}`,
    ` lifetime ${v.ikeLifetimeSeconds}`,
    '!',
  ]);
  const key = v.aggressive
    ? [
        `crypto isakmp peer address ${t.remoteAddress}`,
        ` set aggressive-mode password ${psk}`,
        ` set aggressive-mode client-endpoint ${t.localId.type === 'address' ? 'ipv4-address' : 'fqdn'} ${t.localId.value}`,
      ]
    : [`crypto isakmp key ${psk} address ${t.remoteAddress}`];
  const dpd =
    v.dpd.delaySeconds > 0 ? [`crypto isakmp keepalive ${v.dpd.delaySeconds} ${Math.max(2, v.dpd.timeoutSeconds - v.dpd.delaySeconds)} periodic`] : [];
  return [...policies, ...key, ...dpd, '!'];
}

/** One transform set per (cipher, integrity) suite, AEAD ones alone; the first six. */
function transformSets(v: PeerView, t: PeerTunnel): { names: string[]; lines: string[] } {
  const suites = spellableSuites('cisco-ios', 'esp', v.esp).slice(0, MAX_TRANSFORM_SETS);
  const names = suites.map((_, i) => `${t.shortName}-ts${i + 1}`);
  const lines = suites.flatMap((s, i) => [
    `crypto ipsec transform-set ${names[i]!} ${spell('cisco-ios', 'espCipher', s.cipher)}${s.integrity ? ` ${spell('cisco-ios', 'espIntegrity', s.integrity)}` : ''}`,
    ' mode tunnel',
    '!',
  ]);
  return { names, lines };
}

function saLines(v: PeerView, t: PeerTunnel, sets: string[]): string[] {
  return [
    ` set transform-set ${sets.join(' ')}`,
    ...(v.pfs.length > 0 ? [` set pfs group${spell('cisco-ios', 'group', v.pfs[0]!)}`] : []),
    ` set security-association lifetime seconds ${v.espLifetimeSeconds}`,
    ...(v.ikeVersion === 2 ? [` set ikev2-profile ${t.shortName}`] : []),
  ];
}

function policyLines(v: PeerView, t: PeerTunnel, sets: string[], seq: number): string[] {
  const acl = v.pairs.flatMap((p) =>
    p.local.flatMap((l) =>
      p.remote.map((r) => {
        const [a, b] = [ipv4Mask(l, true), ipv4Mask(r, true)];
        return ` permit ip ${a.network} ${a.mask} ${b.network} ${b.mask}`;
      }),
    ),
  );
  return [
    `ip access-list extended ${t.shortName}`,
    ...acl,
    '!',
    `crypto map cw-map ${seq} ipsec-isakmp`,
    ` set peer ${t.remoteAddress}`,
    ...saLines(v, t, sets),
    ` match address ${t.shortName}`,
    '!',
    `interface ${WAN}`,
    ' crypto map cw-map',
    '!',
  ];
}

function routeLines(v: PeerView, t: PeerTunnel, sets: string[]): string[] {
  return [
    `crypto ipsec profile ${t.shortName}`,
    ...saLines(v, t, sets),
    '!',
    `interface Tunnel${t.memberIndex}`,
    ` ip unnumbered ${WAN}`,
    ` tunnel source ${WAN}`,
    ' tunnel mode ipsec ipv4',
    ` tunnel destination ${t.remoteAddress}`,
    ` tunnel protection ipsec profile ${t.shortName}`,
    '!',
  ];
}

/** Cisco IOS configuration for the peer (backs `GET …/peer_config?format=cisco-ios`). */
export function peerCiscoIosConf(d: DesiredConnection): string {
  const v = peerView(d);
  const psk = cliPsk('cisco-ios', v.psk);
  const body = v.tunnels.flatMap((t, i) => {
    const sets = transformSets(v, t);
    return [
      ...(v.ikeVersion === 2 ? ikev2Lines(v, t, psk) : ikev1Lines(v, t, psk)),
      ...sets.lines,
      ...(v.routeBased ? routeLines(v, t, sets.names) : policyLines(v, t, sets.names, (i + 1) * 10)),
    ];
  });
  return [
    `! Peer configuration for Causeway connection ${v.connectionId} (Cisco IOS / IOS XE, IKEv${v.ikeVersion}).`,
    `! Paste in configuration mode. ${WAN} stands for this router's WAN interface: replace it if yours differs.`,
    '! The gateway always encapsulates ESP in UDP (NAT-T): allow UDP 500 and UDP 4500 to and from',
    `! ${v.tunnels.map((t) => t.remoteAddress).join(', ')}.`,
    ...(v.routeBased ? ['! Route-based: route the networks behind the gateway into the tunnel interface(s) below.'] : []),
    '!',
    ...body,
    'end',
    '',
  ].join('\n');
}
