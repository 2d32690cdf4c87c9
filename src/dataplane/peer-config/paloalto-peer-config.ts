import type { DesiredConnection } from '../../domain/desired-state.js';
import { isAeadProposal, type PeerIdentity, type PeerTunnel, type PeerView, peerView } from './peer-view.js';
import { cliPsk, spellSome } from './vendor-algorithms.js';

/**
 * The peer's configuration for a Palo Alto Networks firewall, as PAN-OS `set` commands (configure
 * mode): IKE and IPsec crypto profiles, an IKE gateway, a tunnel interface and an IPsec tunnel with
 * one proxy ID per selector pair (policy mode). Pure.
 * Syntax: PAN-OS Administration Guide, "Define IKE Crypto Profiles", "Define IPSec Crypto Profiles",
 * "Set Up an IKE Gateway", https://docs.paloaltonetworks.com/network-security/ipsec-vpn/administration/set-up-site-to-site-vpn/define-cryptographic-profiles/define-ike-crypto-profiles
 * https://origin-docs.paloaltonetworks.com/content/techdocs/en_US/pan-os/11-0/pan-os-admin/vpns/set-up-site-to-site-vpn/define-cryptographic-profiles/define-ipsec-crypto-profiles.html
 */

const WAN = 'ethernet1/1';

function panId(id: PeerIdentity): string {
  return `id ${id.value} type ${id.type === 'address' ? 'ipaddr' : id.type === 'fqdn' ? 'fqdn' : 'keyid'}`;
}

const list = (xs: readonly string[]): string => `[ ${[...new Set(xs)].join(' ')} ]`;

function profiles(v: PeerView, name: string): string[] {
  const ike = `set network ike crypto-profiles ike-crypto-profiles ${name}`;
  const esp = `set network ike crypto-profiles ipsec-crypto-profiles ${name}`;
  const ikeHashes = v.ike.flatMap((p) => (isAeadProposal(p) ? p.prf : p.integrity));
  const espHashes = v.esp.flatMap((p) => (isAeadProposal(p) ? [] : p.integrity));
  return [
    `${ike} encryption ${list(
      spellSome(
        'paloalto',
        'ikeCipher',
        v.ike.flatMap((p) => p.encryption),
      ),
    )}`,
    `${ike} hash ${list(spellSome('paloalto', 'ikeIntegrity', ikeHashes))}`,
    `${ike} dh-group ${list(
      spellSome(
        'paloalto',
        'group',
        v.ike.flatMap((p) => p.groups),
      ),
    )}`,
    `${ike} lifetime seconds ${v.ikeLifetimeSeconds}`,
    `${esp} esp encryption ${list(
      spellSome(
        'paloalto',
        'espCipher',
        v.esp.flatMap((p) => p.encryption),
      ),
    )}`,
    `${esp} esp authentication ${espHashes.length > 0 ? list(spellSome('paloalto', 'espIntegrity', espHashes)) : '[ none ]'}`,
    `${esp} dh-group ${v.pfs.length > 0 ? spellSome('paloalto', 'group', v.pfs)[0]! : 'no-pfs'}`,
    `${esp} lifetime seconds ${v.espLifetimeSeconds}`,
  ];
}

function gateway(v: PeerView, t: PeerTunnel, psk: string): string[] {
  const g = `set network ike gateway ${t.shortName}`;
  const version = v.ikeVersion === 2 ? 'ikev2' : 'ikev1';
  const dpd =
    v.dpd.delaySeconds > 0
      ? v.ikeVersion === 2
        ? [`${g} protocol ikev2 dpd enable yes`, `${g} protocol ikev2 dpd interval ${v.dpd.delaySeconds}`]
        : [
            `${g} protocol ikev1 dpd enable yes`,
            `${g} protocol ikev1 dpd interval ${v.dpd.delaySeconds}`,
            `${g} protocol ikev1 dpd retry ${Math.max(2, Math.min(100, Math.floor(v.dpd.timeoutSeconds / v.dpd.delaySeconds)))}`,
          ]
      : [`${g} protocol ${version} dpd enable no`];
  return [
    `${g} authentication pre-shared-key key ${psk}`,
    `${g} protocol version ${version}`,
    ...(v.ikeVersion === 1 ? [`${g} protocol ikev1 exchange-mode ${v.aggressive ? 'aggressive' : 'main'}`] : []),
    `${g} protocol ${version} ike-crypto-profile ${t.shortName}`,
    ...dpd,
    `${g} protocol-common nat-traversal enable yes`,
    `${g} local-address interface ${WAN}`,
    `${g} peer-address ip ${t.remoteAddress}`,
    `${g} local-id ${panId(t.localId)}`,
    `${g} peer-id ${panId(t.remoteId)}`,
  ];
}

function tunnel(v: PeerView, t: PeerTunnel): string[] {
  const n = `set network tunnel ipsec ${t.shortName}`;
  const pairs = v.routeBased ? [] : v.pairs.flatMap((p) => p.local.flatMap((l) => p.remote.map((r) => [l, r] as const)));
  return [
    `set network interface tunnel units tunnel.${t.memberIndex}`,
    `${n} auto-key ike-gateway ${t.shortName}`,
    `${n} auto-key ipsec-crypto-profile ${t.shortName}`,
    `${n} tunnel-interface tunnel.${t.memberIndex}`,
    ...pairs.map(([l, r], i) => `${n} auto-key proxy-id ${t.shortName}-${i + 1} local ${l} remote ${r} protocol any`),
  ];
}

/** PAN-OS `set` commands for the peer (backs `GET …/peer_config?format=paloalto`). */
export function peerPaloaltoConf(d: DesiredConnection): string {
  const v = peerView(d);
  const psk = cliPsk('paloalto', v.psk);
  return [
    `# Peer configuration for Causeway connection ${v.connectionId} (Palo Alto PAN-OS, set commands, IKEv${v.ikeVersion}).`,
    `# Paste in configure mode, then commit. ${WAN} stands for the external interface; add the tunnel`,
    "# interface to a zone and virtual router, route the gateway's networks into it and allow the traffic.",
    '# The gateway always encapsulates ESP in UDP (NAT-T): allow UDP 500 and UDP 4500 to and from',
    `# ${v.tunnels.map((t) => t.remoteAddress).join(', ')}.`,
    ...v.tunnels.flatMap((t) => [...profiles(v, t.shortName), ...gateway(v, t, psk), ...tunnel(v, t)]),
    '',
  ].join('\n');
}
