/* eslint-disable @typescript-eslint/no-explicit-any -- Huawei answers are loose JSON in tests */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient, HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { HttpRequestBuilder } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder.js';
import type { IHttpRequest } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSdkDate } from '../src/api/huawei/huawei-signature.js';
import { SYSTEM_ACTOR } from '../src/control/index.js';
import { toHex32 } from '../src/domain/ids.js';
import { startTestServer, type TestServer } from './harness.js';

/**
 * Huawei's own Node.js SDK core (@huaweicloud/huaweicloud-sdk-core: BasicCredentials, the AK/SK
 * signer, HcClient over axios) against a listening Causeway. The VPN service package is not on npm, so
 * `vpn()` builds the request options exactly as its generated VpnClient does (method, url template with
 * `{project_id}`, contentType, queryParams, headers, data) and hands them to HcClient.sendRequest: the
 * path, query, headers and signature all come from the SDK's code.
 */
describe('the Huawei SDK core signs requests against /v5', () => {
  let t: TestServer;
  let project: string;
  let ak: string;
  let sk: string;
  let ibm: string;
  let client: HcClient;

  const builder = (secret: string) =>
    new ClientBuilder<HcClient>((hc) => hc)
      .withEndpoint(t.server.url)
      .withCredential(new BasicCredentials().withAk(ak).withSk(secret).withProjectId(project))
      // A User-Agent of our own: without one the SDK writes an application id under ~/.huaweicloud.
      .withOptions({ customUserAgent: 'causeway-test' });

  /** One VpnClient operation: the generated client's options, sent by the SDK core. */
  const vpn = (method: string, url: string, o: { query?: Record<string, unknown>; body?: object; via?: HcClient } = {}): Promise<any> => {
    const options: HttpRequestOptions & { responseHeaders: string[] } = {
      method,
      url: `/v5/{project_id}${url}`,
      contentType: 'application/json',
      queryParams: o.query ?? {},
      pathParams: {},
      headers: o.body ? { 'Content-Type': 'application/json' } : {},
      ...(o.body ? { data: o.body } : {}),
      responseHeaders: ['X-Request-Id'],
    };
    return (o.via ?? client).sendRequest(options);
  };

  beforeAll(async () => {
    t = await startTestServer({}, { listen: true });
    const cp = t.server.control;
    ibm = await t.account('sdk-one');
    project = toHex32((await cp.users.create(SYSTEM_ACTOR, { accountName: 'sdk-one', name: 'sdk-user', password: 'pw-sdk-1', isAdmin: false })).account.id);
    const key = await cp.accessKeys.create(SYSTEM_ACTOR, { name: 'sdk-user' });
    ak = key.key.accessKey;
    sk = key.secret;
    client = builder(sk).build();
  });
  afterAll(() => t?.close());

  it('creates, pages (limit and a created_at marker) and deletes customer gateways', async () => {
    const made: any[] = [];
    for (const ip of ['203.0.113.21', '203.0.113.22', '203.0.113.23']) {
      const r = await vpn('POST', '/customer-gateways', { body: { customer_gateway: { name: `cgw-${ip.split('.')[3]}`, id_value: ip } } });
      expect(r.httpStatusCode).toBe(201);
      expect(r['X-Request-Id']).toBe(r.request_id);
      made.push(r.customer_gateway);
    }
    const first = await vpn('GET', '/customer-gateways', { query: { limit: 1 } });
    expect(first.httpStatusCode).toBe(200);
    expect(first.customer_gateways.map((c: any) => c.id)).toEqual([made[0].id]);
    // The marker is a created_at time (colons and a dot in the query): the SDK encodes it and signs it.
    const marker = first.page_info.next_marker as string;
    expect(marker).toBe(made[0].created_at);
    const next = await vpn('GET', '/customer-gateways', { query: { limit: 1, marker } });
    expect(next.httpStatusCode).toBe(200);
    expect(next.customer_gateways.map((c: any) => c.id)).toEqual([made[1].id]);

    for (const c of made) expect((await vpn('DELETE', `/customer-gateways/${c.id}`)).httpStatusCode).toBe(204);
    expect((await vpn('GET', '/customer-gateways')).customer_gateways).toEqual([]);
  });

  it('creates a gateway, a customer gateway and a vpn-connection, then deletes them', async () => {
    const vpc = (await t.call('POST', '/v1/vpcs', { token: ibm, body: {} })).json() as { id: string };
    const subnet = (await t.call('POST', '/v1/subnets', { token: ibm, body: { vpc: { id: vpc.id }, ipv4_cidr_block: '10.240.0.0/24' } })).json() as {
      id: string;
    };
    const gw = await vpn('POST', '/vpn-gateways', { body: { vpn_gateway: { vpc_id: vpc.id, connect_subnet: subnet.id, local_subnets: ['10.240.0.0/24'] } } });
    expect(gw.httpStatusCode).toBe(201);
    const gwId = gw.vpn_gateway.id as string;
    // With no data plane (the test server's default) the gateway is ACTIVE at once.
    const shown = (await vpn('GET', `/vpn-gateways/${gwId}`)).vpn_gateway;
    expect(shown.status).toBe('ACTIVE');
    const cgw = await vpn('POST', '/customer-gateways', { body: { customer_gateway: { id_value: '203.0.113.30' } } });
    expect(cgw.httpStatusCode).toBe(201);
    const conn = await vpn('POST', '/vpn-connection', {
      body: {
        vpn_connection: {
          vgw_id: gwId,
          vgw_ip: shown.eip1.id,
          cgw_id: cgw.customer_gateway.id,
          style: 'policy',
          psk: 'Secret-psk-1',
          policy_rules: [{ source: '10.240.0.0/24', destination: ['192.168.1.0/24'] }],
        },
      },
    });
    expect(conn.httpStatusCode).toBe(201);
    const listed = await vpn('GET', '/vpn-connection', { query: { vgw_id: gwId } });
    expect(listed.vpn_connections.map((c: any) => c.id)).toEqual([conn.vpn_connection.id]);

    expect((await vpn('DELETE', `/vpn-connection/${conn.vpn_connection.id}`)).httpStatusCode).toBe(204);
    expect((await vpn('DELETE', `/customer-gateways/${cgw.customer_gateway.id}`)).httpStatusCode).toBe(204);
    expect((await vpn('DELETE', `/vpn-gateways/${gwId}`)).httpStatusCode).toBe(204);
  });

  it("surfaces a wrong secret key as the SDK's ClientRequestException with Huawei's code and request id", async () => {
    const wrong = builder('x'.repeat(40)).build();
    const err = await vpn('GET', '/customer-gateways', { via: wrong }).catch((e: unknown) => e);
    expect(err).toMatchObject({ httpStatusCode: 401, errorCode: 'VPN.0010', requestId: expect.any(String) });
    expect(err.errorMsg).toMatch(/signature does not match/);
  });

  /**
   * A request signed by the SDK (BasicCredentials.processAuthRequest → AKSKSigner), then sent with fetch
   * so that one thing can be changed after signing.
   */
  const signed = async (body: object, headers: Record<string, string> = {}): Promise<IHttpRequest> => {
    const request = new HttpRequestBuilder()
      .withEndpoint(t.server.url)
      .withUrl('/v5/{project_id}/customer-gateways')
      .withMethod('POST')
      .withHeaders({ 'content-type': 'application/json', ...headers })
      .withPathParams({})
      .withQueryParams({})
      .withData(body)
      .build();
    return new BasicCredentials().withAk(ak).withSk(sk).withProjectId(project).processAuthRequest(client, request);
  };
  const send = (r: IHttpRequest, change: { body?: string; headers?: Record<string, string> } = {}) => {
    const headers = { ...(r.headers as Record<string, string>), ...change.headers };
    delete headers['host']; // fetch sets Host itself (to the same value)
    return fetch(r.endpoint, { method: r.method, headers, body: change.body ?? JSON.stringify(r.data) });
  };
  const expectRefused = async (res: Response, why: RegExp) => {
    expect(res.status).toBe(401);
    const body = (await res.json()) as any;
    expect(body).toEqual({ error_code: 'VPN.0010', error_msg: expect.stringMatching(why), request_id: expect.any(String) });
    expect(res.headers.get('x-request-id')).toBe(body.request_id);
  };

  it('answers 401 in Huawei’s envelope to a signed request with a body byte changed, and 201 to it as signed', async () => {
    const r = await signed({ customer_gateway: { name: 'cgw-a', id_value: '203.0.113.41' } });
    await expectRefused(await send(r, { body: JSON.stringify(r.data).replace('cgw-a', 'cgw-b') }), /signature does not match/);
    expect((await send(r)).status).toBe(201);
  });

  it('answers 401 to a signed request with a signed header changed', async () => {
    const r = await signed({ customer_gateway: { name: 'cgw-c', id_value: '203.0.113.42' } });
    expect((r.headers as Record<string, string>)['Authorization']).toMatch(/SignedHeaders=[^,]*x-project-id/);
    await expectRefused(await send(r, { headers: { 'X-Project-Id': 'f'.repeat(32) } }), /signature does not match/);
    expect((await send(r)).status).toBe(201);
  });

  it('answers 401 to a request the SDK signed with an X-Sdk-Date 20 minutes old', async () => {
    const old = formatSdkDate(Date.now() - 20 * 60_000);
    const r = await signed({ customer_gateway: { name: 'cgw-d', id_value: '203.0.113.43' } }, { 'X-Sdk-Date': old });
    expect((r.headers as Record<string, string>)['X-Sdk-Date']).toBe(old);
    await expectRefused(await send(r), /more than 15 minutes/);
  });
});
