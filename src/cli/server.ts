import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp } from '../api/app.js';
import { ServerMetrics } from '../api/metrics-registry.js';
import type { ChangeBatch, ControlPlane } from '../control/index.js';
import { LabAgent } from '../agent/lab-agent.js';
import { LocalBackend } from '../agent/local-backend.js';
import type { LabSettings } from '../agent/agent-backend.js';
import { recordLabSettings } from '../dataplane/lab/lab-settings-record.js';
import { renderPeerConfig } from '../dataplane/peer-config/peer-config-renderer.js';
import type { Settings } from '../config/settings.js';
import { openControl, type Store } from './control-open.js';
import { consolePlugin } from '../web/console-plugin.js';

export const VERSION = '0.1.0';

/** The lab addresses and namespace the agents use: the server's, so both sides agree. */
export function labSettingsOf(settings: Settings): LabSettings {
  return { pools: { gateways: settings.publicPool, sites: settings.sitePool }, internetNs: settings.labInternet };
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly control: ControlPlane;
  /** The store, for white-box tests only. */
  readonly store: Store;
  /** The in-process agent when the lab data plane is on. */
  readonly agent: LabAgent | undefined;
  readonly url: string;
  close(): Promise<void>;
}

/** Secrets never reach the logs: pre-shared keys, API keys, tokens. */
const SECRET_PARAMS = /([?&](?:apikey|api_key|access_token|refresh_token|token|psk|password)=)[^&#]*/gi;

/** A URL with the values of secret-looking query parameters masked. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

export function makeLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
          method: req.method,
          url: redactUrl(req.url ?? ''),
          id: req.id,
          remoteAddress: req.ip,
        }),
      },
      redact: { paths: ['psk', '*.psk', 'apikey', '*.apikey', 'req.headers.authorization', 'access_token', '*.access_token'], censor: '[redacted]' },
    },
    destination ?? process.stdout,
  );
}

/** The composition root: store, control plane, API; listens when `listen` is set. */
export async function startServer(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  opts: { logger?: Logger | false; listen?: boolean } = {},
): Promise<RunningServer> {
  const logger = opts.logger === undefined ? makeLogger(settings.logLevel) : opts.logger;
  const dataDir = resolve(settings.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const metrics = new ServerMetrics();
  const { control, store } = await openControl({ ...settings, dataDir }, env, { telemetry: metrics });
  metrics.readFrom(control);
  const admin = await control.accounts.bootstrapAdmin();
  if (admin) {
    const file = join(dataDir, 'admin-api-key');
    writeFileSync(file, `${admin.apiKey}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    if (logger) logger.info({ file }, 'created the admin account; its API key is in this file');
  }
  const app = await buildApp({
    control,
    publicUrl: settings.publicUrl,
    logger,
    version: VERSION,
    renderPeerConfig,
    cloudcaServiceCodes: settings.cloudcaServiceCodes,
    metrics: { metrics, ...settings.metrics },
    ...(settings.dataplane === 'remote'
      ? { agentApi: { publicPool: settings.publicPool.text, sitePool: settings.sitePool.text, labInternet: settings.labInternet } }
      : {}),
  });
  // The web console (src/web): the same control plane and peer configuration renderer as the API.
  await app.register(consolePlugin, {
    prefix: '/console',
    control,
    publicUrl: settings.publicUrl,
    publicUrlSet: settings.publicUrlSet,
    renderPeerConfig,
  });

  // With no data plane attached, nothing holds a deleted object: finish deletes shortly after they start
  // (the change log says when something was deleted; this server's commits wake it, others' are polled).
  const timers = new Set<NodeJS.Timeout>();
  const finalize = (batch: ChangeBatch): void => {
    // Only a change that touches a gateway (a gateway or connection deleted among them) can leave a delete to finish.
    if (!batch.resync && batch.entries.every((e) => e.gatewayIds.length === 0)) return;
    if (timers.size > 0) return;
    const t = setTimeout(() => {
      timers.delete(t);
      control.agent.finalizeAll().catch((err: unknown) => logger && logger.error({ err }, 'finalizing deletes failed'));
    }, 250);
    timers.add(t);
  };
  let unsubscribe = (): void => undefined;
  if (settings.dataplane === 'none') {
    await control.agent.finalizeAll();
    unsubscribe = control.changes.follow(await control.changes.current(), finalize, {
      coalesceMs: 200,
      onError: (err) => logger && logger.error({ err }, 'following the change log failed'),
    });
  }

  let agent: LabAgent | undefined;
  if (settings.dataplane === 'remote') {
    // No agent here records them (its agents do, in their own data directories): `causeway lab …` on this one reads them.
    recordLabSettings(join(dataDir, 'lab'), { publicPool: settings.publicPool.text, sitePool: settings.sitePool.text, labInternet: settings.labInternet });
  }
  if (settings.dataplane === 'lab') {
    agent = new LabAgent(
      { backend: new LocalBackend(control), lab: labSettingsOf(settings), labRoot: join(dataDir, 'lab'), telemetry: metrics, ...(logger ? { logger } : {}) },
      logger || undefined,
    );
    await agent.start();
  }

  let url = settings.publicUrl;
  if (opts.listen !== false) {
    const address = await app.listen({ port: settings.port, host: settings.host });
    url = address;
    if (logger)
      logger.info(
        { url: address, publicUrl: settings.publicUrl, dataplane: settings.dataplane, db: settings.db.replace(/\/\/.*@/, '//***@') },
        'causeway is serving',
      );
  }
  return {
    app,
    control,
    store,
    url,
    agent,
    async close() {
      agent?.stop();
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      await app.close();
      await store.close();
    },
  };
}
