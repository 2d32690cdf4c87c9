import { AUTO_PROPOSALS, DEFAULT_AUTO_SET } from '../../src/domain/proposals.js';
import { autoEspProposals, autoIkeProposals } from '../../src/domain/proposal-builder.js';
import { DPD, PSK, type TunnelSpec } from './tunnel-plan.js';

/**
 * The floor's configuration: a swanctl.conf written by hand for one side, as strongSwan needs it: one
 * IKE conn per identity pair (a responder picks the conn by addresses and identities, then looks for
 * the CHILD only inside it), one CHILD per tunnel. With the gateways' addresses as identities that is
 * one IKE conn with N CHILDs; with an FQDN pair per tunnel, N conns. It negotiates what the API's
 * connections negotiate: the auto-negotiation proposals (IKEv2, no PFS), the same lifetimes (rekey at
 * 90 %), the same DPD and establish settings (both sides start and keep trying), the same identities
 * and pre-shared key.
 */
export interface SwanctlSide {
  readonly side: 0 | 1;
  readonly localIp: string;
  readonly remoteIp: string;
}

const list = (xs: readonly string[]): string => xs.join(',');

export function swanctlConf(s: SwanctlSide, plan: readonly TunnelSpec[]): string {
  const auto = AUTO_PROPOSALS[DEFAULT_AUTO_SET];
  const ikeRekey = Math.round(auto.ike.lifetimeSeconds * 0.9);
  const espRekey = Math.round(auto.esp.lifetimeSeconds * 0.9);
  const peer = s.side === 0 ? 1 : 0;
  const me = (t: TunnelSpec): string => (t.fqdn ? `@${t.fqdn[s.side]}` : s.localIp);
  const them = (t: TunnelSpec): string => (t.fqdn ? `@${t.fqdn[peer]}` : s.remoteIp);
  // strongSwan tells IKE conns apart by addresses and identities only: one conn per identity pair.
  const groups = new Map<string, TunnelSpec[]>();
  for (const t of plan) groups.set(`${me(t)} ${them(t)}`, [...(groups.get(`${me(t)} ${them(t)}`) ?? []), t]);
  const child = (t: TunnelSpec): string => `      t${t.index} {
        local_ts = ${t.cidr[s.side]}
        remote_ts = ${t.cidr[peer]}
        esp_proposals = ${list(autoEspProposals(DEFAULT_AUTO_SET, 2))}
        rekey_time = ${espRekey}s
        life_time = ${auto.esp.lifetimeSeconds}s
        start_action = start
        dpd_action = restart
        close_action = none
        mode = tunnel
      }`;
  const conns = [...groups.values()].map(
    (ts, k) => `  bench-${k} {
    version = 2
    local_addrs = ${s.localIp}
    remote_addrs = ${s.remoteIp}
    proposals = ${list(autoIkeProposals(DEFAULT_AUTO_SET))}
    dpd_delay = ${DPD.interval}s
    rekey_time = ${ikeRekey}s
    over_time = ${auto.ike.lifetimeSeconds - ikeRekey}s
    keyingtries = 0
    mobike = no
    encap = no
    fragmentation = yes
    unique = no
    local {
      auth = psk
      id = ${me(ts[0]!)}
    }
    remote {
      auth = psk
      id = ${them(ts[0]!)}
    }
    children {
${ts.map(child).join('\n')}
    }
  }`,
  );
  const secrets = [...groups.values()].map(
    (ts, k) => `  ike-${k} {
    id-local = ${me(ts[0]!)}
    id-remote = ${them(ts[0]!)}
    secret = "${PSK}"
  }`,
  );
  return `# bench/tunnels floor: side ${s.side + 1}, ${plan.length} tunnel(s) in ${groups.size} IKE conn(s)
connections {
${conns.join('\n')}
}
secrets {
${secrets.join('\n')}
}
`;
}
