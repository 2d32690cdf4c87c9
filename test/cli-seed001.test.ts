import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellWords, startCliServer, type CliServer } from './cli-fixture.js';

/**
 * Seed 001 (IBM's "Adding connections to a VPN gateway", kept verbatim in test/seed-examples/seed-001.md)
 * teaches `ibmcloud is …` command lines. Every one of them runs through bin/causeway as printed, with
 * `ibmcloud is` replaced by `causeway` and only names and ids swapped for real ones: each line gets a
 * fresh gateway (policy mode when the line sets CIDRs, route mode otherwise), the policies and the
 * existing connection it names. A syntax line runs with its required part (up to its first `[--…]` group).
 */
const SEED = readFileSync(join(__dirname, 'seed-examples', 'seed-001.md'), 'utf8');
const LINES = SEED.split('\n')
  .map((l) => l.trim())
  .filter((l) => l.startsWith('ibmcloud is '));

const IPSEC_ID = '72251a2e-d6c5-42b4-97b0-b5f8e8d1f479';
const IKE_ID = '72251a2e-d6c5-42b4-97b0-b5f8e8d1f480';
const SEED_GATEWAY = 'fee82deba12e4c0fb69c3b09d1f12345';

type J = Record<string, unknown>;

describe('seed 001: every ibmcloud is … line runs through causeway', () => {
  let c: CliServer;
  const policies = { ike: '', ipsec: '' };
  beforeAll(async () => {
    c = await startCliServer({ 'quota.gatewaysPerZone': '40', 'quota.gatewaysPerAccount': '40', 'quota.vpcs': '40' });
    const ike = await c.t.call('POST', '/v1/ike_policies', {
      body: { name: 'seed-ike', ike_version: 2, authentication_algorithms: ['sha256'], encryption_algorithms: ['aes256'], dh_groups: [14] },
    });
    const ipsec = await c.t.call('POST', '/v1/ipsec_policies', {
      body: { name: 'seed-ipsec', authentication_algorithms: ['sha256'], encryption_algorithms: ['aes256'], pfs_groups: ['group_14'] },
    });
    policies.ike = (ike.json() as { id: string }).id;
    policies.ipsec = (ipsec.json() as { id: string }).id;
  }, 60_000);
  afterAll(() => c?.close());

  it('finds the 13 command lines of the seed', () => {
    expect(LINES).toHaveLength(13);
    expect(LINES.filter((l) => l.startsWith('ibmcloud is vpn-gateway-connection-create '))).toHaveLength(9);
  });

  /** A VPC with the seed's two local ranges as subnets, and a gateway in the first. */
  let n = 0;
  const gateway = async (mode: 'policy' | 'route') => {
    n += 1;
    const vpc = (await c.t.call('POST', '/v1/vpcs', { body: { name: `seed-vpc-${n}` } })).json() as { id: string };
    const subnet = (await c.t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc.id }, ipv4_cidr_block: '10.240.0.0/24' } })).json() as { id: string };
    await c.t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc.id }, ipv4_cidr_block: '10.10.20.0/24' } });
    const r = await c.t.call('POST', '/v1/vpn_gateways', { body: { name: `seed-gw-${n}`, mode, subnet: { id: subnet.id } } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; name: string };
  };
  const connections = async (gw: string) => ((await c.t.call('GET', `/v1/vpn_gateways/${gw}/connections`)).json() as { connections: J[] }).connections;

  it.each(LINES.map((l, i) => [i + 1, l]))(
    'line %i: %s',
    async (_i, line) => {
      const required = line.replace(/\s+\[-.*$/, '');
      const create = required.startsWith('ibmcloud is vpn-gateway-connection-create ');
      const gw = await gateway(create && !required.includes('--local-cidr') ? 'route' : 'policy');
      const hex = gw.id.replace(/-/g, '');
      if (!create) {
        const r = await c.t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, {
          body: {
            name: 'my-connection',
            psk: 'lkj14b1oi0alcniejkso',
            local: { cidrs: ['10.240.0.0/24'] },
            peer: { address: '169.21.50.5', cidrs: ['192.168.1.0/24'] },
          },
        });
        expect(r.statusCode, r.body).toBe(201);
      }
      // Only names and ids are swapped (and the syntax placeholders filled in).
      const swapped = required
        .replace(/^ibmcloud is /, 'causeway ')
        .replaceAll(SEED_GATEWAY, hex)
        .replaceAll('${gateway_id}', gw.id)
        .replaceAll('my-vpn-gateway', gw.name)
        .replaceAll(IPSEC_ID, policies.ipsec)
        .replaceAll(IKE_ID, policies.ike)
        .replace(/\bCONNECTION_NAME\b/, 'my-connection')
        .replace(/\bVPN_GATEWAY\b/, gw.id)
        .replace(/\bPEER\b/, '169.21.50.5')
        .replace(/\bPRESHARED_KEY\b/, 'lkj14b1oi0alcniejkso')
        .replace(/\bCONNECTION\b/, 'my-connection')
        .replace(/\bPREFIX_ADDRESS PREFIX_LENGTH\b/, '5.5.5.0 24');
      const r = await c.sh(swapped);
      expect(r.stderr).toBe('');
      expect(r.status, `${swapped}\n${r.stdout}`).toBe(0);

      const words = shellWords(swapped.replace(/^causeway /, ''), { gateway_id: gw.id });
      const flag = (name: string): string[] => words.flatMap((w, i) => (w === name ? [words[i + 1]!] : []));
      const conns = await connections(gw.id);
      if (!create) {
        const side = words[0]!.includes('-local-') ? 'local' : 'peer';
        const cidr = words[3]!.includes('/') ? words[3]! : `${words[3]}/${words[4]}`;
        expect((conns[0]![side] as { cidrs: string[] }).cidrs).toContain(cidr);
        return;
      }
      const [, name, , peer] = words;
      const conn = conns.find((x) => x['name'] === name)!;
      expect(conn, JSON.stringify(conns)).toBeDefined();
      const local = conn['local'] as { cidrs?: string[]; ike_identities: { type: string; value: string }[] };
      const remote = conn['peer'] as { address?: string; fqdn?: string; cidrs?: string[]; ike_identity: { type: string; value: string } };
      expect(remote.address ?? remote.fqdn).toBe(peer);
      expect(local.cidrs ?? []).toEqual(flag('--local-cidr'));
      expect(remote.cidrs ?? []).toEqual(flag('--peer-cidr'));
      const dpd = conn['dead_peer_detection'] as { action: string; interval: number; timeout: number };
      for (const [f, k] of [
        ['--dead-peer-detection-action', 'action'],
        ['--dead-peer-detection-interval', 'interval'],
        ['--dead-peer-detection-timeout', 'timeout'],
      ] as const) {
        if (flag(f).length) expect(String(dpd[k])).toBe(flag(f)[0]);
      }
      if (flag('--ike-policy').length) expect((conn['ike_policy'] as { id: string }).id).toBe(policies.ike);
      if (flag('--ipsec-policy').length) expect((conn['ipsec_policy'] as { id: string }).id).toBe(policies.ipsec);
      if (flag('--establish-mode').length) expect(conn['establish_mode']).toBe(flag('--establish-mode')[0]);
      if (flag('--distribute-traffic').length) expect(conn['distribute_traffic']).toBe(true);
      if (flag('--peer-ike-identity-type').length) {
        expect(remote.ike_identity).toEqual({ type: flag('--peer-ike-identity-type')[0], value: flag('--peer-ike-identity-value')[0] });
      }
      const ids = flag('--local-ike-identities')[0];
      if (ids) {
        const pairs = [...ids.matchAll(/type"?:"?([a-z0-9_]+)"?,"?value"?:"?([^"}]+)"?/g)].map((m) => ({ type: m[1], value: m[2] }));
        expect(pairs.length).toBeGreaterThan(0);
        expect(local.ike_identities.map((x) => ({ type: x.type, value: x.value }))).toEqual(pairs);
      }
    },
    60_000,
  );
});
