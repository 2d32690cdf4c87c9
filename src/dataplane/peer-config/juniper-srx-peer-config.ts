import type { DesiredConnection } from '../../domain/desired-state.js';
import { type PeerIdentity, type PeerTunnel, type PeerView, peerView } from './peer-view.js';
import { cliPsk, spell, spellableSuites } from './vendor-algorithms.js';

/**
 * The peer's configuration for a Juniper SRX, as Junos `set` commands: IKE proposals, policy and
 * gateway, IPsec proposals, policy and a route-based VPN bound to st0 (policy mode adds one traffic
 * selector per selector pair, Junos' way of negotiating several subnets). Pure.
 * Syntax: [edit security ike] and [edit security ipsec] hierarchy levels,
 * https://juniper.net/documentation/en_US/junos13.2/topics/reference/statement-hierarchy/security-ike.html
 * https://juniper.net/documentation/en_US/junos12.3/topics/reference/statement-hierarchy/security-ipsec-l2.html
 */

const WAN = 'ge-0/0/0.0';
/** Junos accepts at most four proposals in an IKE or IPsec policy. */
const MAX_PROPOSALS = 4;

function junosId(id: PeerIdentity): string {
  return id.type === 'address' ? `inet ${id.value}` : id.type === 'fqdn' ? `hostname ${id.value}` : `key-id ${id.value}`;
}

function ikeLines(v: PeerView, t: PeerTunnel, psk: string): string[] {
  const n = t.shortName;
  const suites = spellableSuites('juniper-srx', v.ikeVersion === 1 ? 'ikev1' : 'ike', v.ike).slice(0, MAX_PROPOSALS);
  const proposals = suites.flatMap((s, i) => {
    const p = `set security ike proposal ${n}-${i + 1}`;
    return [
      `${p} authentication-method pre-shared-keys`,
      `${p} dh-group ${spell('juniper-srx', 'group', s.group!)}`,
      ...(s.integrity ? [`${p} authentication-algorithm ${spell('juniper-srx', 'ikeIntegrity', s.integrity)}`] : []),
      `${p} encryption-algorithm ${spell('juniper-srx', 'ikeCipher', s.cipher)}`,
      `${p} lifetime-seconds ${v.ikeLifetimeSeconds}`,
    ];
  });
  const dpd =
    v.dpd.delaySeconds > 0
      ? [
          `set security ike gateway ${n} dead-peer-detection interval ${Math.max(2, Math.min(60, v.dpd.delaySeconds))} threshold ${Math.max(1, Math.min(5, Math.floor(v.dpd.timeoutSeconds / v.dpd.delaySeconds)))}`,
        ]
      : [];
  return [
    ...proposals,
    `set security ike policy ${n} mode ${v.aggressive ? 'aggressive' : 'main'}`,
    `set security ike policy ${n} proposals [ ${suites.map((_, i) => `${n}-${i + 1}`).join(' ')} ]`,
    `set security ike policy ${n} pre-shared-key ascii-text "${psk}"`,
    `set security ike gateway ${n} ike-policy ${n}`,
    `set security ike gateway ${n} address ${t.remoteAddress}`,
    `set security ike gateway ${n} external-interface ${WAN}`,
    `set security ike gateway ${n} local-identity ${junosId(t.localId)}`,
    `set security ike gateway ${n} remote-identity ${junosId(t.remoteId)}`,
    `set security ike gateway ${n} version ${v.ikeVersion === 2 ? 'v2-only' : 'v1-only'}`,
    ...dpd,
  ];
}

function ipsecLines(v: PeerView, t: PeerTunnel): string[] {
  const n = t.shortName;
  const suites = spellableSuites('juniper-srx', 'esp', v.esp).slice(0, MAX_PROPOSALS);
  const proposals = suites.flatMap((s, i) => {
    const p = `set security ipsec proposal ${n}-${i + 1}`;
    return [
      `${p} protocol esp`,
      ...(s.integrity ? [`${p} authentication-algorithm ${spell('juniper-srx', 'espIntegrity', s.integrity)}`] : []),
      `${p} encryption-algorithm ${spell('juniper-srx', 'espCipher', s.cipher)}`,
      `${p} lifetime-seconds ${v.espLifetimeSeconds}`,
    ];
  });
  const selectors = v.routeBased
    ? []
    : v.pairs
        .flatMap((p) => p.local.flatMap((l) => p.remote.map((r) => [l, r] as const)))
        .map(([l, r], i) => `set security ipsec vpn ${n} traffic-selector ts${i + 1} local-ip ${l} remote-ip ${r}`);
  const unit = t.memberIndex - 1;
  return [
    ...proposals,
    ...(v.pfs.length > 0 ? [`set security ipsec policy ${n} perfect-forward-secrecy keys ${spell('juniper-srx', 'group', v.pfs[0]!)}`] : []),
    `set security ipsec policy ${n} proposals [ ${suites.map((_, i) => `${n}-${i + 1}`).join(' ')} ]`,
    `set interfaces st0 unit ${unit} family inet`,
    `set security ipsec vpn ${n} bind-interface st0.${unit}`,
    `set security ipsec vpn ${n} ike gateway ${n}`,
    `set security ipsec vpn ${n} ike ipsec-policy ${n}`,
    ...selectors,
    `set security ipsec vpn ${n} establish-tunnels immediately`,
  ];
}

/** Junos `set` commands for the peer (backs `GET …/peer_config?format=juniper-srx`). */
export function peerJuniperSrxConf(d: DesiredConnection): string {
  const v = peerView(d);
  const psk = cliPsk('juniper-srx', v.psk);
  return [
    `# Peer configuration for Causeway connection ${v.connectionId} (Juniper SRX, Junos set commands, IKEv${v.ikeVersion}).`,
    `# Load with "load set terminal". ${WAN} stands for the external interface and st0 for the tunnel`,
    '# interface: put st0 in a security zone and allow traffic through it with your security policies.',
    '# The gateway always encapsulates ESP in UDP (NAT-T): allow UDP 500 and UDP 4500 to and from',
    `# ${v.tunnels.map((t) => t.remoteAddress).join(', ')} (host-inbound-traffic system-services ike on the external zone).`,
    ...(v.routeBased ? ['# Route-based: route the networks behind the gateway into st0.'] : []),
    ...v.tunnels.flatMap((t) => [...ikeLines(v, t, psk), ...ipsecLines(v, t)]),
    '',
  ].join('\n');
}
