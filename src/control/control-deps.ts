import type { Cidr } from '../domain/cidr.js';
import type { LegacyCryptoMode } from '../domain/crypto-catalogue.js';
import type { DataplaneKind } from '../domain/gateway.js';
import type { AutoSet } from '../domain/proposals.js';
import type { Quotas } from '../domain/quota.js';
import type { Telemetry } from '../domain/telemetry.js';
import type { AccessKeyStore } from '../store/access-key-store.js';
import type { ConnectionStore } from '../store/connection-store.js';
import type { Store } from '../store/store-open.js';
import type { ChangeBus } from './change-bus.js';
import type { Clock } from './clock.js';
import type { DesiredMemo } from './desired-memo.js';

/** The settings the control plane reads. */
export interface ControlSettings {
  readonly quotas: Quotas;
  readonly legacyCrypto: LegacyCryptoMode;
  readonly publicPool: Cidr;
  readonly region: string;
  readonly zones: readonly string[];
  readonly dataplane: DataplaneKind;
  readonly autoSet: AutoSet;
  /** How long connection events are kept (days; default DEFAULT_EVENT_RETENTION_DAYS). */
  readonly eventRetentionDays?: number;
}

/** What the use cases run on, inside the control layer only: dialects get the ControlPlane, never these. */
export interface ControlDeps {
  readonly store: Store;
  readonly connections: ConnectionStore;
  /** Huawei access keys (their secrets sealed with the same SecretBox as pre-shared keys). */
  readonly accessKeys: AccessKeyStore;
  readonly settings: ControlSettings;
  readonly clock: Clock;
  readonly bus: ChangeBus;
  /** Metrics (SA transitions); NO_TELEMETRY when the caller has none. */
  readonly telemetry: Telemetry;
  /** The connections' desired state as plans last built it (desired-memo.ts). */
  readonly desired: DesiredMemo;
}
