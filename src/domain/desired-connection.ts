import { contentHash } from './content-hash.js';
import type { Connection, IkeIdentity } from './connection.js';
import type { DesiredConnection, DesiredDpd, DesiredTunnel } from './desired-state.js';
import type { VpnGateway } from './gateway.js';
import type { IkePolicy, IpsecPolicy } from './policy.js';
import { proposalPlan } from './proposal-builder.js';

// One connection's desired state: what charon should hold for it (desired-state.ts has the types
// and the state of a gateway's whole charon instance).

/** An IKE identity in strongSwan syntax (SW §3.8): plain IPs, `@fqdn`, `keyid:#<hex>`. */
export function strongswanId(id: IkeIdentity): string {
  switch (id.type) {
    case 'ipv4':
    case 'ipv6':
      return id.value;
    case 'fqdn':
    case 'hostname':
      return `@${id.value}`;
    case 'key_id':
      return `keyid:#${Buffer.from(id.value, 'base64').toString('hex')}`;
  }
}

/** The peer identity when none is configured: its address, or `@fqdn`. */
function defaultPeerId(c: Connection): string {
  return c.peer.address ?? `@${c.peer.fqdn ?? ''}`;
}

const tenths = (seconds: number, n: number): number => Math.round((seconds * n) / 10);

function tunnelsOf(gateway: VpnGateway, c: Connection): DesiredTunnel[] {
  const members = [...gateway.members].sort((a, b) => a.index - b.index);
  const used =
    c.pinnedMember !== null
      ? members.filter((m) => m.index === c.pinnedMember)
      : c.kind === 'policy'
        ? members.filter((m) => m.role === 'active').slice(0, 1)
        : members;
  return used.flatMap((m) => {
    if (m.publicIp === null) return [];
    const identity = c.kind === 'policy' ? c.localIdentities[0] : c.localIdentities[m.index - 1];
    const t = c.tunnels.find((x) => x.memberIndex === m.index);
    return [
      {
        memberIndex: m.index,
        localAddress: m.publicIp,
        localId: identity ? strongswanId(identity) : m.publicIp,
        interfaceIp: t?.interfaceIp ?? null,
        neighborIp: t?.neighborIp ?? null,
      },
    ];
  });
}

function dpdOf(c: Connection, ikeVersion: 1 | 2): DesiredDpd {
  const probing = c.dpd.action !== 'none';
  const restarts = (c.dpd.action === 'restart' || c.dpd.action === 'hold') && c.establishMode === 'bidirectional';
  return {
    action: c.dpd.action,
    dpdAction: restarts ? 'restart' : 'clear',
    delaySeconds: probing ? c.dpd.intervalSeconds : 0,
    timeoutSeconds: probing ? c.dpd.timeoutSeconds : 0,
    timeoutVia: ikeVersion === 1 ? 'dpd_timeout' : 'retransmit',
  };
}

/**
 * The desired data-plane state of one connection. `ikePolicy`/`ipsecPolicy` must be the policies
 * the connection refers to (undefined exactly when its reference is null = auto-negotiation).
 */
export function desiredConnection(
  gateway: VpnGateway,
  c: Connection,
  ikePolicy: IkePolicy | undefined,
  ipsecPolicy: IpsecPolicy | undefined,
): DesiredConnection {
  if (c.gatewayId !== gateway.id) throw new Error(`connection ${c.id} is not on gateway ${gateway.id}`);
  if ((c.ikePolicyId ?? undefined) !== ikePolicy?.id) throw new Error(`connection ${c.id}: IKE policy ${String(c.ikePolicyId)} not given`);
  if ((c.ipsecPolicyId ?? undefined) !== ipsecPolicy?.id) throw new Error(`connection ${c.id}: IPsec policy ${String(c.ipsecPolicyId)} not given`);
  const plan = proposalPlan(ikePolicy, ipsecPolicy, c.autoSet);
  const tunnels = tunnelsOf(gateway, c);
  const anyRoute = tunnels[0]?.localAddress.includes(':') ? '::/0' : '0.0.0.0/0';
  const bidirectional = c.establishMode === 'bidirectional';
  const content: Omit<DesiredConnection, 'revision' | 'hash'> = {
    connectionId: c.id,
    gatewayId: c.gatewayId,
    accountId: c.accountId,
    kind: c.kind,
    adminStateUp: c.adminStateUp,
    ikePolicyId: c.ikePolicyId,
    ipsecPolicyId: c.ipsecPolicyId,
    autoSet: c.autoSet,
    ikeVersion: plan.ikeVersion,
    aggressive: plan.aggressive,
    ikeProposals: plan.ikeProposals,
    espProposals: plan.espProposals,
    ikeLifetime: {
      lifetimeSeconds: plan.ikeLifetimeSeconds,
      rekeySeconds: tenths(plan.ikeLifetimeSeconds, 9),
      overSeconds: plan.ikeLifetimeSeconds - tenths(plan.ikeLifetimeSeconds, 9),
    },
    espLifetime: { lifetimeSeconds: plan.espLifetimeSeconds, rekeySeconds: tenths(plan.espLifetimeSeconds, 9) },
    pfs: plan.pfs,
    psk: c.psk,
    remoteAddress: c.peer.address ?? c.peer.fqdn ?? '',
    remoteId: c.peerIdentity ? strongswanId(c.peerIdentity) : defaultPeerId(c),
    localTs: c.kind === 'policy' ? [...c.localCidrs] : [anyRoute],
    remoteTs: c.kind === 'policy' ? [...c.peerCidrs] : [anyRoute],
    tunnels,
    dpd: dpdOf(c, plan.ikeVersion),
    establish: {
      mode: c.establishMode,
      startAction: bidirectional ? 'start' : 'none',
      closeAction: 'none',
      keyingtries: bidirectional ? 0 : 1,
    },
    resets: c.resets,
  };
  return { ...content, revision: c.revision, hash: contentHash(content) };
}
