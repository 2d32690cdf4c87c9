import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ReadQueries } from '../control/read-queries.js';
import { ChangeBus } from '../control/change-bus.js';
import { Clock } from '../control/clock.js';
import type { ControlDeps } from '../control/control-deps.js';
import { deriveKey, loadMasterKey } from '../config/master-key.js';
import { loadSettings, type Settings } from '../config/settings.js';
import { siteNs, vpcNs } from '../dataplane/lab/lab-names.js';
import { connectSite, createSite, siteRecord } from '../dataplane/lab/lab-site.js';
import { LabState } from '../dataplane/lab/lab-state.js';
import { labDown } from '../dataplane/lab/lab-teardown.js';
import { peerSwanctlConfForAll } from '../dataplane/strongswan/peer-config.js';
import { parseId } from '../domain/ids.js';
import { ConnectionStore } from '../store/connection-store.js';
import { SecretBox } from '../store/secret-box.js';
import { openStore } from '../store/store-open.js';
import { storeOptions } from './account-command.js';

type LabOpts = { dataDir?: string; db?: string; publicPool?: string; sitePool?: string; labInternet?: string };

function labOptions(cmd: Command): Command {
  return storeOptions(cmd)
    .option('--public-pool <cidr>', 'gateway public IP pool (CAUSEWAY_PUBLIC_POOL)')
    .option('--site-pool <cidr>', 'site addresses (CAUSEWAY_SITE_POOL; default 203.0.113.0/24)')
    .option('--lab-internet <ns>', 'lab internet namespace (CAUSEWAY_LAB_INTERNET; default cw-inet)');
}

function settingsOf(o: LabOpts): Settings {
  return loadSettings({ dataDir: o.dataDir, db: o.db, publicPool: o.publicPool, sitePool: o.sitePool, labInternet: o.labInternet }, process.env);
}

const labRoot = (s: Settings): string => join(resolve(s.dataDir), 'lab');

/** `causeway lab …`: simulated sites, a shell into a VPC's or site's network, and tearing it all down. */
export function labCommands(program: Command): void {
  const lab = program.command('lab').description('the lab data plane: simulated on-prem sites and namespaces');
  const site = lab.command('site').description('simulated on-prem sites');

  labOptions(site.command('create <name>').description('make a site: a namespace on the lab internet with its own strongSwan'))
    .requiredOption('--lan <cidr>', 'the site LAN, e.g. 192.168.1.0/24')
    .action(async (name: string, o: LabOpts & { lan: string }) => {
      const s = settingsOf(o);
      const r = await createSite(labRoot(s), name, o.lan, { gateways: s.publicPool, sites: s.sitePool, internetNs: s.labInternet });
      process.stdout.write(`Created site ${name}: public address ${r.publicIp}, LAN ${r.lan} (namespace ${r.ns})\n${r.publicIp}\n`);
    });

  labOptions(site.command('connect <name>').description("join a site to a connection: the site loads its peer_config and keeps answering the connections it joined before"))
    .requiredOption('--connection <id>', 'the Causeway connection the site should answer')
    .action(async (name: string, o: LabOpts & { connection: string }) => {
      const s = settingsOf(o);
      const id = parseId(o.connection);
      if (!id) throw new Error(`'${o.connection}' is not a connection id`);
      const store = await openStore(s.db);
      try {
        const master = loadMasterKey(resolve(s.dataDir), process.env);
        const control: ControlDeps = {
          db: store.db, connections: new ConnectionStore(new SecretBox(deriveKey(master, 'psk-seal'))),
          settings: { quotas: s.quotas, legacyCrypto: s.cryptoLegacy, publicPool: s.publicPool, region: s.region, zones: s.zones, dataplane: s.dataplane, autoSet: s.autoSet },
          clock: new Clock(), changes: new ChangeBus(),
        };
        const conn = await control.connections.get(store.db, id);
        if (!conn || conn.lifecycleState === 'deleting') throw new Error(`connection ${o.connection} was not found`);
        // The site keeps answering the connections it was joined to before (those that still exist).
        const ids = [...new Set([...(siteRecord(labRoot(s), name).connections ?? []), id])];
        const reads = new ReadQueries(control);
        const desired = [];
        for (const cid of ids) {
          const c = cid === id ? conn : await control.connections.get(store.db, cid);
          if (c && c.lifecycleState !== 'deleting') desired.push(await reads.desired({ accountId: c.accountId, isAdmin: true }, c.gatewayId, cid));
        }
        await connectSite(labRoot(s), name, peerSwanctlConfForAll(desired), desired.map((d) => d.connectionId));
        const others = desired.length - 1;
        process.stdout.write(`Site ${name} now answers connection ${id}${others ? ` (and ${others} more: ${desired.filter((d) => d.connectionId !== id).map((d) => d.connectionId).join(', ')})` : ''}\n`);
      } finally {
        await store.close();
      }
    });

  labOptions(lab.command('exec <name-or-id>').description("run a command inside a site's or a VPC's network").argument('<command...>'))
    .action(async (target: string, argv: string[], o: LabOpts) => {
      const s = settingsOf(o);
      const ns = await resolveNamespace(s, target);
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: 'inherit' });
      child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    });

  labOptions(lab.command('down').description('remove everything the lab made (namespaces, charons it started)'))
    .action(async (o: LabOpts) => {
      const r = await labDown(labRoot(settingsOf(o)));
      process.stdout.write(`Removed ${r.namespaces.length} namespaces${r.namespaces.length ? ` (${r.namespaces.join(', ')})` : ''}, stopped ${r.charons.length} charon processes\n`);
    });
}

/** A site name, a VPC id, or a VPC name. */
async function resolveNamespace(s: Settings, target: string): Promise<string> {
  if (new LabState(labRoot(s)).get('site', target)) return siteNs(target);
  const id = parseId(target);
  if (id) return vpcNs(id);
  const store = await openStore(s.db);
  try {
    const vpcs = await store.db.selectFrom('vpcs').select('id').where('name', '=', target).execute();
    if (vpcs.length === 1) return vpcNs(vpcs[0]!.id);
    throw new Error(vpcs.length ? `several VPCs are named '${target}'; use its id` : `'${target}' is neither a lab site nor a VPC`);
  } finally {
    await store.close();
  }
}
