import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CharonOptions } from './charon-process.js';
import { CharonSupervisor } from './charon-supervisor.js';
import { ViciClient } from '../vici/index.js';
import { pickAddresses, POOL_RESERVED_LOW } from '../../domain/address-pool.js';
import { type Cidr, formatAddress, parseCidr } from '../../domain/cidr.js';
import { ensureNamespace, ip, ipIdempotent, listNamespaces } from './ip-command.js';
import { ensureInternet, plugIntoInternet } from './lab-internet.js';
import { SITE_NAME, siteNs, uplinkPeer } from './lab-names.js';
import { LabState, type LabRecord } from './lab-state.js';

export interface SitePools {
  readonly gateways: Cidr;
  readonly sites: Cidr;
  readonly internetNs: string;
}

/**
 * A simulated on-prem site: a namespace on the lab internet with a public address from the site pool,
 * a LAN (its first host inside the namespace) and a charon of its own.
 */
export async function createSite(labRoot: string, name: string, lanText: string, pools: SitePools): Promise<LabRecord> {
  if (!SITE_NAME.test(name)) throw new Error(`site name '${name}' must be 1-20 lower-case letters, digits or '-'`);
  const lan = parseCidr(lanText);
  if (!lan.ok || lan.hostBitsSet || lan.cidr.family !== 4 || lan.cidr.prefix > 30)
    throw new Error(`--lan '${lanText}' must be an IPv4 network CIDR of /30 or larger`);
  const state = new LabState(labRoot);
  if (state.get('site', name)) throw new Error(`site '${name}' already exists`);
  const used = new Set(state.all().flatMap((r) => (r.publicIp ? [r.publicIp] : [])));
  const [publicIp] = pickAddresses(pools.sites, used, 1, POOL_RESERVED_LOW);
  if (!publicIp) throw new Error(`the site pool ${pools.sites.text} is exhausted`);
  const ns = siteNs(name);
  // Site namespaces are named by the site alone: one of that name that this lab has no record of is
  // another lab's (another data directory on this machine), and building into it would break that site.
  if ((await listNamespaces()).includes(ns))
    throw new Error(
      `site '${name}': namespace ${ns} already exists on this machine, made by another lab (another data directory); pick another name, or run 'causeway lab down' for that lab (or 'ip netns del ${ns}' if no lab has it)`,
    );
  const dir = state.dirFor('site', name);
  const record: LabRecord = { kind: 'site', name, ns, dir, publicIp, lan: lan.cidr.text, internetNs: pools.internetNs };
  state.put(record);
  state.noteInternet(pools.internetNs);
  await ensureInternet([pools.gateways, pools.sites], pools.internetNs);
  await ensureNamespace(ns);
  // The LAN: a veth pair inside the site (this kernel has no dummy interfaces); lan0 holds the LAN's first host.
  // It comes before the uplink: a route-based (0.0.0.0/0) tunnel's route has no source address (charon
  // gives none for a selector holding 127.0.0.1), and Linux then picks the first interface's address,
  // so what the site itself sends into the tunnel leaves from its LAN address, not its public one.
  await ipIdempotent(['link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'lan1'], ns);
  await ip(['link', 'set', 'lan1', 'up'], ns);
  await ip(['link', 'set', 'lan0', 'up'], ns);
  await ipIdempotent(['addr', 'add', `${formatAddress(lan.cidr.network + 1n, 4)}/${lan.cidr.prefix}`, 'dev', 'lan0'], ns);
  await plugIntoInternet(ns, uplinkPeer(Buffer.from(name).toString('hex').padEnd(12, '0'), 9), 'wan0', [publicIp], pools.sites, pools.internetNs);
  const charon = new CharonSupervisor({ ns, dir });
  await charon.ensure();
  const done: LabRecord = { ...record, charonPid: charon.pid() };
  state.put(done);
  return done;
}

/** A site's record; an error that says how to make it when there is none. */
export function siteRecord(labRoot: string, name: string): LabRecord {
  const site = new LabState(labRoot).get('site', name);
  if (!site) throw new Error(`there is no lab site '${name}'; create it with: causeway lab site create ${name} --lan CIDR`);
  return site;
}

async function reloadSettings(socket: string): Promise<void> {
  const vici = new ViciClient({ socketPath: socket });
  try {
    await vici.connect(5_000);
    await vici.reloadSettings();
  } finally {
    vici.close();
  }
}

/**
 * Loads the site's whole configuration (the peer side of every connection it answers) into its
 * charon and records which connections those are; conns no longer in it are unloaded.
 */
export async function connectSite(
  labRoot: string,
  name: string,
  swanctlConf: string,
  connectionIds: readonly string[],
  settings: Pick<CharonOptions, 'retransmit'> = {},
): Promise<void> {
  const site = siteRecord(labRoot, name);
  const charon = new CharonSupervisor({ ns: site.ns, dir: site.dir });
  // The site's IKEv2 liveness follows its connections' DPD, as a gateway's does, so it leaves a dead tunnel as soon.
  const changed = charon.configure(settings);
  if (!(await charon.ensure()) && changed) await reloadSettings(charon.socket);
  const file = join(site.dir, 'swanctl.conf');
  writeFileSync(file, swanctlConf, { mode: 0o600 });
  await promisify(execFile)('swanctl', ['--load-all', '--noprompt', '--file', file, '--uri', `unix://${charon.socket}`], { timeout: 30_000 });
  new LabState(labRoot).put({ ...site, charonPid: charon.pid(), connections: [...connectionIds] });
}
