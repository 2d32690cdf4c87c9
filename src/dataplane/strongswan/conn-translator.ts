import type { DesiredConnection, DesiredTunnel } from '../../domain/desired-state.js';

/**
 * DesiredConnection → VICI `load-conn` / `load-shared` bodies (SW §3, §7). Pure and deterministic:
 * names come from ids only, every scalar is a string and every list a real list (SW §0.10).
 */

/** A VICI message section: scalars are strings, lists are arrays of strings. */
export interface ViciSection {
  readonly [key: string]: string | readonly string[] | ViciSection;
}

/** A `load-shared` request body (SW §3.9); a type alias so it is assignable to an index-signature message type. */
export type LoadSharedBody = {
  /** Deterministic key id, so loading again replaces the key. */
  readonly id: string;
  readonly type: 'IKE';
  /** The PSK's raw bytes (UTF-8 of the stored key; the VICI client sends them as-is). */
  readonly data: string;
  /** Both identities: [local id, remote id]. */
  readonly owners: readonly string[];
};

/** Every name a connection uses in charon: what it loads, or what to unload when it is down. */
export interface TranslatedNames {
  /** IKE conn names (`load-conn` / `unload-conn`). */
  readonly conns: readonly string[];
  /** CHILD names (`initiate` / `uninstall`). */
  readonly children: readonly string[];
  /** Shared key ids (`load-shared` / `unload-shared`). */
  readonly shared: readonly string[];
}

/** What one connection asks of charon. */
export interface Translation {
  /** One `load-conn` message: conn name → conn body. Empty when the connection is admin down. */
  readonly conns: Readonly<Record<string, ViciSection>>;
  /** One `load-shared` message each. Empty when the connection is admin down. */
  readonly shared: readonly LoadSharedBody[];
  readonly names: TranslatedNames;
}

/** The IKE conn name of a connection's tunnel: `cw-<id>` (policy) or `cw-<id>-t<member>` (route kinds). */
export function ikeConnName(d: Pick<DesiredConnection, 'connectionId' | 'kind'>, memberIndex: number): string {
  return d.kind === 'policy' ? `cw-${d.connectionId}` : `cw-${d.connectionId}-t${memberIndex}`;
}

/** The n-th (1-based) CHILD of an IKE conn: `<ike name>-<n>`. */
export function childName(ikeName: string, n: number): string {
  return `${ikeName}-${n}`;
}

/** The shared-key id of an IKE conn: `psk-<ike name>`. */
export function sharedKeyId(ikeName: string): string {
  return `psk-${ikeName}`;
}

/** A VICI duration: whole seconds, `<n>s`. */
export function seconds(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a duration in whole seconds: ${n}`);
  return `${n}s`;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** The selector pairs of the CHILDs: IKEv2 one CHILD with all TS; IKEv1 one per (local, remote) pair (SW §0.5). */
export function selectorPairs(d: Pick<DesiredConnection, 'ikeVersion' | 'localTs' | 'remoteTs'>): { local: string[]; remote: string[] }[] {
  if (d.ikeVersion === 2) return [{ local: [...d.localTs], remote: [...d.remoteTs] }];
  return d.localTs.flatMap((l) => d.remoteTs.map((r) => ({ local: [l], remote: [r] })));
}

function childBody(d: DesiredConnection, ts: { local: string[]; remote: string[] }): ViciSection {
  return {
    local_ts: ts.local,
    remote_ts: ts.remote,
    esp_proposals: [...d.espProposals],
    rekey_time: seconds(d.espLifetime.rekeySeconds),
    life_time: seconds(d.espLifetime.lifetimeSeconds),
    start_action: d.establish.startAction,
    dpd_action: d.dpd.dpdAction,
    close_action: d.establish.closeAction,
    mode: 'tunnel',
  };
}

function connBody(d: DesiredConnection, t: DesiredTunnel, children: ViciSection): ViciSection {
  const v1 = d.ikeVersion === 1;
  return {
    version: v1 ? '1' : '2',
    ...(v1 ? { aggressive: yesNo(d.aggressive) } : {}),
    local_addrs: [t.localAddress],
    remote_addrs: [d.remoteAddress],
    proposals: [...d.ikeProposals],
    dpd_delay: seconds(d.dpd.delaySeconds),
    ...(v1 && d.dpd.delaySeconds > 0 ? { dpd_timeout: seconds(d.dpd.timeoutSeconds) } : {}),
    rekey_time: seconds(d.ikeLifetime.rekeySeconds),
    over_time: seconds(d.ikeLifetime.overSeconds),
    keyingtries: String(d.establish.keyingtries),
    // kernel-libipsec: UDP encapsulation is enforced by the plugin itself; no MOBIKE toward gateways (SW §3.2, §5.3).
    mobike: 'no',
    encap: 'no',
    fragmentation: 'yes',
    unique: 'no',
    local: { auth: 'psk', id: t.localId },
    remote: { auth: 'psk', id: d.remoteId },
    children,
  };
}

/**
 * Translates one desired connection. Policy kind: one IKE conn `cw-<id>`; route kinds: one IKE
 * conn per tunnel `cw-<id>-t<member>`. Each IKE conn has CHILDs `<ike name>-1…n` and one shared
 * key `psk-<ike name>` owned by both identities. Admin down: nothing to load, only the names.
 * peer-config.ts renders it per connection (mirrored) for the peer device; the agent loads a
 * gateway's connections merged per peer identity (peer-group-translator.ts), keeping these CHILDs.
 */
export function translate(d: DesiredConnection): Translation {
  const pairs = selectorPairs(d);
  const conns: Record<string, ViciSection> = {};
  const shared: LoadSharedBody[] = [];
  const names = { conns: [] as string[], children: [] as string[], shared: [] as string[] };
  for (const t of d.tunnels) {
    const ike = ikeConnName(d, t.memberIndex);
    const children: Record<string, ViciSection> = {};
    pairs.forEach((ts, i) => {
      const child = childName(ike, i + 1);
      children[child] = childBody(d, ts);
      names.children.push(child);
    });
    names.conns.push(ike);
    names.shared.push(sharedKeyId(ike));
    conns[ike] = connBody(d, t, children);
    shared.push({ id: sharedKeyId(ike), type: 'IKE', data: d.psk, owners: [t.localId, d.remoteId] });
  }
  return d.adminStateUp ? { conns, shared, names } : { conns: {}, shared: [], names };
}
