import type { Kysely } from 'kysely';
import type { Cidr } from '../domain/cidr.js';
import type { LegacyCryptoMode } from '../domain/crypto-catalogue.js';
import type { DataplaneKind } from '../domain/gateway.js';
import type { AutoSet } from '../domain/proposals.js';
import type { Quotas } from '../domain/quota.js';
import type { ConnectionStore } from '../store/connection-store.js';
import type { Database } from '../store/schema.js';
import type { ChangeBus } from './change-bus.js';
import type { Clock } from './clock.js';

/** The settings the control plane reads. */
export interface ControlSettings {
  readonly quotas: Quotas;
  readonly legacyCrypto: LegacyCryptoMode;
  readonly publicPool: Cidr;
  readonly region: string;
  readonly zones: readonly string[];
  readonly dataplane: DataplaneKind;
  readonly autoSet: AutoSet;
}

/** Everything a use case needs, passed in explicitly (no globals). */
export interface ControlDeps {
  readonly db: Kysely<Database>;
  readonly connections: ConnectionStore;
  readonly settings: ControlSettings;
  readonly clock: Clock;
  readonly changes: ChangeBus;
}
