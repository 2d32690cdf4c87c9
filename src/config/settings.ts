import { parseCidr, type Cidr } from '../domain/cidr.js';
import { LEGACY_CRYPTO_MODES, type LegacyCryptoMode } from '../domain/crypto-catalogue.js';
import { AUTO_SETS, type AutoSet } from '../domain/proposals.js';
import { DEFAULT_QUOTAS, type Quotas } from '../domain/quota.js';
import { DATAPLANE_KINDS, type DataplaneKind } from '../domain/gateway.js';
import { DEFAULT_EVENT_RETENTION_DAYS } from '../domain/connection-events.js';
import { METRICS_ACCESS_MODES, METRICS_TOKEN_MIN_LENGTH, type MetricsAccess } from '../domain/telemetry.js';

/** Server settings, validated at start and frozen. Flags beat CAUSEWAY_* variables beat defaults. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly db: string;
  /** none: no tunnels; lab: the in-process agent drives the lab; remote: `causeway agent` processes do, over the agent API. */
  readonly dataplane: DataplaneKind;
  readonly publicUrl: string;
  /** Whether publicUrl was given (flag, environment or file) rather than derived from host and port. */
  readonly publicUrlSet: boolean;
  readonly publicPool: Cidr;
  /** Lab only: addresses for simulated on-prem sites on the lab internet. */
  readonly sitePool: Cidr;
  /** Lab only: the lab internet's namespace (separate labs side by side need separate names). */
  readonly labInternet: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly cryptoLegacy: LegacyCryptoMode;
  readonly autoSet: AutoSet;
  /** cloud.ca dialect: the service codes its paths accept (`/cloudca/v1/services/{code}/…`). */
  readonly cloudcaServiceCodes: readonly string[];
  readonly quotas: Quotas;
  readonly logLevel: string;
  /** events.retentionDays: how long connection events are kept. */
  readonly eventRetentionDays: number;
  /** metrics.access and metrics.token: who may read GET /metrics. */
  readonly metrics: { readonly access: MetricsAccess; readonly token?: string };
}

export class SettingError extends Error {
  constructor(
    readonly setting: string,
    readonly flag: string,
    readonly env: string,
    problem: string,
  ) {
    super(`invalid setting '${setting}' (${flag} / ${env}): ${problem}`);
  }
}

interface Spec<T> {
  readonly flag: string;
  readonly env: string;
  parse(raw: string): T;
}

const envName = (key: string): string =>
  `CAUSEWAY_${key
    .replace(/[A-Z]/g, (c) => `_${c}`)
    .replace(/[.-]/g, '_')
    .toUpperCase()}`;
const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace('.', '-')}`;

function oneOf<T extends string>(values: readonly T[]): (raw: string) => T {
  return (raw) => {
    if (!(values as readonly string[]).includes(raw)) throw new Error(`'${raw}' is not one of ${values.join(', ')}`);
    return raw as T;
  };
}
function integer(min: number, max: number): (raw: string) => number {
  return (raw) => {
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new Error(`'${raw}' is not a whole number from ${min} to ${max}`);
    return Number(raw);
  };
}
const text = (raw: string): string => {
  if (raw.trim().length === 0) throw new Error('it is empty');
  return raw;
};

export const QUOTA_KEYS = Object.keys(DEFAULT_QUOTAS) as (keyof Quotas)[];

/** Reads raw values (already split into flags and environment) into validated, frozen settings. */
export function loadSettings(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv): Settings {
  const get = <T>(key: string, spec: Partial<Spec<T>> & { name?: string; parse(raw: string): T }, fallback: () => T): T => {
    const flag = spec.flag ?? flagName(key);
    const e = spec.env ?? envName(key);
    const raw = flags[key] ?? env[e];
    if (raw === undefined) return fallback();
    try {
      return spec.parse(raw);
    } catch (err) {
      throw new SettingError(spec.name ?? key, flag, e, err instanceof Error ? err.message : String(err));
    }
  };
  const port = get('port', { parse: integer(0, 65535) }, () => 8080);
  const host = get('host', { parse: text }, () => '127.0.0.1');
  const dataDir = get('dataDir', { parse: text }, () => './var');
  const db = get(
    'db',
    {
      parse: (raw) => {
        if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(raw)) throw new Error(`'${raw}' is not a database URL (sqlite:<path>)`);
        if (!raw.startsWith('sqlite:')) throw new Error('PostgreSQL is not supported yet; use sqlite:<path>');
        return raw;
      },
    },
    () => `sqlite:${dataDir}/causeway.db`,
  );
  const dataplane = get(
    'dataplane',
    {
      parse: (raw) => {
        const v = oneOf(DATAPLANE_KINDS)(raw);
        if (v === 'lab' && process.getuid?.() !== 0) throw new Error('the lab data plane needs root (network namespaces and charon)');
        return v;
      },
    },
    (): DataplaneKind => 'none',
  );
  const publicUrl = get(
    'publicUrl',
    {
      parse: (raw) => {
        let u: URL;
        try {
          u = new URL(raw);
        } catch {
          throw new Error(`'${raw}' is not a URL`);
        }
        if (!/^https?:$/.test(u.protocol)) throw new Error('it must be an http or https URL');
        return raw.replace(/\/+$/, '');
      },
    },
    () => `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
  );
  const publicPool = get(
    'publicPool',
    {
      parse: (raw) => {
        const p = parseCidr(raw);
        if (!p.ok || p.hostBitsSet) throw new Error(`'${raw}' is not a network CIDR`);
        if (p.cidr.family !== 4 || p.cidr.prefix > 30) throw new Error('it must be an IPv4 CIDR of /30 or larger');
        return p.cidr;
      },
    },
    () => (parseCidr('198.51.100.0/24').ok ? (parseCidr('198.51.100.0/24') as { cidr: Cidr }).cidr : (undefined as never)),
  );
  const sitePool = get(
    'sitePool',
    {
      parse: (raw) => {
        const p = parseCidr(raw);
        if (!p.ok || p.hostBitsSet || p.cidr.family !== 4 || p.cidr.prefix > 30) throw new Error(`'${raw}' is not an IPv4 network CIDR of /30 or larger`);
        return p.cidr;
      },
    },
    () => (parseCidr('203.0.113.0/24') as { cidr: Cidr }).cidr,
  );
  const labInternet = get(
    'labInternet',
    {
      parse: (raw) => {
        if (!/^cw-[a-z0-9-]{1,40}$/.test(raw)) throw new Error(`'${raw}' must be cw- followed by lower-case letters, digits or '-'`);
        return raw;
      },
    },
    () => 'cw-inet',
  );
  const region = get('region', { parse: text }, () => 'lab');
  const zones = get('zones', { parse: (raw) => raw.split(',').map((z) => text(z.trim())) }, () => [`${region}-1`]);
  const cryptoLegacy = get(
    'cryptoLegacy',
    { name: 'crypto.legacy', flag: '--crypto-legacy', env: 'CAUSEWAY_CRYPTO_LEGACY', parse: oneOf(LEGACY_CRYPTO_MODES) },
    () => 'allow' as const,
  );
  const autoSet = get('autoSet', { parse: oneOf(AUTO_SETS) }, () => 'auto-2022-09' as const);
  const cloudcaServiceCodes = get(
    'cloudcaServiceCodes',
    {
      parse: (raw) => {
        const codes = raw.split(',').map((c) => c.trim());
        const bad = codes.find((c) => !/^[a-z0-9][a-z0-9-]{0,62}$/.test(c));
        if (bad !== undefined) throw new Error(`'${bad}' is not a service code (lower-case letters, digits and '-')`);
        return codes;
      },
    },
    () => ['compute-on', 'compute-qc'],
  );
  const eventRetentionDays = get('eventsRetentionDays', { name: 'events.retentionDays', parse: integer(1, 3650) }, () => DEFAULT_EVENT_RETENTION_DAYS);
  const metricsAccess = get('metricsAccess', { name: 'metrics.access', parse: oneOf(METRICS_ACCESS_MODES) }, (): MetricsAccess => 'local');
  const metricsToken = get(
    'metricsToken',
    {
      name: 'metrics.token',
      parse: (raw) => {
        if (raw.length < METRICS_TOKEN_MIN_LENGTH || /\s/.test(raw))
          throw new Error(`it must be at least ${METRICS_TOKEN_MIN_LENGTH} characters, without spaces`);
        return raw;
      },
    },
    (): string | undefined => undefined,
  );
  if (metricsAccess === 'token' && metricsToken === undefined)
    throw new SettingError('metrics.token', '--metrics-token', 'CAUSEWAY_METRICS_TOKEN', "metrics.access is 'token' but no token is set");
  const logLevel = get('logLevel', { parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }, () => 'info');
  const known = new Set<string>(QUOTA_KEYS);
  for (const k of Object.keys(flags)) {
    if (k.startsWith('quota.') && !known.has(k.slice(6))) {
      throw new SettingError(k, '--quota', 'CAUSEWAY_QUOTA_*', `unknown quota '${k.slice(6)}'; known: ${QUOTA_KEYS.join(', ')}`);
    }
  }
  const envQuotas = new Set(QUOTA_KEYS.map((k) => `CAUSEWAY_QUOTA_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`));
  for (const e of Object.keys(env)) {
    if (e.startsWith('CAUSEWAY_QUOTA_') && !envQuotas.has(e)) {
      throw new SettingError(e, '--quota', e, `unknown quota variable; known: ${[...envQuotas].join(', ')}`);
    }
  }
  const quotas: Record<string, number> = { ...DEFAULT_QUOTAS };
  for (const k of QUOTA_KEYS) {
    quotas[k] = get(
      `quota.${k}`,
      {
        name: `quota.${k}`,
        flag: `--quota ${k}=N`,
        env: `CAUSEWAY_QUOTA_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
        parse: integer(0, 1_000_000_000),
      },
      () => DEFAULT_QUOTAS[k],
    );
  }
  return Object.freeze({
    port,
    host,
    dataDir,
    db,
    dataplane,
    publicUrl,
    publicUrlSet: (flags.publicUrl ?? env[envName('publicUrl')]) !== undefined,
    publicPool: Object.freeze(publicPool),
    sitePool: Object.freeze(sitePool),
    labInternet,
    region,
    zones: Object.freeze([...zones]),
    cryptoLegacy,
    autoSet,
    cloudcaServiceCodes: Object.freeze([...cloudcaServiceCodes]),
    quotas: Object.freeze(quotas as unknown as Quotas),
    logLevel,
    eventRetentionDays,
    metrics: Object.freeze({ access: metricsAccess, ...(metricsToken !== undefined ? { token: metricsToken } : {}) }),
  });
}
