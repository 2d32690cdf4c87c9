import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CHARON = '/usr/lib/ipsec/charon';

export interface CharonOptions {
  /** The network namespace charon runs in. */
  readonly ns: string;
  /** A directory of its own: strongswan.conf, the vici socket, the log. */
  readonly dir: string;
  /** IKEv2 liveness (DPD timeout) is charon's retransmission schedule (fact sheet §5.5). */
  readonly retransmit?: { timeout: number; base: number; tries: number };
  readonly aggressivePsk?: boolean;
  /**
   * A gateway member's charon: its namespace's `lo` holds only the addresses kernel-libipsec needs
   * inside each local_ts (SW §0.2), one per connection. charon still finds them for its routes, but
   * with `lo` ignored an address added there is no network change to it: otherwise each one makes it
   * reinstall every route of its TUN device, one netlink request per tunnel (O(connections) per new
   * connection). Not for a namespace whose IKE address is on `lo` (a route tunnel's).
   */
  readonly ignoreLoopback?: boolean;
}

export function viciSocketPath(dir: string): string {
  return join(dir, 'charon.vici');
}

/** The per-instance strongswan.conf of fact sheet §5.2: kernel-libipsec, its own vici socket, no stroke. */
export function charonConf(o: CharonOptions): string {
  const r = o.retransmit ?? { timeout: 2, base: 1.4, tries: 4 };
  return `charon {
  load_modular = yes
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec { load = yes }
    vici { socket = unix://${viciSocketPath(o.dir)} }
    stroke { load = no }
    # charon's own packets (IKE, and libipsec's ESP-in-UDP) carry mark 0x42 and skip table 220:
    # libipsec tracks routes by selectors only, so of two 0.0.0.0/0 CHILDs to two peers only the
    # first gets its exclude route, and the second peer's IKE and ESP would go into ipsec0.
    socket-default { fwmark = 0x42 }
    kernel-netlink { fwmark = !0x42 }
  }
  filelog {
    main {
      path = ${join(o.dir, 'charon.log')}
      time_format = %F %T
      time_add_ms = yes
      default = 1
      ike = 1
      cfg = 1
      knl = 1
      flush_line = yes
      ike_name = yes
    }
  }
  # charon learns addresses from netlink events, and one event socket hears addresses and routes. A
  # burst of address changes (an address per connection, 200 at once) overflowed its receive buffer
  # (ENOBUFS: "unable to receive from RT event socket"), and 5.9.8's event thread then spun at 100 %
  # CPU for about a second. Every address on lo also brings a route event; charon never needs them
  # here (the agent owns every route outside charon's own table 220): half the events per burst.
  process_route = no
  ${o.ignoreLoopback ? 'interfaces_ignore = lo' : ''}
  retransmit_timeout = ${r.timeout}
  retransmit_base = ${r.base}
  retransmit_tries = ${r.tries}
  ${o.aggressivePsk ? 'i_dont_care_about_security_and_use_aggressive_mode_psk = yes' : ''}
}
`;
}

/**
 * Starts one charon in its namespace with a private /run (so instances never share a pid file),
 * as fact sheet §5.1 shows. `ip netns exec` and `unshare` exec, so the child's PID is charon's own.
 */
export function startCharon(o: CharonOptions): ChildProcess {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const conf = join(o.dir, 'strongswan.conf');
  writeFileSync(conf, charonConf(o), { mode: 0o600 });
  return spawn('ip', ['netns', 'exec', o.ns, 'unshare', '-m', 'sh', '-c', `mount -t tmpfs none /run && exec ${CHARON}`], {
    env: { ...process.env, STRONGSWAN_CONF: conf },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Stops a charon this process started: SIGTERM to its PID, SIGKILL after `graceMs`. */
export async function stopCharon(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
