import type { Cipher, Integrity } from '../../domain/crypto-catalogue.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { pskBase64 } from '../strongswan/peer-config.js';
import { isAeadProposal, type PeerIdentity, type PeerTunnel, type PeerView, peerView, type ProposalParts } from './peer-view.js';
import { spellSome } from './vendor-algorithms.js';

/**
 * The peer's configuration for libreswan (4.x and 5.x): an `ipsec.conf` (config setup + one conn per
 * tunnel) and its `ipsec.secrets`, in one text with a header line before each file. Pure.
 * Syntax: ipsec.conf(5) and ipsec.secrets(5), https://manpages.ubuntu.com/manpages/plucky/man5/ipsec.conf.5.html
 * (libreswan 4.14); algorithm names checked with libreswan 4.10's own `algparse`. Proven against a
 * running pluto in test/lab/libreswan-peer.test.ts.
 */

/** The header line before each file; `splitFiles` finds them again. */
export const FILE_HEADER = /^# =+ file: (\S+)/;
const header = (file: string, note = ''): string => `# ======== file: ${file}${note} ========`;

/** An identity in libreswan syntax: addresses bare, host names `@fqdn`, key ids `@#<hex>`. */
function libreswanId(id: PeerIdentity): string {
  return id.type === 'address' ? id.value : id.type === 'fqdn' ? `@${id.value}` : `@#${id.value}`;
}

const plus = (xs: readonly string[]): string => xs.join('+');

/** IKE: IKEv2 `ciphers-integrity(or PRF for AEAD);groups` with `+` lists; IKEv1 one algorithm of each. */
function ikeLine(v: PeerView): string {
  const cipher = v.ikeVersion === 1 ? 'ikev1Cipher' : 'ikeCipher';
  const integ = v.ikeVersion === 1 ? 'ikev1Integrity' : 'ikeIntegrity';
  return v.ike
    .map((p: ProposalParts) => {
      const second = isAeadProposal(p) ? p.prf : p.integrity;
      return `${plus(spellSome('libreswan', cipher, p.encryption))}-${plus(spellSome('libreswan', integ, second))};${plus(spellSome('libreswan', 'group', p.groups))}`;
    })
    .join(',');
}

/** ESP: AEAD ciphers stand alone, the PFS groups go after `;` (`aes256-sha2_256;dh14`). */
function espLine(v: PeerView): string {
  const pfs = v.pfs.length > 0 ? `;${plus(spellSome('libreswan', 'group', v.pfs))}` : '';
  const names = (kind: 'espCipher' | 'espIntegrity', algs: readonly (Cipher | Integrity)[]): string => plus(spellSome('libreswan', kind, algs));
  const suite = (ciphers: readonly Cipher[], integrity: readonly Integrity[]): string =>
    integrity.length === 0 ? names('espCipher', ciphers) : `${names('espCipher', ciphers)}-${names('espIntegrity', integrity)}`;
  const suites =
    v.ikeVersion === 1
      ? v.esp.flatMap((p) =>
          isAeadProposal(p) ? p.encryption.map((c) => suite([c], [])) : p.encryption.flatMap((c) => p.integrity.map((i) => suite([c], [i]))),
        )
      : v.esp.map((p) => suite(p.encryption, isAeadProposal(p) ? [] : p.integrity));
  return suites.map((s) => `${s}${pfs}`).join(',');
}

const subnets = (side: 'left' | 'right', cidrs: readonly string[]): string =>
  cidrs.length === 1 ? `${side}subnet=${cidrs[0]}` : `${side}subnets={${cidrs.join(' ')}}`;

function connLines(v: PeerView, t: PeerTunnel, index: number): string[] {
  const dpd =
    v.dpd.delaySeconds > 0
      ? [`dpddelay=${v.dpd.delaySeconds}s`, `dpdtimeout=${v.dpd.timeoutSeconds}s`, 'dpdaction=restart']
      : ['# no DPD: the connection has dead peer detection off'];
  return [
    `conn ${t.name}`,
    `    left=${t.localAddress === '%any' ? '%defaultroute' : t.localAddress}`,
    `    leftid=${libreswanId(t.localId)}`,
    `    ${subnets('left', v.localTs)}`,
    `    right=${t.remoteAddress}`,
    `    rightid=${libreswanId(t.remoteId)}`,
    `    ${subnets('right', v.remoteTs)}`,
    ...(v.routeBased ? [`    # route-based: traffic routed into ipsec${index + 1} goes through this tunnel`, `    ipsec-interface=${index + 1}`] : []),
    '    authby=secret',
    `    # IKEv${v.ikeVersion} (libreswan 5.x also reads keyexchange=ikev${v.ikeVersion})`,
    `    ikev2=${v.ikeVersion === 2 ? 'yes' : 'no'}`,
    ...(v.ikeVersion === 1 ? [`    aggressive=${v.aggressive ? 'yes' : 'no'}`] : []),
    `    ike=${ikeLine(v)}`,
    `    esp=${espLine(v)}`,
    `    pfs=${v.pfs.length > 0 ? 'yes' : 'no'}`,
    `    ikelifetime=${v.ikeLifetimeSeconds}s`,
    `    salifetime=${v.espLifetimeSeconds}s`,
    ...dpd.map((l) => `    ${l}`),
    '    # the gateway always encapsulates ESP in UDP 4500',
    '    encapsulation=yes',
    '    fragmentation=yes',
    '    mobike=no',
    '    auto=start',
  ];
}

/** `ipsec.conf` and `ipsec.secrets` for the peer (backs `GET …/peer_config?format=libreswan`). */
export function peerLibreswanConf(d: DesiredConnection): string {
  const v = peerView(d);
  const gateways = v.tunnels.map((t) => t.remoteAddress).join(', ');
  const secrets = v.tunnels.map((t) => `${libreswanId(t.localId)} ${libreswanId(t.remoteId)} : PSK ${pskBase64(v.psk)}`);
  return [
    `# Peer configuration for Causeway connection ${v.connectionId} (libreswan 4.x/5.x).`,
    '# left = this device, right = the Causeway gateway. Two files follow, each after its own header line.',
    `# The gateway always encapsulates ESP in UDP (NAT-T): this device's firewall must allow UDP 500 and`,
    `# UDP 4500 to and from ${gateways}.`,
    header('/etc/ipsec.conf'),
    'config setup',
    ...(v.ikeVersion === 1
      ? ['    # IKEv1: libreswan 4.10+ and 5.x refuse IKEv1 unless told to accept it', '    ikev1-policy=accept']
      : ['    # (nothing needed)']),
    '',
    ...v.tunnels.flatMap((t, i) => [...connLines(v, t, i), '']),
    header('/etc/ipsec.secrets', ' (mode 0600)'),
    ...secrets,
    '',
  ].join('\n');
}

/** The files of a rendered text: file name → its content (the lines after its header). */
export function splitFiles(text: string): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const m = FILE_HEADER.exec(line);
    if (m) files.set((current = m[1]!), '');
    else if (current !== undefined) files.set(current, `${files.get(current)!}${line}\n`);
  }
  return files;
}
