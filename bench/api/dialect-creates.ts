import { type ApiCall, type ApiClient } from './load-runner.js';

/**
 * The connection create of each compatible dialect, for comparison with the native one: the same
 * policy connection (local 10.240.0.0/24, a peer /24) sent as that dialect's users send it, each
 * on a gateway made through that dialect. Set-up requests are not timed.
 */
export interface DialectCreate {
  readonly op: string;
  call(tag: string, i: number): ApiCall;
}

const must = async (api: ApiClient, what: string, call: ApiCall): Promise<Record<string, unknown>> => {
  const r = await api.send(call);
  if (r.status < 200 || r.status > 299) throw new Error(`set-up: ${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.text ? (JSON.parse(r.text) as Record<string, unknown>) : {};
};
const field = (o: Record<string, unknown>, ...path: string[]): string => {
  let v: unknown = o;
  for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
  if (typeof v !== 'string') throw new Error(`set-up: no ${path.join('.')} in ${JSON.stringify(o).slice(0, 300)}`);
  return v;
};

/** Huawei v5: a gateway on the subnet, one customer gateway, then POLICY connections on eip1 (X-Auth-Token). */
export async function huaweiCreate(api: ApiClient, vpc: string, subnet: string): Promise<DialectCreate> {
  const headers = { 'x-auth-token': api.token };
  // The project is the token's account (its `sub` claim); Huawei's /v5 takes it in the path.
  const p = field(JSON.parse(Buffer.from(api.token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>, 'sub');
  const v5 = (path: string, body?: unknown): ApiCall => ({
    method: body === undefined ? 'GET' : 'POST',
    path: `/v5/${p}${path}`,
    absolute: true,
    headers,
    body,
  });
  const gw = field(
    await must(
      api,
      'creating the Huawei gateway',
      v5('/vpn-gateways', { vpn_gateway: { vpc_id: vpc, connect_subnet: subnet, local_subnets: ['10.240.0.0/24'] } }),
    ),
    'vpn_gateway',
    'id',
  );
  const eip = field(await must(api, 'reading the Huawei gateway', v5(`/vpn-gateways/${gw}`)), 'vpn_gateway', 'eip1', 'id');
  const cgw = field(
    await must(api, 'creating the customer gateway', v5('/customer-gateways', { customer_gateway: { id_value: '203.0.113.9' } })),
    'customer_gateway',
    'id',
  );
  return {
    op: 'create conn (huawei)',
    call: (tag, i) =>
      v5('/vpn-connection', {
        vpn_connection: {
          name: `${tag}-hw-${i}`,
          vgw_id: gw,
          vgw_ip: eip,
          cgw_id: cgw,
          style: 'policy',
          psk: 'Lkj14b1oi0alcniejkso',
          policy_rules: [{ source: '10.240.0.0/24', destination: ['192.168.1.0/24'] }],
        },
      }),
  };
}

/** cloud.ca: site-to-site VPNs of the bench VPC (its gateway made by the first), one peer gateway each (MC-Api-Key). */
export function cloudcaCreate(apiKey: string, vpc: string): DialectCreate {
  const tags = new Map<string, number>();
  return {
    op: 'create vpn (cloud.ca)',
    call: (tag, i) => {
      // cloud.ca allows one VPN per peer gateway in an environment: a distinct peer address per request.
      if (!tags.has(tag)) tags.set(tag, tags.size);
      const peer = `172.${16 + (tags.get(tag) ?? 0)}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
      return {
        method: 'POST',
        path: '/cloudca/v1/services/compute-on/admin/sitetositevpns',
        absolute: true,
        headers: { 'mc-api-key': apiKey },
        body: {
          name: `${tag}-cca-${i}`,
          vpcId: vpc,
          gateway: peer,
          cidr: '192.168.1.0/24',
          ipSecPsk: 'Lkj14b1oi0alcniejkso',
          ikeEncryptionAlgorithm: 'aes256',
          ikeHashAlgorithm: 'sha1',
          ikeDhGroup: 'modp1536',
          ikeLifetime: 86400,
          espEncryptionAlgorithm: 'aes256',
          espHashAlgorithm: 'sha1',
          espPerfectForwardSecrecy: 'modp1536',
          espLifetime: 3600,
        },
      };
    },
  };
}
