import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type ControlPlane, SYSTEM_ACTOR } from '../control/index.js';
import { loadSettings, type Settings } from '../config/settings.js';
import { siteNs, vpcNs } from '../dataplane/lab/lab-names.js';
import { connectSite, createSite, siteRecord } from '../dataplane/lab/lab-site.js';
import { LabState } from '../dataplane/lab/lab-state.js';
import { recordedLabSettings } from '../dataplane/lab/lab-settings-record.js';
import { servingPid } from '../dataplane/lab/lab-serving-record.js';
import { labDown } from '../dataplane/lab/lab-teardown.js';
import { failMember, recoverMember } from '../dataplane/lab/member-fault.js';
import { peerSwanctlConfForAll } from '../dataplane/strongswan/peer-config.js';
import { retransmitFor } from '../domain/desired-state.js';
import { parseId } from '../domain/ids.js';
import { storeOptions } from './account-command.js';
import { withControl } from './control-open.js';

type LabOpts = { dataDir?: string; db?: string; publicPool?: string; sitePool?: string; labInternet?: string };

function labOptions(cmd: Command): Command {
  return storeOptions(cmd)
    .option('--public-pool <cidr>', 'gateway public IP pool (CAUSEWAY_PUBLIC_POOL)')
    .option('--site-pool <cidr>', 'site addresses (CAUSEWAY_SITE_POOL; default 203.0.113.0/24)')
    .option('--lab-internet <ns>', 'lab internet namespace (CAUSEWAY_LAB_INTERNET; default cw-inet)');
}

const labRoot = (s: Settings): string => join(resolve(s.dataDir), 'lab');

/**
 * The lab command's settings: the lab settings the server recorded in the data directory, unless this
 * command is given its own (flag or CAUSEWAY_* variable); those win, with a note on stderr when they
 * differ from the server's, since a site on another lab internet never reaches its gateways.
 */
export function settingsOf(o: LabOpts, env: NodeJS.ProcessEnv = process.env, warn: (m: string) => unknown = (m) => process.stderr.write(m)): Settings {
  const flags = { dataDir: o.dataDir, db: o.db, publicPool: o.publicPool, sitePool: o.sitePool, labInternet: o.labInternet };
  const plain = loadSettings(flags, env);
  const rec = recordedLabSettings(labRoot(plain));
  if (!rec) return plain;
  const given = {
    publicPool: o.publicPool ?? env['CAUSEWAY_PUBLIC_POOL'],
    sitePool: o.sitePool ?? env['CAUSEWAY_SITE_POOL'],
    labInternet: o.labInternet ?? env['CAUSEWAY_LAB_INTERNET'],
  };
  const s = loadSettings({ ...flags, ...rec, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) }, env);
  const differ = (['publicPool', 'sitePool', 'labInternet'] as const).filter(
    (k) => given[k] !== undefined && (k === 'labInternet' ? s[k] : s[k].text) !== rec[k],
  );
  for (const k of differ)
    warn(
      `causeway: note: using ${k === 'labInternet' ? s[k] : s[k].text} for ${k}, but the server on ${resolve(s.dataDir)} recorded ${rec[k]} (drop the flag or variable to use the server's)\n`,
    );
  return s;
}

/** The one live connection (of any account) with this name: the lab is one machine's demo, so a name is enough when it is unique. */
async function connectionNamed(control: ControlPlane, name: string): Promise<string> {
  const page = await control.connections.list(SYSTEM_ACTOR, { live: true }, { limit: 1000, sort: 'name', desc: false });
  const named = page.items.filter((c) => c.connection.name === name);
  if (named.length === 1) return named[0]!.connection.id;
  throw new Error(named.length ? `${named.length} connections are named '${name}': give the id` : `no connection is named '${name}'`);
}

/** The one live gateway (of any account) with this id or name; the lab must have built it. */
async function labGateway(s: Settings, ref: string): Promise<{ id: string; name: string; dir: string }> {
  const gw = await withControl(s, async (control) => {
    const all = (await control.gateways.list(SYSTEM_ACTOR, { live: true }, { limit: 1_000_000, sort: 'created_at', desc: false })).items.map((v) => v.gateway);
    const id = parseId(ref);
    const named = all.filter((g) => (id ? g.id === id : g.name === ref));
    if (named.length === 1) return named[0]!;
    throw new Error(named.length ? `${named.length} gateways are named '${ref}': give the id` : `no gateway is ${id ? 'numbered' : 'named'} '${ref}'`);
  });
  const state = new LabState(labRoot(s));
  if (!state.get('gateway', gw.id))
    throw new Error(`the lab has not built gateway ${gw.name} (${gw.id}) yet: is a causeway server or agent serving ${resolve(s.dataDir)}?`);
  return { id: gw.id, name: gw.name, dir: state.dirFor('gateway', gw.id) };
}

function memberIndex(text: string): 1 | 2 {
  if (text === '1' || text === '2') return Number(text) as 1 | 2;
  throw new Error(`--member must be 1 or 2, not '${text}'`);
}

/** `causeway lab member fail|recover GW --member N`: a member failure for tests and demos (the serving agent reacts). */
function memberCommands(lab: Command): void {
  const member = lab.command('member').description("a gateway member's failure, for tests and demos");
  labOptions(
    member
      .command('fail <gateway>')
      .description("kill a member's charon and cut its links; the agent fails over (policy) and does not restart it until `recover`"),
  )
    .requiredOption('--member <n>', 'the member: 1 or 2')
    .action(async (ref: string, o: LabOpts & { member: string }) => {
      const s = settingsOf(o);
      const index = memberIndex(o.member);
      const gw = await labGateway(s, ref);
      const pid = await failMember(gw.dir, gw.id, index);
      process.stdout.write(`Failed member ${index} of gateway ${gw.name}: ${pid ? `killed charon ${pid}, ` : 'no charon ran, '}links down\n`);
    });
  labOptions(
    member.command('recover <gateway>').description("bring a failed member's links up; the agent restarts its charon (a policy member comes back as standby)"),
  )
    .requiredOption('--member <n>', 'the member: 1 or 2')
    .action(async (ref: string, o: LabOpts & { member: string }) => {
      const s = settingsOf(o);
      const index = memberIndex(o.member);
      const gw = await labGateway(s, ref);
      const was = await recoverMember(gw.dir, gw.id, index);
      process.stdout.write(`Recovered member ${index} of gateway ${gw.name}${was ? '' : ' (it had not failed)'}: links up\n`);
    });
}

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

  labOptions(
    site
      .command('connect <name>')
      .description('join a site to a connection: the site loads its peer_config and keeps answering the connections it joined before'),
  )
    .requiredOption('--connection <id|name>', 'the Causeway connection the site should answer (its id, or a name no other connection has)')
    .action(async (name: string, o: LabOpts & { connection: string }) => {
      const s = settingsOf(o);
      await withControl(s, async (control) => {
        const id = parseId(o.connection) ?? (await connectionNamed(control, o.connection));
        const found = await control.connections.find(SYSTEM_ACTOR, id, { live: true }).catch(() => undefined);
        if (!found) throw new Error(`connection ${o.connection} was not found`);
        // The site keeps answering the connections it was joined to before (those that still exist).
        const ids = [...new Set([...(siteRecord(labRoot(s), name).connections ?? []), id])];
        const desired = [];
        for (const cid of ids) {
          const c = await control.connections.find(SYSTEM_ACTOR, cid, { live: true }).catch(() => undefined);
          if (c) desired.push(await control.connections.desired(SYSTEM_ACTOR, c.connection.gatewayId, cid));
        }
        await connectSite(
          labRoot(s),
          name,
          peerSwanctlConfForAll(desired),
          desired.map((d) => d.connectionId),
          { ...(retransmitFor(desired) ? { retransmit: retransmitFor(desired)! } : {}) },
        );
        const others = desired.length - 1;
        process.stdout.write(
          `Site ${name} now answers connection ${id}${
            others
              ? ` (and ${others} more: ${desired
                  .filter((d) => d.connectionId !== id)
                  .map((d) => d.connectionId)
                  .join(', ')})`
              : ''
          }\n`,
        );
      });
    });

  labOptions(lab.command('exec <name-or-id>').description("run a command inside a site's or a VPC's network").argument('<command...>')).action(
    async (target: string, argv: string[], o: LabOpts) => {
      const s = settingsOf(o);
      const ns = await resolveNamespace(s, target);
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: 'inherit' });
      child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    },
  );

  memberCommands(lab);

  labOptions(lab.command('down').description('remove everything the lab made (namespaces, charons it started)')).action(async (o: LabOpts) => {
    const root = labRoot(settingsOf(o));
    // A serving agent would rebuild namespaces and restart charons while we remove them.
    const pid = servingPid(root);
    if (pid !== undefined)
      throw new Error(`a causeway server or agent (pid ${pid}) still serves the lab in ${dirname(root)}; stop it first (kill ${pid}), then run lab down again`);
    const r = await labDown(root);
    process.stdout.write(
      `Removed ${r.namespaces.length} namespaces${r.namespaces.length ? ` (${r.namespaces.join(', ')})` : ''}, stopped ${r.charons.length} charon processes\n`,
    );
  });
}

/** A site name, a VPC id, or a VPC name. */
async function resolveNamespace(s: Settings, target: string): Promise<string> {
  if (new LabState(labRoot(s)).get('site', target)) return siteNs(target);
  const id = parseId(target);
  if (id) return vpcNs(id);
  return withControl(s, async (control) => {
    const vpcs = (await control.vpcs.list(SYSTEM_ACTOR, { limit: 1_000_000, sort: 'created_at', desc: false })).items.filter((v) => v.vpc.name === target);
    if (vpcs.length === 1) return vpcNs(vpcs[0]!.vpc.id);
    throw new Error(vpcs.length ? `several VPCs are named '${target}'; use its id` : `'${target}' is neither a lab site nor a VPC`);
  });
}
