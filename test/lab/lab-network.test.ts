import { afterAll, describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from '../../src/domain/cidr.js';
import { deleteNamespace, ensureNamespace, inNamespace, listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { ensureGatewayNetwork, movePeerRoutes, removeGatewayNetwork, syncPublicAddresses } from '../../src/dataplane/lab/gateway-network.js';
import { ensureInternet, plugIntoInternet } from '../../src/dataplane/lab/lab-internet.js';

const INET = `cw-inet-n${process.pid}`;
const SITE = `cw-site-n${process.pid}`;
import { gatewayNamespaces, memberNs, vpcNs } from '../../src/dataplane/lab/lab-names.js';
import type { GatewayLayout } from '../../src/dataplane/lab/network-layout.js';

const root = process.getuid?.() === 0;
const pool = (parseCidr('198.51.100.0/24') as { cidr: Cidr }).cidr;
const sitePool = (parseCidr('203.0.113.0/24') as { cidr: Cidr }).cidr;

function layout(n: number): GatewayLayout {
  const id = `0000000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;
  return {
    gatewayId: id,
    vpcId: `1111111${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`,
    members: [
      { index: 1, privateIp: `10.${n}.0.4`, publicIps: [`198.51.100.${200 + n}`], cut: false },
      { index: 2, privateIp: `10.${n}.0.5`, publicIps: [], cut: false },
    ],
    routeVia: `10.${n}.0.4`,
    privatePrefix: 24,
    subnetId: `2222222${n}-aaaa-4bbb-8ccc-000000000000`,
    vpcSubnets: [{ id: `2222222${n}-aaaa-4bbb-8ccc-000000000000`, cidr: `10.${n}.0.0/24`, router: `10.${n}.0.1` }],
    extraLocalAddresses: [`10.${n + 100}.0.254`],
    peerRoutes: [`10.${3 - n}.0.0/24`],
  };
}

describe.skipIf(!root && !process.env['CI'])('lab network plumbing (namespaces, veths, bridges)', () => {
  const a = layout(1);
  const b = layout(2);
  afterAll(async () => {
    for (const l of [a, b])
      await removeGatewayNetwork(
        l.gatewayId,
        l.vpcId,
        l.members.map((m) => m.privateIp),
        false,
      ).catch(() => undefined);
    await deleteNamespace(SITE);
    await deleteNamespace(INET);
  });

  it('builds two gateways on the lab internet, each with a VPC behind it, idempotently', async () => {
    await ensureInternet([pool], INET);
    for (const l of [a, b]) {
      await ensureGatewayNetwork(l, pool, INET);
      await ensureGatewayNetwork(l, pool, INET); // a second pass changes nothing and does not fail
    }
    const names = await listNamespaces();
    for (const ns of [INET, ...gatewayNamespaces(a.gatewayId), vpcNs(a.vpcId), ...gatewayNamespaces(b.gatewayId), vpcNs(b.vpcId)]) expect(names).toContain(ns);
    // gateway to gateway across the lab internet (the active members hold the public addresses)
    await inNamespace(memberNs(a.gatewayId, 1), ['ping', '-c', '1', '-W', '2', '198.51.100.202']);
    // VPC host to each member over its own private leg
    await inNamespace(vpcNs(a.vpcId), ['ping', '-c', '1', '-W', '2', '10.1.0.4']);
    await inNamespace(vpcNs(a.vpcId), ['ping', '-c', '1', '-W', '2', '10.1.0.5']);
    expect(await inNamespace(memberNs(a.gatewayId, 2), ['ip', '-4', 'addr', 'show', 'dev', 'pub0'])).not.toContain('198.51.100.201');
    // the VPC routes the peer CIDR via its gateway; the gateway holds an address in an extra local CIDR
    expect(await inNamespace(vpcNs(a.vpcId), ['ip', 'route', 'show', '10.2.0.0/24'])).toContain('via 10.1.0.4');
    for (const m of [1, 2] as const)
      expect(await inNamespace(memberNs(a.gatewayId, m), ['ip', '-4', 'addr', 'show', 'dev', 'lo'])).toContain('10.101.0.254/32');
    // level-based: a peer route no longer wanted is removed
    await ensureGatewayNetwork({ ...a, peerRoutes: [] }, pool, INET);
    expect(await inNamespace(vpcNs(a.vpcId), ['ip', 'route', 'show', '10.2.0.0/24'])).toBe('');
    // failover: the public address moves to member 2 and the VPC's routes follow its private address
    const moved: GatewayLayout = {
      ...b,
      members: [
        { ...b.members[0]!, publicIps: [] },
        { ...b.members[1]!, publicIps: b.members[0]!.publicIps },
      ],
      routeVia: b.members[1]!.privateIp,
    };
    expect(await syncPublicAddresses(moved, pool)).toEqual([2]);
    await movePeerRoutes(moved);
    expect(await inNamespace(memberNs(b.gatewayId, 1), ['ip', '-4', 'addr', 'show', 'dev', 'pub0'])).not.toContain('198.51.100.202');
    expect(await inNamespace(memberNs(b.gatewayId, 2), ['ip', '-4', 'addr', 'show', 'dev', 'pub0'])).toContain('198.51.100.202/24');
    expect(await inNamespace(vpcNs(b.vpcId), ['ip', 'route', 'show', '10.1.0.0/24'])).toContain('via 10.2.0.5');
    await inNamespace(memberNs(a.gatewayId, 1), ['ping', '-c', '1', '-W', '2', '198.51.100.202']);
    // nothing reaches the host: the lab internet has no link to the root namespace
    expect(await inNamespace(INET, ['ip', '-o', 'link', 'show'])).not.toMatch(/eth0|ens|enp/);
  });

  it('routes between its pools without ICMP redirects (a site never sends to a gateway over the bridge directly)', async () => {
    // A redirect would send the site's packets for a gateway straight over the bridge; a route
    // gateway's member does not answer that ARP, so the site lost its gateways once the entry went stale.
    await ensureInternet([pool, sitePool], INET);
    await ensureNamespace(SITE);
    await plugIntoInternet(SITE, `s${process.pid % 1_000_000}`, 'wan0', ['203.0.113.250'], sitePool, INET);
    const redirects = async (): Promise<number> => {
      const [names, values] = (await inNamespace(INET, ['cat', '/proc/net/snmp']))
        .split('\n')
        .filter((l) => l.startsWith('Icmp:'))
        .map((l) => l.split(' '));
      return Number(values![names!.indexOf('OutRedirects')]);
    };
    const before = await redirects();
    await inNamespace(SITE, ['ping', '-c', '3', '-i', '0.2', '-W', '2', '198.51.100.202']);
    expect(await redirects()).toBe(before);
    expect(await inNamespace(SITE, ['ip', 'route', 'get', '198.51.100.202'])).not.toContain('redirected');
  });

  it('tears a gateway down completely', async () => {
    await removeGatewayNetwork(a.gatewayId, a.vpcId, ['10.1.0.4', '10.1.0.5'], false);
    const names = await listNamespaces();
    for (const ns of gatewayNamespaces(a.gatewayId)) expect(names).not.toContain(ns);
    expect(names).not.toContain(vpcNs(a.vpcId));
  });
});
