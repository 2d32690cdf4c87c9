import type { LightMyRequestResponse } from 'fastify';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import type { TestServer } from './harness.js';

/** An account as cloud.ca sees it: its environment (the account name), its MC-Api-Key, and a bearer token for /v1. */
export interface CloudcaAccount {
  readonly env: string;
  readonly key: string;
  readonly token: string;
}

export async function cloudcaAccount(t: TestServer, name: string): Promise<CloudcaAccount> {
  const { apiKey } = await t.server.control.accounts.create(SYSTEM_ACTOR, name);
  const r = await t.app.inject({
    method: 'POST',
    url: '/identity/token',
    payload: `grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=${encodeURIComponent(apiKey)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { env: name, key: apiKey, token: (r.json() as { access_token: string }).access_token };
}

/** A cloud.ca call under /cloudca/v1/services/compute-on/<env>/…, with the account's MC-Api-Key. */
export function cca(
  t: TestServer,
  a: CloudcaAccount,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: method as 'GET',
    url: `/cloudca/v1/services/compute-on/${a.env}${path}`,
    headers: { 'mc-api-key': a.key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
}

/** A VPC with subnets, made through /v1 (cloud.ca VPCs are outside this dialect). */
export async function vpcWithSubnets(
  t: TestServer,
  a: CloudcaAccount,
  name: string,
  cidrs: readonly string[],
): Promise<{ vpcId: string; subnetIds: string[] }> {
  const vpc = (await t.call('POST', '/v1/vpcs', { token: a.token, body: { name } })).json() as { id: string };
  const subnetIds: string[] = [];
  for (const [i, cidr] of cidrs.entries()) {
    const r = await t.call('POST', '/v1/subnets', { token: a.token, body: { name: `${name}-s${i}`, vpc: { id: vpc.id }, ipv4_cidr_block: cidr } });
    if (r.statusCode !== 201) throw new Error(`subnet: ${r.body}`);
    subnetIds.push((r.json() as { id: string }).id);
  }
  return { vpcId: vpc.id, subnetIds };
}

/** Seed 002's create request, verbatim but for the VPC id (and, where asked, the name, gateway and CIDR). */
export const seedBody = (vpcId: string, o: { name?: string; gateway?: string; cidr?: string } = {}) => ({
  name: o.name ?? 'stargate',
  vpcId,
  gateway: o.gateway ?? '19.19.19.19',
  cidr: o.cidr ?? '10.12.0.2/22',
  ipSecPsk: 'WtOBS9GRux2XtJPtHY2TUvrv',
  ikeEncryptionAlgorithm: '3des',
  ikeHashAlgorithm: 'sha1',
  ikeDhGroup: 'modp1536',
  ikeLifetime: 86400,
  espEncryptionAlgorithm: '3des',
  espHashAlgorithm: 'sha1',
  espPerfectForwardSecrecy: 'modp1536',
  espLifetime: 3600,
  dpd: false,
  forceEncap: false,
});

export type CloudcaError = { errors: { code: number; message: string; context: Record<string, unknown> }[] };
export const firstError = (r: LightMyRequestResponse) => (r.json() as CloudcaError).errors[0]!;
