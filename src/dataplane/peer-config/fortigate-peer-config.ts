import type { DesiredConnection } from '../../domain/desired-state.js';
import { ipv4Mask, type PeerIdentity, type PeerTunnel, type PeerView, peerView } from './peer-view.js';
import { cliPsk, spell, spellableSuites, spellSome } from './vendor-algorithms.js';

/**
 * The peer's configuration for a FortiGate (FortiOS CLI): one route-based `phase1-interface` per
 * tunnel and one `phase2-interface` per selector pair. Pure.
 * Syntax: FortiOS CLI reference, "vpn ipsec {phase2-interface | phase2}",
 * https://docs.fortinet.com/document/fortigate/6.0.5/cli-reference/487941/vpn-ipsec-phase2-interface-phase2
 * and the Administration Guide, "Phase 1 configuration",
 * https://docs.fortinet.com/document/fortigate/7.4.1/administration-guide/790613/phase-1-configuration
 */

const WAN = 'wan1';
/** FortiOS takes at most ten proposals in a phase 1 or phase 2. */
const MAX_PROPOSALS = 10;

function localId(id: PeerIdentity): string[] {
  if (id.type === 'address') return [];
  return [`        set localid-type ${id.type === 'fqdn' ? 'fqdn' : 'keyid'}`, `        set localid "${id.value}"`];
}

/** `cipher-hash` pairs; AEAD IKE proposals name their PRF (`aes256gcm-prfsha256`), AEAD ESP ones stand alone. */
function proposals(v: PeerView, phase: 'ike' | 'esp'): string {
  const cipher = phase === 'ike' ? 'ikeCipher' : 'espCipher';
  const integ = phase === 'ike' ? 'ikeIntegrity' : 'espIntegrity';
  const pairs = spellableSuites('fortigate', phase, phase === 'ike' ? v.ike : v.esp).map((s) => {
    const c = spell('fortigate', cipher, s.cipher);
    if (!s.integrity) return c;
    const h = spell('fortigate', integ, s.integrity);
    return s.cipher.includes('gcm') ? (phase === 'ike' ? `${c}-prf${h}` : c) : `${c}-${h}`;
  });
  return [...new Set(pairs)].slice(0, MAX_PROPOSALS).join(' ');
}

function phase1(v: PeerView, t: PeerTunnel, psk: string): string[] {
  const groups = [...new Set(v.ike.flatMap((p) => p.groups))];
  const dpd =
    v.dpd.delaySeconds > 0
      ? [
          '        set dpd on-idle',
          `        set dpd-retryinterval ${v.dpd.delaySeconds}`,
          `        set dpd-retrycount ${Math.max(1, Math.min(10, Math.floor(v.dpd.timeoutSeconds / v.dpd.delaySeconds)))}`,
        ]
      : ['        set dpd disable'];
  return [
    `    edit "${t.shortName}"`,
    `        set interface "${WAN}"`,
    `        set ike-version ${v.ikeVersion}`,
    ...(v.ikeVersion === 1 ? [`        set mode ${v.aggressive ? 'aggressive' : 'main'}`] : []),
    '        set peertype any',
    '        set net-device disable',
    `        set proposal ${proposals(v, 'ike')}`,
    `        set dhgrp ${spellSome('fortigate', 'group', groups).join(' ')}`,
    ...(t.localAddress === '%any' ? [] : [`        set local-gw ${t.localAddress}`]),
    ...localId(t.localId),
    `        set remote-gw ${t.remoteAddress}`,
    `        set psksecret "${psk}"`,
    `        set keylife ${v.ikeLifetimeSeconds}`,
    ...dpd,
    '        set nattraversal forced',
    '    next',
  ];
}

function phase2(v: PeerView, t: PeerTunnel): string[] {
  const pairs = v.pairs.flatMap((p) => p.local.flatMap((l) => p.remote.map((r) => [l, r] as const)));
  return pairs.flatMap(([l, r], i) => {
    const [a, b] = [ipv4Mask(l), ipv4Mask(r)];
    return [
      `    edit "${t.shortName}-${i + 1}"`,
      `        set phase1name "${t.shortName}"`,
      `        set proposal ${proposals(v, 'esp')}`,
      ...(v.pfs.length > 0 ? ['        set pfs enable', `        set dhgrp ${spellSome('fortigate', 'group', v.pfs).join(' ')}`] : ['        set pfs disable']),
      `        set keylifeseconds ${v.espLifetimeSeconds}`,
      '        set auto-negotiate enable',
      `        set src-subnet ${a.network} ${a.mask}`,
      `        set dst-subnet ${b.network} ${b.mask}`,
      '    next',
    ];
  });
}

/** FortiOS CLI for the peer (backs `GET …/peer_config?format=fortigate`). */
export function peerFortigateConf(d: DesiredConnection): string {
  const v = peerView(d);
  const psk = cliPsk('fortigate', v.psk);
  return [
    `# Peer configuration for Causeway connection ${v.connectionId} (FortiGate, FortiOS CLI, IKEv${v.ikeVersion}).`,
    `# "${WAN}" stands for the WAN interface. Add a static route for the gateway's networks through the`,
    '# tunnel interface and firewall policies between it and your LAN.',
    '# The gateway always encapsulates ESP in UDP (NAT-T, "nattraversal forced"): allow UDP 500 and',
    `# UDP 4500 to and from ${v.tunnels.map((t) => t.remoteAddress).join(', ')}.`,
    'config vpn ipsec phase1-interface',
    ...v.tunnels.flatMap((t) => phase1(v, t, psk)),
    'end',
    'config vpn ipsec phase2-interface',
    ...v.tunnels.flatMap((t) => phase2(v, t)),
    'end',
    '',
  ].join('\n');
}
