import type { DesiredConnection } from '../../domain/desired-state.js';
import { ipv4Mask, isAeadProposal, type PeerIdentity, type PeerTunnel, type PeerView, peerView } from './peer-view.js';
import { spell, spellableSuites, spellSome } from './vendor-algorithms.js';

/**
 * The peer's configuration for pfSense (2.5 and later): the `<ipsec>` fragment of its config.xml, one
 * `<phase1>` per tunnel and one `<phase2>` per selector pair. Pure.
 * Syntax: pfSense's own reader of these elements, src/etc/inc/ipsec.inc and
 * src/usr/local/www/vpn_ipsec_phase1.php / vpn_ipsec_phase2.php in https://github.com/pfsense/pfsense,
 * and the pfsensible Ansible modules documenting the same fields,
 * https://github.com/opoplawski/ansible-pfsense/wiki/pfsense_ipsec_proposal
 * https://github.com/opoplawski/ansible-pfsense/wiki/pfsense_ipsec_p2
 */

/** pfSense lists one encryption/hash/DH item per row; beyond this many rows the rest are left out. */
const MAX_ITEMS = 16;

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function idElements(side: 'myid' | 'peerid', id: PeerIdentity): string[] {
  const type = id.type === 'address' ? 'address' : id.type === 'fqdn' ? 'fqdn' : 'keyid tag';
  return [`\t\t<${side}_type>${type}</${side}_type>`, `\t\t<${side}_data>${xml(id.value)}</${side}_data>`];
}

/** `<name>aes</name><keylen>256</keylen>` from the table's `aes 256` (3DES has no key length). */
function cipherElements(tag: string, spelled: string, indent: string): string[] {
  const [name = '', keylen] = spelled.split(' ');
  return [`${indent}<${tag}>`, `${indent}\t<name>${name}</name>`, ...(keylen ? [`${indent}\t<keylen>${keylen}</keylen>`] : []), `${indent}</${tag}>`];
}

function phase1(v: PeerView, t: PeerTunnel, ikeid: number): string[] {
  const items = spellableSuites('pfsense', v.ikeVersion === 1 ? 'ikev1' : 'ike', v.ike)
    .slice(0, MAX_ITEMS)
    .flatMap((s) => {
      const hash = spell('pfsense', 'ikeIntegrity', s.integrity!);
      return [
        '\t\t\t<item>',
        ...cipherElements('encryption-algorithm', spell('pfsense', 'ikeCipher', s.cipher), '\t\t\t\t'),
        `\t\t\t\t<hash-algorithm>${hash}</hash-algorithm>`,
        `\t\t\t\t<prf-algorithm>${hash}</prf-algorithm>`,
        `\t\t\t\t<dhgroup>${spell('pfsense', 'group', s.group!)}</dhgroup>`,
        '\t\t\t</item>',
      ];
    });
  const dpd =
    v.dpd.delaySeconds > 0
      ? [
          `\t\t<dpd_delay>${v.dpd.delaySeconds}</dpd_delay>`,
          `\t\t<dpd_maxfail>${Math.max(1, Math.floor(v.dpd.timeoutSeconds / v.dpd.delaySeconds))}</dpd_maxfail>`,
        ]
      : [];
  return [
    '\t<phase1>',
    `\t\t<ikeid>${ikeid}</ikeid>`,
    `\t\t<iketype>ikev${v.ikeVersion}</iketype>`,
    ...(v.ikeVersion === 1 ? [`\t\t<mode>${v.aggressive ? 'aggressive' : 'main'}</mode>`] : []),
    '\t\t<interface>wan</interface>',
    `\t\t<remote-gateway>${t.remoteAddress}</remote-gateway>`,
    '\t\t<protocol>inet</protocol>',
    ...(t.localAddress === '%any' && t.localId.type === 'address'
      ? ['\t\t<myid_type>myaddress</myid_type>', '\t\t<myid_data></myid_data>']
      : idElements('myid', t.localId)),
    ...idElements('peerid', t.remoteId),
    '\t\t<encryption>',
    ...items,
    '\t\t</encryption>',
    `\t\t<lifetime>${v.ikeLifetimeSeconds}</lifetime>`,
    `\t\t<pre-shared-key>${xml(v.psk)}</pre-shared-key>`,
    '\t\t<authentication_method>pre_shared_key</authentication_method>',
    `\t\t<descr>Causeway ${t.name}</descr>`,
    '\t\t<nat_traversal>force</nat_traversal>',
    '\t\t<mobike>off</mobike>',
    ...dpd,
    '\t</phase1>',
  ];
}

function network(tag: 'localid' | 'remoteid', cidr: string): string[] {
  const { network: address, prefix } = ipv4Mask(cidr);
  return [`\t\t<${tag}>`, '\t\t\t<type>network</type>', `\t\t\t<address>${address}</address>`, `\t\t\t<netbits>${prefix}</netbits>`, `\t\t</${tag}>`];
}

function phase2(v: PeerView, t: PeerTunnel, ikeid: number, reqid: () => number): string[] {
  const ciphers = spellSome(
    'pfsense',
    'espCipher',
    v.esp.flatMap((p) => p.encryption),
  );
  const hashes = spellSome(
    'pfsense',
    'espIntegrity',
    v.esp.flatMap((p) => (isAeadProposal(p) ? [] : p.integrity)),
  );
  const pfs = v.pfs.length > 0 ? spell('pfsense', 'group', v.pfs[0]!) : '0';
  const pairs = v.pairs.flatMap((p) => p.local.flatMap((l) => p.remote.map((r) => [l, r] as const)));
  return pairs.flatMap(([l, r], i) => [
    '\t<phase2>',
    `\t\t<ikeid>${ikeid}</ikeid>`,
    `\t\t<uniqid>${t.shortName}-${i + 1}</uniqid>`,
    '\t\t<mode>tunnel</mode>',
    `\t\t<reqid>${reqid()}</reqid>`,
    ...network('localid', l),
    ...network('remoteid', r),
    '\t\t<protocol>esp</protocol>',
    ...[...new Set(ciphers)].flatMap((c) => cipherElements('encryption-algorithm-option', c, '\t\t')),
    ...[...new Set(hashes)].map((h) => `\t\t<hash-algorithm-option>${h}</hash-algorithm-option>`),
    `\t\t<pfsgroup>${pfs}</pfsgroup>`,
    `\t\t<lifetime>${v.espLifetimeSeconds}</lifetime>`,
    `\t\t<descr>Causeway ${t.name} ${l} - ${r}</descr>`,
    '\t</phase2>',
  ]);
}

/** The config.xml `<ipsec>` fragment for the peer (backs `GET …/peer_config?format=pfsense`). */
export function peerPfsenseConf(d: DesiredConnection): string {
  const v = peerView(d);
  let next = 0;
  const reqid = (): number => ++next;
  return [
    `<!-- Peer configuration for Causeway connection ${v.connectionId} (pfSense 2.5+, config.xml, IKEv${v.ikeVersion}).`,
    '     Merge into the <ipsec> section of a configuration backup (Diagnostics > Backup & Restore), renumbering',
    '     <ikeid> and <reqid> if other tunnels use them; add firewall rules on the IPsec interface.',
    '     The gateway always encapsulates ESP in UDP (NAT-T, nat_traversal force): allow UDP 500 and UDP 4500',
    `     to and from ${v.tunnels.map((t) => t.remoteAddress).join(', ')}.${v.routeBased ? ' Route-based: the selectors are 0.0.0.0/0.' : ''} -->`,
    '<ipsec>',
    ...v.tunnels.flatMap((t, i) => phase1(v, t, i + 1)),
    ...v.tunnels.flatMap((t, i) => phase2(v, t, i + 1, reqid)),
    '</ipsec>',
    '',
  ].join('\n');
}
