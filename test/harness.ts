import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadSettings } from '../src/config/settings.js';
import { startServer, type RunningServer } from '../src/cli/server.js';
import { SYSTEM_ACTOR } from '../src/control/index.js';

export const VERSION = '2026-06-02';
export const LEGACY_VERSION = '2024-01-01';

/** A real server on a temporary SQLite store; requests go through inject() unless `listen` is set. */
export interface TestServer {
  readonly server: RunningServer;
  readonly app: FastifyInstance;
  readonly dataDir: string;
  /** A bearer token for the admin account. */
  readonly adminToken: string;
  /** Creates an ordinary account and returns a bearer token for it. */
  account(name: string): Promise<string>;
  /** An IBM call: adds ?version=…&generation=2 unless the path already has a version. */
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string>; version?: string },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A Neutron call (/v2.0) with a Keystone token; a body is sent as JSON. */
export function neutronCall(t: TestServer, method: string, url: string, body: unknown, token: string): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: method as 'GET',
    url: `/v2.0${url}`,
    headers: { 'x-auth-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

export async function startTestServer(flags: Record<string, string> = {}, opts: { listen?: boolean } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cw-test-'));
  const settings = loadSettings({ dataDir, port: '0', ...flags }, {});
  const server = await startServer(settings, {}, { logger: false, listen: opts.listen ?? false });
  const app = server.app;
  const tokenFor = async (apikey: string): Promise<string> => {
    const r = await app.inject({
      method: 'POST',
      url: '/identity/token',
      payload: `grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=${encodeURIComponent(apikey)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return (r.json() as { access_token: string }).access_token;
  };
  const adminToken = await tokenFor(readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim());
  const t: TestServer = {
    server,
    app,
    dataDir,
    adminToken,
    async account(name) {
      const { apiKey } = await server.control.accounts.create(SYSTEM_ACTOR, name);
      return tokenFor(apiKey);
    },
    async call(method, path, o = {}) {
      const sep = path.includes('?') ? '&' : '?';
      const url = /[?&]version=/.test(path) ? path : `${path}${sep}version=${o.version ?? VERSION}&generation=2`;
      return app.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${o.token ?? adminToken}`,
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(o.headers ?? {}),
        },
        ...(o.body !== undefined ? { payload: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
      });
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** VPC + subnet + gateway in one go. */
export async function makeGateway(t: TestServer, opts: { token?: string; mode?: 'policy' | 'route'; cidr?: string; name?: string } = {}) {
  const tok = opts.token ? { token: opts.token } : {};
  const vpc = (await t.call('POST', '/v1/vpcs', { ...tok, body: {} })).json() as { id: string };
  const subnet = (await t.call('POST', '/v1/subnets', { ...tok, body: { vpc: { id: vpc.id }, ipv4_cidr_block: opts.cidr ?? '10.240.0.0/24' } })).json() as {
    id: string;
  };
  const r = await t.call('POST', '/v1/vpn_gateways', {
    ...tok,
    body: { subnet: { id: subnet.id }, mode: opts.mode ?? 'policy', ...(opts.name ? { name: opts.name } : {}) },
  });
  if (r.statusCode !== 201) throw new Error(`gateway create failed: ${r.body}`);
  return { vpcId: vpc.id, subnetId: subnet.id, gateway: r.json() as { id: string; members: { public_ip: { address: string } }[] } };
}

export const policyConnection = (extra: Record<string, unknown> = {}) => ({
  psk: 'lkj14b1oi0alcniejkso',
  local: { cidrs: ['10.240.0.0/24'] },
  peer: { address: '203.0.113.9', cidrs: ['192.168.1.0/24'] },
  ...extra,
});
