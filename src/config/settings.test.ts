import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS } from '../domain/quota.js';
import { QUOTA_KEYS, SettingError, loadSettings } from './settings.js';

function settingError(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv = {}): SettingError {
  try {
    loadSettings(flags, env);
  } catch (e) {
    if (e instanceof SettingError) return e;
    throw e;
  }
  throw new Error('expected a SettingError, but the settings loaded');
}

/** The error must name the setting, its flag and its environment variable. */
function expectSetting(e: SettingError, setting: string, flag: string, env: string): void {
  expect(e.setting).toBe(setting);
  expect(e.flag).toBe(flag);
  expect(e.env).toBe(env);
  expect(e.message).toContain(`invalid setting '${setting}' (${flag} / ${env})`);
}

describe('loadSettings: defaults and precedence', () => {
  it('has documented defaults', () => {
    const s = loadSettings({}, {});
    expect(s).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './var',
      db: 'sqlite:./var/causeway.db',
      dataplane: 'none',
      publicUrl: 'http://127.0.0.1:8080',
      region: 'lab',
      zones: ['lab-1'],
      cryptoLegacy: 'allow',
      autoSet: 'auto-2022-09',
      logLevel: 'info',
      quotas: DEFAULT_QUOTAS,
    });
    expect(s.publicPool.text).toBe('198.51.100.0/24');
  });

  it('reads CAUSEWAY_* variables, and flags beat them', () => {
    expect(loadSettings({}, { CAUSEWAY_PORT: '9000' }).port).toBe(9000);
    expect(loadSettings({ port: '9001' }, { CAUSEWAY_PORT: '9000' }).port).toBe(9001);
    expect(loadSettings({ port: undefined }, { CAUSEWAY_PORT: '9000' }).port).toBe(9000);
    expect(loadSettings({}, { CAUSEWAY_DATA_DIR: '/srv/cw', CAUSEWAY_LOG_LEVEL: 'debug', CAUSEWAY_AUTO_SET: 'auto-2020' })).toMatchObject({
      dataDir: '/srv/cw',
      db: 'sqlite:/srv/cw/causeway.db',
      logLevel: 'debug',
      autoSet: 'auto-2020',
    });
  });

  it('derives defaults from other settings', () => {
    const s = loadSettings({ host: '::1', port: '0', region: 'eu' }, {});
    expect(s.publicUrl).toBe('http://[::1]:0');
    expect(s.zones).toEqual(['eu-1']);
  });

  it('returns frozen settings and quotas', () => {
    const s = loadSettings({}, {});
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.quotas)).toBe(true);
  });
});

describe('loadSettings: validation names the setting', () => {
  it.each(['abc', '-1', '65536', '80.5', '', ' 80'])('port refuses %j', (raw) => {
    expectSetting(settingError({ port: raw }), 'port', '--port', 'CAUSEWAY_PORT');
  });

  it('port accepts 0 to 65535', () => {
    expect(loadSettings({ port: '0' }, {}).port).toBe(0);
    expect(loadSettings({ port: '65535' }, {}).port).toBe(65535);
  });

  it('an invalid environment value is reported with the same names', () => {
    expectSetting(settingError({}, { CAUSEWAY_PORT: 'http' }), 'port', '--port', 'CAUSEWAY_PORT');
  });

  it.each([
    ['host', '--host', 'CAUSEWAY_HOST'],
    ['dataDir', '--data-dir', 'CAUSEWAY_DATA_DIR'],
    ['region', '--region', 'CAUSEWAY_REGION'],
  ])('%s refuses an empty or blank value', (key, flag, env) => {
    expectSetting(settingError({ [key]: '   ' }), key, flag, env);
    expectSetting(settingError({ [key]: '' }), key, flag, env);
  });

  it('db accepts sqlite:<path>', () => {
    expect(loadSettings({ db: 'sqlite:/tmp/x.db' }, {}).db).toBe('sqlite:/tmp/x.db');
    expect(loadSettings({ db: 'sqlite::memory:' }, {}).db).toBe('sqlite::memory:');
  });

  it.each(['mysql://db/x', 'sqlite:', '/tmp/x.db'])('db refuses %j as not a database URL', (raw) => {
    const e = settingError({ db: raw });
    expectSetting(e, 'db', '--db', 'CAUSEWAY_DB');
    expect(e.message).toMatch(/not a database URL/);
  });

  it.each(['postgres://u@h/db', 'postgresql://u@h/db'])('db refuses %j as not supported yet', (raw) => {
    const e = settingError({ db: raw });
    expectSetting(e, 'db', '--db', 'CAUSEWAY_DB');
    expect(e.message).toMatch(/not supported/);
  });

  it('dataplane accepts none, lab (as root only) and refuses unknown kinds', () => {
    expect(loadSettings({ dataplane: 'none' }, {}).dataplane).toBe('none');
    if (process.getuid?.() === 0) expect(loadSettings({ dataplane: 'lab' }, {}).dataplane).toBe('lab');
    else expect(settingError({ dataplane: 'lab' }).message).toMatch(/needs root/);
    expectSetting(settingError({ dataplane: 'vici' }), 'dataplane', '--dataplane', 'CAUSEWAY_DATAPLANE');
  });

  it('publicUrl accepts http(s) URLs and drops trailing slashes', () => {
    expect(loadSettings({ publicUrl: 'https://vpn.example.com/' }, {}).publicUrl).toBe('https://vpn.example.com');
    expect(loadSettings({ publicUrl: 'http://10.0.0.1:8080/base//' }, {}).publicUrl).toBe('http://10.0.0.1:8080/base');
  });

  it.each(['not a url', 'ftp://vpn.example.com', 'vpn.example.com'])('publicUrl refuses %j', (raw) => {
    expectSetting(settingError({ publicUrl: raw }), 'publicUrl', '--public-url', 'CAUSEWAY_PUBLIC_URL');
  });

  it('publicPool accepts an IPv4 network of /30 or larger', () => {
    expect(loadSettings({ publicPool: '203.0.113.0/30' }, {}).publicPool.text).toBe('203.0.113.0/30');
    expect(loadSettings({ publicPool: '100.64.0.0/10' }, {}).publicPool.prefix).toBe(10);
  });

  it.each([
    ['203.0.113.1/24', /not a network CIDR/],
    ['203.0.113.0', /not a network CIDR/],
    ['203.0.113.0/31', /\/30 or larger/],
    ['203.0.113.0/32', /\/30 or larger/],
    ['2001:db8::/64', /IPv4/],
  ])('publicPool refuses %j', (raw, why) => {
    const e = settingError({ publicPool: raw });
    expectSetting(e, 'publicPool', '--public-pool', 'CAUSEWAY_PUBLIC_POOL');
    expect(e.message).toMatch(why);
  });

  it('zones are a comma-separated list, trimmed, with no empty names', () => {
    expect(loadSettings({ zones: 'lab-1, lab-2 ,lab-3' }, {}).zones).toEqual(['lab-1', 'lab-2', 'lab-3']);
    expectSetting(settingError({ zones: 'lab-1,,lab-2' }), 'zones', '--zones', 'CAUSEWAY_ZONES');
    expectSetting(settingError({ zones: 'lab-1,' }), 'zones', '--zones', 'CAUSEWAY_ZONES');
  });

  it('cryptoLegacy is allow or deny, reported as the setting crypto.legacy', () => {
    expect(loadSettings({ cryptoLegacy: 'deny' }, {}).cryptoLegacy).toBe('deny');
    expect(loadSettings({}, { CAUSEWAY_CRYPTO_LEGACY: 'deny' }).cryptoLegacy).toBe('deny');
    expectSetting(settingError({ cryptoLegacy: 'Deny' }), 'crypto.legacy', '--crypto-legacy', 'CAUSEWAY_CRYPTO_LEGACY');
  });

  it('cloudcaServiceCodes: a comma-separated list of service codes, compute-on and compute-qc by default', () => {
    expect(loadSettings({}, {}).cloudcaServiceCodes).toEqual(['compute-on', 'compute-qc']);
    expect(loadSettings({}, { CAUSEWAY_CLOUDCA_SERVICE_CODES: 'compute-on, compute-bc' }).cloudcaServiceCodes).toEqual(['compute-on', 'compute-bc']);
    expect(loadSettings({ cloudcaServiceCodes: 'compute-x' }, { CAUSEWAY_CLOUDCA_SERVICE_CODES: 'compute-y' }).cloudcaServiceCodes).toEqual(['compute-x']);
    expectSetting(settingError({ cloudcaServiceCodes: 'compute-on,,x' }), 'cloudcaServiceCodes', '--cloudca-service-codes', 'CAUSEWAY_CLOUDCA_SERVICE_CODES');
    expectSetting(settingError({ cloudcaServiceCodes: 'Compute/On' }), 'cloudcaServiceCodes', '--cloudca-service-codes', 'CAUSEWAY_CLOUDCA_SERVICE_CODES');
  });

  it('autoSet is a known proposal set', () => {
    expectSetting(settingError({ autoSet: 'auto-2019' }), 'autoSet', '--auto-set', 'CAUSEWAY_AUTO_SET');
  });

  it('logLevel is a pino level', () => {
    expect(loadSettings({ logLevel: 'silent' }, {}).logLevel).toBe('silent');
    expectSetting(settingError({ logLevel: 'verbose' }), 'logLevel', '--log-level', 'CAUSEWAY_LOG_LEVEL');
  });
});

describe('loadSettings: quotas', () => {
  it('every quota has a default', () => {
    expect([...QUOTA_KEYS].sort()).toEqual(Object.keys(DEFAULT_QUOTAS).sort());
  });

  it('reads quota.<key> flags and CAUSEWAY_QUOTA_<KEY> variables', () => {
    const s = loadSettings({ 'quota.ikePolicies': '100' }, { CAUSEWAY_QUOTA_SUBNETS_PER_VPC: '5', CAUSEWAY_QUOTA_IKE_POLICIES: '7' });
    expect(s.quotas.ikePolicies).toBe(100);
    expect(s.quotas.subnetsPerVpc).toBe(5);
    expect(s.quotas.vpcs).toBe(DEFAULT_QUOTAS.vpcs);
  });

  it('accepts 0 to 1000000000', () => {
    expect(loadSettings({ 'quota.vpcs': '0' }, {}).quotas.vpcs).toBe(0);
    expect(loadSettings({ 'quota.vpcs': '1000000000' }, {}).quotas.vpcs).toBe(1_000_000_000);
  });

  it.each(['-1', '1.5', 'ten', '1000000001'])('refuses %j, naming the quota', (raw) => {
    expectSetting(settingError({ 'quota.gatewaysPerZone': raw }), 'quota.gatewaysPerZone', '--quota gatewaysPerZone=N', 'CAUSEWAY_QUOTA_GATEWAYS_PER_ZONE');
  });
});
