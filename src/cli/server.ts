import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp } from '../api/app.js';
import { ChangeBus } from '../control/change-bus.js';
import { Clock } from '../control/clock.js';
import type { ControlDeps } from '../control/control-deps.js';
import { LabAgent } from '../agent/lab-agent.js';
import { LocalBackend } from '../agent/local-backend.js';
import type { LabSettings } from '../agent/agent-backend.js';
import { peerSwanctlConf } from '../dataplane/strongswan/peer-config.js';
import { bootstrapAdmin } from '../control/create-account.js';
import { finalizeDeletes } from '../control/finalize-deletes.js';
import { TokenService } from '../control/token-service.js';
import type { Settings } from '../config/settings.js';
import { deriveKey, loadMasterKey } from '../config/master-key.js';
import { ConnectionStore } from '../store/connection-store.js';
import { SecretBox } from '../store/secret-box.js';
import { openStore } from '../store/store-open.js';

export const VERSION = '0.1.0';

/** The lab addresses and namespace the agents use: the server's, so both sides agree. */
export function labSettingsOf(settings: Settings): LabSettings {
  return { pools: { gateways: settings.publicPool, sites: settings.sitePool }, internetNs: settings.labInternet };
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly control: ControlDeps;
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
  return pino({
    level,
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url ?? ''), id: req.id, remoteAddress: req.ip }),
    },
    redact: { paths: ['psk', '*.psk', 'apikey', '*.apikey', 'req.headers.authorization', 'access_token', '*.access_token'], censor: '[redacted]' },
  }, destination ?? process.stdout);
}

/** The composition root: store, control plane, API; listens when `listen` is set. */
export async function startServer(settings: Settings, env: NodeJS.ProcessEnv, opts: { logger?: Logger | false; listen?: boolean } = {}): Promise<RunningServer> {
  const logger = opts.logger === undefined ? makeLogger(settings.logLevel) : opts.logger;
  const dataDir = resolve(settings.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const master = loadMasterKey(dataDir, env);
  const store = await openStore(settings.db);
  const clock = new Clock();
  const changes = new ChangeBus();
  const control: ControlDeps = {
    db: store.db,
    connections: new ConnectionStore(new SecretBox(deriveKey(master, 'psk-seal'))),
    settings: {
      quotas: settings.quotas, legacyCrypto: settings.cryptoLegacy, publicPool: settings.publicPool, region: settings.region,
      zones: settings.zones, dataplane: settings.dataplane, autoSet: settings.autoSet,
    },
    clock,
    changes,
  };
  const admin = await bootstrapAdmin(store.db, clock);
  if (admin) {
    const file = join(dataDir, 'admin-api-key');
    writeFileSync(file, `${admin.apiKey}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    if (logger) logger.info({ file }, 'created the admin account; its API key is in this file');
  }
  const tokens = new TokenService(store.db, deriveKey(master, 'token-signing'));
  const app = await buildApp({ control, tokens, publicUrl: settings.publicUrl, logger, version: VERSION, renderPeerConfig: (d) => peerSwanctlConf(d),
    ...(settings.dataplane === 'remote' ? { agentApi: { publicPool: settings.publicPool.text, sitePool: settings.sitePool.text, labInternet: settings.labInternet } } : {}),
  });

  // With no data plane attached, nothing holds a deleted object: finish deletes shortly after they start.
  const timers = new Set<NodeJS.Timeout>();
  const finalize = (): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      finalizeDeletes(control).catch((err: unknown) => logger && logger.error({ err }, 'finalizing deletes failed'));
    }, 250);
    timers.add(t);
  };
  const unsubscribe = settings.dataplane === 'none' ? changes.subscribe((c) => c.action === 'deleting' && finalize()) : () => undefined;
  if (settings.dataplane === 'none') await finalizeDeletes(control);

  let agent: LabAgent | undefined;
  if (settings.dataplane === 'lab') {
    agent = new LabAgent({ backend: new LocalBackend(control), lab: labSettingsOf(settings), labRoot: join(dataDir, 'lab'), ...(logger ? { logger } : {}) }, logger || undefined);
    await agent.start();
  }

  let url = settings.publicUrl;
  if (opts.listen !== false) {
    const address = await app.listen({ port: settings.port, host: settings.host });
    url = address;
    if (logger) logger.info({ url: address, publicUrl: settings.publicUrl, dataplane: settings.dataplane, db: settings.db.replace(/\/\/.*@/, '//***@') }, 'causeway is serving');
  }
  return {
    app, control, url, agent,
    async close() {
      agent?.stop();
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      await app.close();
      await store.close();
    },
  };
}
