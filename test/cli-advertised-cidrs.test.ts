import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliServer, type CliServer } from './cli-fixture.js';

/** The route-mode gateway commands (advertised CIDRs, local ASN, service connections) through bin/causeway, as IBM's docs write them. */
describe('causeway vpn-gateway advertised CIDRs, local ASN and service connections', () => {
  let c: CliServer;
  beforeAll(async () => {
    c = await startCliServer();
    const vpc = (await c.t.call('POST', '/v1/vpcs', { body: { name: 'adv-vpc' } })).json() as { id: string };
    const subnet = await c.t.call('POST', '/v1/subnets', { body: { name: 'adv-subnet', vpc: { id: vpc.id }, ipv4_cidr_block: '10.240.0.0/24' } });
    expect(subnet.statusCode, subnet.body).toBe(201);
    const policy = await c.t.call('POST', '/v1/vpn_gateways', {
      body: { name: 'adv-policy-gw', mode: 'policy', subnet: { id: (subnet.json() as { id: string }).id } },
    });
    expect(policy.statusCode, policy.body).toBe(201);
  }, 60_000);
  afterAll(() => c?.close());

  const run = async (args: string[], status = 0, input?: string) => {
    const r = await c.run(args, input === undefined ? {} : { input });
    expect(r.status, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(status);
    return r;
  };
  const json = async (args: string[]) => JSON.parse((await run([...args, '--output', 'JSON'])).stdout) as Record<string, unknown>;
  const apiGateway = async (name: string) => {
    const gs = ((await c.t.call('GET', '/v1/vpn_gateways')).json() as { vpn_gateways: Record<string, unknown>[] }).vpn_gateways;
    return gs.find((g) => g['name'] === name)!;
  };

  it('vpn-gateway-create takes --advertised-cidrs and --local-asn; vpn-gateway-update --local-asn', async () => {
    const g = await json([
      'vpn-gateway-create',
      'my-vpc-gateway',
      'adv-subnet',
      '--mode',
      'route',
      '--advertised-cidrs',
      '192.168.3.0/24',
      '--advertised-cidrs',
      '192.168.4.0/24,192.168.5.0/24',
      '--local-asn',
      '64520',
    ]);
    expect([g['local_asn'], g['advertised_cidrs']]).toEqual([64520, ['192.168.3.0/24', '192.168.4.0/24', '192.168.5.0/24']]);
    expect((await run(['vpn-gateway', 'my-vpc-gateway'])).stdout).toMatch(/^Advertised CIDRs\s+192\.168\.3\.0\/24, 192\.168\.4\.0\/24, 192\.168\.5\.0\/24$/m);

    const u = await json(['vpn-gateway-update', 'my-vpc-gateway', '--name', 'my-vpc-gateway', '--local-asn', '64521']);
    expect(u['local_asn']).toBe(64521);
    expect((await apiGateway('my-vpc-gateway'))['local_asn']).toBe(64521);

    // A policy-mode gateway has no ASN (the API refuses: exit 1); a non-number is usage (exit 2).
    expect((await run(['vpn-gateway-update', 'adv-policy-gw', '--local-asn', '64530'], 1)).stderr).toMatch(/Error code: \w+/);
    await run(['vpn-gateway-update', 'my-vpc-gateway', '--local-asn', 'sixty'], 2);
    await run(['vpn-gateway-create', 'bad-gw', 'adv-subnet', '--mode', 'policy', '--local-asn', '64520'], 1);
    await run(['vpn-gateway-create', 'bad-gw', 'adv-subnet', '--advertised-cidrs', '10.0.0.1/8'], 1);
    expect(await apiGateway('bad-gw')).toBeUndefined();
  }, 120_000);

  it('vpn-gateway-advertised-cidrs, -cidr, -cidr-add and -cidr-delete', async () => {
    const advertised = async () => (await apiGateway('my-vpc-gateway'))['advertised_cidrs'] as string[];

    expect((await json(['vpn-gateway-advertised-cidr-add', 'my-vpc-gateway', '--cidr', '10.45.0.0/26']))['cidr']).toBe('10.45.0.0/26');
    expect(await advertised()).toContain('10.45.0.0/26');
    expect((await run(['vpn-gateway-advertised-cidr-add', 'my-vpc-gateway', '10.45.0.0/26'])).stdout).toMatch(/was already advertised by/);
    expect((await run(['vpn-gateway-advertised-cidr-add', 'my-vpc-gateway', '10.46.0.0/24', '--vpc', 'adv-vpc', '-q'])).stdout).toBe('');

    const list = await run(['vpn-gateway-advertised-cidrs', 'my-vpc-gateway']);
    expect(list.stdout).toMatch(/^Advertised CIDRs\n/);
    expect(list.stdout).toMatch(/^10\.45\.0\.0\/26$/m);
    expect((await json(['vpn-gateway-advertised-cidrs', 'my-vpc-gateway']))['advertised_cidrs']).toEqual(await advertised());

    expect((await run(['vpn-gateway-advertised-cidr', 'my-vpc-gateway', '--cidr', '10.45.0.0/26'])).stdout).toMatch(/10\.45\.0\.0\/26 is advertised/);
    const absent = await run(['vpn-gateway-advertised-cidr', 'my-vpc-gateway', '--cidr', '10.47.0.0/26'], 1);
    expect(absent.stderr).toMatch(/not advertised/);

    // Without -f the question comes first: a closed stdin is a no, y removes it.
    await run(['vpn-gateway-advertised-cidr-delete', 'my-vpc-gateway', '10.45.0.0/26'], 1);
    expect(await advertised()).toContain('10.45.0.0/26');
    await run(['vpn-gateway-advertised-cidr-delete', 'my-vpc-gateway', '10.45.0.0/26'], 0, 'y\n');
    expect(await advertised()).not.toContain('10.45.0.0/26');
    expect((await json(['vpn-gateway-advertised-cidr-delete', 'my-vpc-gateway', '--cidr', '10.46.0.0/24', '-f']))['deleted']).toBe(true);
    expect(await advertised()).toEqual(['192.168.3.0/24', '192.168.4.0/24', '192.168.5.0/24']);
    await run(['vpn-gateway-advertised-cidr-delete', 'my-vpc-gateway', '10.46.0.0/24', '-f'], 1);
  }, 120_000);

  it('API refusals exit 1, usage mistakes exit 2', async () => {
    for (const args of [
      ['vpn-gateway-advertised-cidr-add', 'my-vpc-gateway', '--cidr', '10.45.0.1/26'],
      ['vpn-gateway-advertised-cidr-add', 'my-vpc-gateway', '--cidr', 'not-a-cidr'],
      ['vpn-gateway-advertised-cidr-add', 'adv-policy-gw', '--cidr', '10.45.0.0/26'],
      ['vpn-gateway-advertised-cidrs', 'adv-policy-gw'],
      ['vpn-gateway-advertised-cidrs', 'no-such-gateway'],
    ]) {
      const r = await run(args, 1);
      expect(r.stderr, args.join(' ')).toMatch(/^FAILED\n[\s\S]*Error code: \w+/);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
    for (const args of [
      ['vpn-gateway-advertised-cidr-add', 'my-vpc-gateway'],
      ['vpn-gateway-advertised-cidr-add', 'my-vpc-gateway', '10.1.0.0/16', '--cidr', '10.2.0.0/16'],
      ['vpn-gateway-advertised-cidr', 'my-vpc-gateway'],
      ['vpn-gateway-advertised-cidrs'],
      ['vpn-gateway-advertised-cidrs', 'my-vpc-gateway', '--output', 'yaml'],
      ['vpn-gateway-service-connection', 'my-vpc-gateway'],
    ]) {
      const r = await run(args, 2);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
    expect(await apiGateway('my-vpc-gateway')).toMatchObject({ advertised_cidrs: ['192.168.3.0/24', '192.168.4.0/24', '192.168.5.0/24'] });
  }, 120_000);

  it('vpn-gateway-service-connections lists none (no transit gateways); -service-connection of an unknown id is exit 1', async () => {
    expect((await run(['vpn-gateway-service-connections', 'my-vpc-gateway'])).stdout).toMatch(/^ID\s+Status\s+Lifecycle state\s+Created\n?$/);
    expect(JSON.parse((await run(['vpn-gateway-service-connections', 'my-vpc-gateway', '--output', 'json'])).stdout)).toEqual([]);
    expect((await run(['vpn-gateway-service-connections', 'my-vpc-gateway', '-q'])).stdout).toBe('');
    const one = await run(['vpn-gateway-service-connection', 'my-vpc-gateway', '--service-connection-id', '72fd9e00-3117-4b2e-984d-9361a9a97801'], 1);
    expect(one.stderr).toMatch(/Error code: vpn_gateway_service_connection_not_found/);
  }, 60_000);

  it('bash completion knows the new commands and flags', async () => {
    const complete = async (words: string[]) => {
      const script = `source <(causeway completion bash)\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n_causeway_completion\necho "\${COMPREPLY[*]}"`;
      const r = await c.sh(script);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split(' ');
    };
    expect(await complete(['causeway', 'vpn-gateway-a'])).toEqual([
      'vpn-gateway-advertised-cidrs',
      'vpn-gateway-advertised-cidr',
      'vpn-gateway-advertised-cidr-add',
      'vpn-gateway-advertised-cidr-delete',
    ]);
    expect(await complete(['causeway', 'vpn-gateway-create', 'x', '--lo'])).toEqual(['--local-asn']);
    expect(await complete(['causeway', 'vpn-gateway-service-connection', 'x', '--s'])).toEqual(['--service-connection-id']);
  }, 60_000);
});
