import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { HttpBackend } from '../agent/http-backend.js';
import { ServerMetrics } from '../api/metrics-registry.js';
import { LabAgent } from '../agent/lab-agent.js';
import { SYSTEM_ACTOR } from '../control/index.js';
import { loadSettings } from '../config/settings.js';
import { storeOptions } from './account-command.js';
import { withControl } from './control-open.js';
import { serveAgentMetrics } from './agent-metrics.js';
import { makeLogger } from './server.js';

type AgentOpts = { server: string; token?: string; dataDir?: string; logLevel?: string; metricsPort?: string; metricsHost: string };

/**
 * `causeway agent --server URL --token KEY`: the gateway agent on its own, driving this host's lab
 * data plane from a server started with `--dataplane remote`; and `causeway agent-key …`, the keys
 * agents authenticate with.
 */
export function agentCommands(program: Command, fail: (message: string) => never): void {
  program
    .command('agent')
    .description('run a standalone gateway agent against a server started with --dataplane remote (needs root)')
    .requiredOption('--server <url>', 'the Causeway server, e.g. http://127.0.0.1:8080')
    .option('--token <key>', 'the agent key from `causeway agent-key create` (CAUSEWAY_AGENT_TOKEN)')
    .option('--data-dir <dir>', "this agent's state: charon configs, sockets, logs (CAUSEWAY_AGENT_DATA_DIR; default ./var/agent)")
    .option('--log-level <level>', 'log level (default info)')
    .option('--metrics-port <port>', "serve this agent's GET /metrics (reconciles, queue depth, charon restarts) on this port")
    .option('--metrics-host <address>', 'the address --metrics-port listens on', '127.0.0.1')
    .action(async (o: AgentOpts) => {
      const key = o.token ?? process.env['CAUSEWAY_AGENT_TOKEN'];
      if (!key) fail('an agent key is required: --token or CAUSEWAY_AGENT_TOKEN (create one with `causeway agent-key create NAME`)');
      if (process.getuid?.() !== 0) fail('the agent needs root (network namespaces and charon)');
      let server: URL;
      try {
        server = new URL(o.server);
      } catch {
        fail(`'${o.server}' is not a URL`);
      }
      const log = makeLogger(o.logLevel ?? 'info');
      const dataDir = resolve(o.dataDir ?? process.env['CAUSEWAY_AGENT_DATA_DIR'] ?? './var/agent');
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const backend = new HttpBackend(server.href, key, log);
      const lab = await backend
        .labSettings()
        .catch((e: unknown) => fail(`cannot reach the agent API at ${server.href}: ${e instanceof Error ? e.message : String(e)}`));
      const metricsPort = o.metricsPort === undefined ? undefined : Number(o.metricsPort);
      if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort > 0 && metricsPort < 65536))
        fail(`--metrics-port must be a port number from 1 to 65535, not '${o.metricsPort}'`);
      const metrics = new ServerMetrics();
      const agent = new LabAgent({ backend, lab, labRoot: join(dataDir, 'lab'), logger: log, telemetry: metrics }, log);
      await agent.start();
      if (metricsPort !== undefined) {
        await serveAgentMetrics(metrics, o.metricsHost, metricsPort).catch((e: unknown) =>
          fail(`cannot serve metrics on ${o.metricsHost}:${metricsPort}: ${e instanceof Error ? e.message : String(e)}`),
        );
        log.info({ metrics: `http://${o.metricsHost}:${metricsPort}/metrics` }, 'agent metrics are served');
      }
      log.info({ server: server.origin, dataDir, labInternet: lab.internetNs }, 'causeway agent is running');
      const stop = (): void => {
        agent.stop(); // charon keeps running: a restarted agent adopts the tunnels
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  const keys = program.command('agent-key').description('keys for standalone agents');
  storeOptions(keys.command('create <name>').description('create a key for an agent and print it (shown only now)')).action(
    async (name: string, o: { dataDir?: string; db?: string }) => {
      await withControl(loadSettings({ dataDir: o.dataDir, db: o.db }, process.env), async (control) => {
        const { agent, key } = await control.agentKeys.create(SYSTEM_ACTOR, name);
        process.stdout.write(`Created agent key ${agent.name}. The key, shown only now: ${key}\n`);
      });
    },
  );
  storeOptions(keys.command('list').description('list agent keys')).action(async (o: { dataDir?: string; db?: string }) => {
    await withControl(loadSettings({ dataDir: o.dataDir, db: o.db }, process.env), async (control) => {
      for (const a of await control.agentKeys.list(SYSTEM_ACTOR)) process.stdout.write(`${a.name}  created ${new Date(a.createdAt).toISOString()}\n`);
    });
  });
  storeOptions(keys.command('delete <name>').description("revoke an agent's key")).action(async (name: string, o: { dataDir?: string; db?: string }) => {
    await withControl(loadSettings({ dataDir: o.dataDir, db: o.db }, process.env), async (control) => {
      if (!(await control.agentKeys.remove(SYSTEM_ACTOR, name))) fail(`there is no agent key named '${name}'`);
      process.stdout.write(`Revoked agent key ${name}.\n`);
    });
  });
}
