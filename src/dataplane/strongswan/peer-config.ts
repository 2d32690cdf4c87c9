import { parseAddress } from '../../domain/cidr.js';
import { contentHash } from '../../domain/content-hash.js';
import type { DesiredConnection, DesiredTunnel } from '../../domain/desired-state.js';
import { type LoadSharedBody, type ViciSection, translate } from './conn-translator.js';
import { translateGateway } from './peer-group-translator.js';

/**
 * The configuration the PEER device needs, as strongSwan swanctl.conf text: our connection seen
 * from the other end (local and remote swapped), with the same names, proposals, lifetimes and
 * selectors as ours, and the PSK written as `0s<base64>` (domain §9.9). Pure.
 */

/**
 * Our connection for one tunnel as the peer sees it: its address and identity are local, the
 * member's are remote, the selectors swap. The peer always starts the tunnel and restarts it on
 * DPD (it is the initiator whenever we are peer_only); admin state does not matter to the peer.
 */
export function mirrorForPeer(d: DesiredConnection, t: DesiredTunnel): DesiredConnection {
  const content: Omit<DesiredConnection, 'revision' | 'hash'> = {
    ...d,
    adminStateUp: true,
    remoteAddress: t.localAddress,
    remoteId: t.localId,
    localTs: [...d.remoteTs],
    remoteTs: [...d.localTs],
    tunnels: [{ ...t, localAddress: parseAddress(d.remoteAddress) ? d.remoteAddress : '%any', localId: d.remoteId }],
    dpd: { ...d.dpd, dpdAction: d.dpd.delaySeconds > 0 ? 'restart' : 'clear' },
    establish: { mode: 'bidirectional', startAction: 'start', closeAction: 'none', keyingtries: 0 },
  };
  return { ...content, revision: d.revision, hash: contentHash(content) };
}

/** A PSK in swanctl.conf's `0s<base64>` form, so any key survives the file syntax unchanged. */
export function pskBase64(psk: string): string {
  return `0s${Buffer.from(psk, 'utf8').toString('base64')}`;
}

const SAFE = /^[A-Za-z0-9._:/%@-]+$/;

/** A swanctl.conf value: bare when safe, otherwise double-quoted with `\` and `"` escaped. */
export function confValue(v: string | readonly string[]): string {
  const text = typeof v === 'string' ? v : v.join(', ');
  const bare = typeof v === 'string' ? SAFE.test(v) : v.length > 0 && v.every((x) => SAFE.test(x));
  return bare ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function section(name: string, body: ViciSection, indent: string): string[] {
  const lines = [`${indent}${name} {`];
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' || Array.isArray(value)) lines.push(`${indent}  ${key} = ${confValue(value as string | readonly string[])}`);
    else lines.push(...section(key, value as ViciSection, `${indent}  `));
  }
  lines.push(`${indent}}`);
  return lines;
}

/** A key's `secrets.ike-…` section: both owners' identities and the key in `0s<base64>` form. */
function secretSection(key: LoadSharedBody): ViciSection {
  return { ...Object.fromEntries(key.owners.map((o, i) => [`id-${i + 1}`, o])), secret: pskBase64(key.data) };
}

/** The peer's conns and secrets as structured data (what `peerSwanctlConf` renders). */
export function peerConfig(d: DesiredConnection): { connections: Record<string, ViciSection>; secrets: Record<string, ViciSection> } {
  const connections: Record<string, ViciSection> = {};
  const secrets: Record<string, ViciSection> = {};
  for (const t of d.tunnels) {
    const tr = translate(mirrorForPeer(d, t));
    Object.assign(connections, tr.conns);
    for (const key of tr.shared) secrets[`ike-${key.id}`] = secretSection(key);
  }
  return { connections, secrets };
}

/** swanctl.conf text for the peer device (backs `GET …/connections/{id}/peer_config?format=swanctl`). */
export function peerSwanctlConf(d: DesiredConnection): string {
  const { connections, secrets } = peerConfig(d);
  const head = [
    `# Peer configuration for Causeway connection ${d.connectionId} (strongSwan swanctl.conf).`,
    '# local = this device, remote = the Causeway gateway.',
    ...(d.aggressive ? ['# IKEv1 Aggressive Mode: a responder also needs charon.i_dont_care_about_security_and_use_aggressive_mode_psk = yes.'] : []),
  ];
  return [...head, ...section('connections', connections, ''), ...section('secrets', secrets, ''), ''].join('\n');
}

/**
 * swanctl.conf for one peer device that answers several connections (a lab site joined to more than
 * one): the mirrors grouped by gateway identity exactly as the gateway groups them (one IKE conn per
 * gateway, a CHILD per connection, the lowest connection id leading), so charon on the device can
 * tell them apart as responder too.
 */
export function peerSwanctlConfForAll(ds: readonly DesiredConnection[]): string {
  const groups = translateGateway(ds.flatMap((d) => d.tunnels.map((t) => mirrorForPeer(d, t))));
  const connections = Object.fromEntries(groups.map((g) => [g.name, g.conn]));
  const secrets = Object.fromEntries(groups.map((g) => [`ike-${g.shared.id}`, secretSection(g.shared)]));
  const head = [
    `# Peer configuration for Causeway connections ${ds.map((d) => d.connectionId).join(', ') || '(none)'} (strongSwan swanctl.conf).`,
    '# local = this device, remote = the Causeway gateways; one conn per gateway.',
    ...(ds.some((d) => d.aggressive)
      ? ['# IKEv1 Aggressive Mode: a responder also needs charon.i_dont_care_about_security_and_use_aggressive_mode_psk = yes.']
      : []),
  ];
  return [...head, ...section('connections', connections, ''), ...section('secrets', secrets, ''), ''].join('\n');
}
