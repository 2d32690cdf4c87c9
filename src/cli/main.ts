#!/usr/bin/env node
import { Command, Option } from 'commander';
import { SettingError, loadSettings } from '../config/settings.js';
import { DomainError } from '../domain/errors.js';
import { accountCommands, storeOptions } from './account-command.js';
import { agentCommands } from './agent-command.js';
import { labCommands } from './lab-command.js';
import { resourceCommands } from './resource/resource-commands.js';
import { startServer, VERSION } from './server.js';
import { userCommands } from './user-command.js';
import { textOf } from '../domain/text.js';

// A reader that stops early (`causeway account create … | head -1`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

export function fail(message: string): never {
  process.stderr.write(`causeway: ${message}\n`);
  process.exit(2);
}

/** commander options → the raw flag map loadSettings reads. */
export function flagMap(o: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'quota') {
      for (const pair of v as string[]) {
        const [key, value] = pair.split('=');
        if (!key || value === undefined) fail(`invalid setting 'quota' (--quota): '${pair}' is not KEY=N`);
        out[`quota.${key}`] = value;
      }
    } else if (v !== undefined) {
      out[k] = textOf(v);
    }
  }
  return out;
}

const program = new Command('causeway').description('Causeway: self-hosted site-to-site VPN service').version(VERSION);
// Usage errors (an unknown flag, a missing argument) exit 2; help and --version exit 0.
program.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

storeOptions(program.command('serve').description('run the API server'))
  .option('--port <port>', 'TCP port (CAUSEWAY_PORT; default 8080)')
  .option('--host <host>', 'listen address (CAUSEWAY_HOST; default 127.0.0.1)')
  .addOption(
    new Option(
      '--dataplane <kind>',
      'data plane: none, lab (in-process agent) or remote (standalone causeway agent processes) (CAUSEWAY_DATAPLANE; default none)',
    ).choices(['none', 'lab', 'remote']),
  )
  .option('--public-url <url>', 'base URL used in hrefs (CAUSEWAY_PUBLIC_URL; default http://<host>:<port>)')
  .option('--public-pool <cidr>', 'pool of gateway public IPs (CAUSEWAY_PUBLIC_POOL; default 198.51.100.0/24)')
  .option('--site-pool <cidr>', 'lab: addresses of simulated sites (CAUSEWAY_SITE_POOL; default 203.0.113.0/24)')
  .option('--lab-internet <ns>', 'lab: the lab internet namespace (CAUSEWAY_LAB_INTERNET; default cw-inet)')
  .option('--region <name>', 'region name (CAUSEWAY_REGION; default lab)')
  .option('--zones <list>', 'comma-separated zone names (CAUSEWAY_ZONES; default <region>-1)')
  .option('--crypto-legacy <mode>', 'allow|deny weak algorithms (CAUSEWAY_CRYPTO_LEGACY; default allow)')
  .option('--auto-set <set>', 'auto-negotiation proposal set (CAUSEWAY_AUTO_SET; default auto-2022-09)')
  .option('--cloudca-service-codes <list>', 'cloud.ca dialect: comma-separated service codes (CAUSEWAY_CLOUDCA_SERVICE_CODES; default compute-on,compute-qc)')
  .option('--quota <key=n...>', 'override a quota, e.g. --quota ikePolicies=100 (CAUSEWAY_QUOTA_IKE_POLICIES)', (v: string, prev: string[] = []) => [
    ...prev,
    v,
  ])
  .option('--log-level <level>', 'log level (CAUSEWAY_LOG_LEVEL; default info)')
  .option('--events-retention-days <n>', 'days connection events are kept (CAUSEWAY_EVENTS_RETENTION_DAYS; default 30)')
  .option('--metrics-access <mode>', 'GET /metrics: off, local (loopback only) or token (CAUSEWAY_METRICS_ACCESS; default local)')
  .option('--metrics-token <token>', 'bearer token for --metrics-access token (CAUSEWAY_METRICS_TOKEN; prefer the variable)')
  .action(async (opts: Record<string, unknown>) => {
    let settings;
    try {
      settings = loadSettings(flagMap(opts), process.env);
    } catch (e) {
      if (e instanceof SettingError) fail(e.message);
      throw e;
    }
    const server = await startServer(settings, process.env).catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
    const stop = (): void => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

accountCommands(program);
userCommands(program, fail);
labCommands(program);
agentCommands(program, fail);
resourceCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof SettingError || DomainError.is(e)) fail(e.message);
  fail(e instanceof Error ? e.message : String(e));
});
