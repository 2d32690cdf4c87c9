/* eslint-disable @typescript-eslint/no-explicit-any -- Huawei answers are loose JSON in tests */
import type { LightMyRequestResponse } from 'fastify';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import type { TestServer } from './harness.js';

/** An account with an IBM bearer token and a Keystone token (X-Auth-Token) for Huawei calls; `project` is its project id. */
export async function huaweiAccount(t: TestServer, name: string) {
  const ibm = await t.account(name);
  const u = await t.server.control.users.create(SYSTEM_ACTOR, { accountName: name, name: `${name}-user`, password: 'pw-12345', isAdmin: false });
  const r = await t.app.inject({
    method: 'POST',
    url: '/identity/v3/auth/tokens',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { id: u.user.id, password: 'pw-12345' } } } } }),
  });
  const token = String(r.headers['x-subject-token']);
  const project = u.account.id.replace(/-/g, '');
  const hw = (method: string, path: string, body?: unknown, tok = token): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: method as 'GET',
      url: `/v5/${project}${path}`,
      headers: { 'x-auth-token': tok, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  return { ibm, token, project, accountId: u.account.id, hw };
}

/** A VPC and subnet (native API), then a Huawei gateway in them; returns the gateway as shown once stable. */
export async function huaweiGateway(t: TestServer, a: Awaited<ReturnType<typeof huaweiAccount>>, cidr = '10.240.0.0/24', local = ['10.240.0.0/24']) {
  const vpc = (await t.call('POST', '/v1/vpcs', { token: a.ibm, body: {} })).json() as { id: string };
  const subnet = (await t.call('POST', '/v1/subnets', { token: a.ibm, body: { vpc: { id: vpc.id }, ipv4_cidr_block: cidr } })).json() as { id: string };
  const r = await a.hw('POST', '/vpn-gateways', { vpn_gateway: { vpc_id: vpc.id, connect_subnet: subnet.id, local_subnets: local } });
  if (r.statusCode !== 201) throw new Error(`gateway create failed: ${r.body}`);
  const id = (r.json() as any).vpn_gateway.id as string;
  return { vpcId: vpc.id, subnetId: subnet.id, id, show: async () => (await a.hw('GET', `/vpn-gateways/${id}`)).json().vpn_gateway as any };
}
