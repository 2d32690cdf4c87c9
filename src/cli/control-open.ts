import { resolve } from 'node:path';
import { createControlPlane, type ControlPlane, type Telemetry } from '../control/index.js';
import { deriveKey, loadMasterKey } from '../config/master-key.js';
import type { Settings } from '../config/settings.js';
import { openStore, type Store } from '../store/store-open.js';

export type { Store };

/** A control plane over the configured store; the composition root of every command that needs one. */
export interface OpenedControl {
  readonly control: ControlPlane;
  /** The store itself: for the server's white-box tests only, never handed to a dialect. */
  readonly store: Store;
  close(): Promise<void>;
}

export async function openControl(settings: Settings, env: NodeJS.ProcessEnv, opts: { telemetry?: Telemetry } = {}): Promise<OpenedControl> {
  const master = loadMasterKey(resolve(settings.dataDir), env);
  const store = await openStore(settings.db);
  const control = createControlPlane({
    store,
    pskKey: deriveKey(master, 'psk-seal'),
    tokenKey: deriveKey(master, 'token-signing'),
    settings: {
      quotas: settings.quotas,
      legacyCrypto: settings.cryptoLegacy,
      publicPool: settings.publicPool,
      region: settings.region,
      zones: settings.zones,
      dataplane: settings.dataplane,
      autoSet: settings.autoSet,
      eventRetentionDays: settings.eventRetentionDays,
    },
    ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
  });
  return { control, store, close: () => store.close() };
}

/** Runs `fn` with a control plane opened for one CLI command, and closes it. */
export async function withControl<T>(settings: Settings, fn: (control: ControlPlane) => Promise<T>): Promise<T> {
  const opened = await openControl(settings, process.env);
  try {
    return await fn(opened.control);
  } finally {
    await opened.close();
  }
}
