import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_VERSION, makeGateway, policyConnection, startTestServer, type TestServer } from './harness.js';

describe('VPN gateway connections', () => {
  let t: TestServer;
  let gw: string;
  let routeGw: string;
  beforeAll(async () => {
    t = await startTestServer();
    gw = (await makeGateway(t)).gateway.id;
    routeGw = (await makeGateway(t, { mode: 'route', cidr: '10.50.0.0/24' })).gateway.id;
  });
  afterAll(async () => {
    await t.close();
  });
  const base = () => `/v1/vpn_gateways/${gw}/connections`;
  const err = (r: { json(): unknown }) => (r.json() as { errors: { code: string; message: string; target?: { name: string } }[] }).errors[0]!;
  const create = (body: Record<string, unknown>, version?: string) => t.call('POST', base(), { body, ...(version ? { version } : {}) });

  it('current shape: local{cidrs,ike_identities}, peer{address,cidrs,ike_identity,type}, defaults, honest status', async () => {
    const r = await create(policyConnection({ name: 'c-current' }));
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('W/"r1"');
    const c = r.json();
    expect(c).toMatchObject({
      name: 'c-current',
      mode: 'policy',
      admin_state_up: true,
      establish_mode: 'bidirectional',
      authentication_mode: 'psk',
      dead_peer_detection: { action: 'restart', interval: 2, timeout: 10 },
      psk: 'lkj14b1oi0alcniejkso',
      status: 'down',
      local: { cidrs: ['10.240.0.0/24'], ike_identities: [{ type: 'ipv4_address', value: '198.51.100.2' }] },
      peer: { address: '203.0.113.9', cidrs: ['192.168.1.0/24'], ike_identity: { type: 'ipv4_address', value: '203.0.113.9' }, type: 'address' },
    });
    expect(c.ike_policy).toBeUndefined();
    expect(c.status_reasons.map((x: { code: string }) => x.code)).toContain('data_plane_not_attached');
    expect(c.peer_address).toBeUndefined();
  });

  it('legacy shape before 2024-04-30: peer_address, local_cidrs, peer_cidrs', async () => {
    const r = await create(
      { name: 'c-legacy', psk: 'abcdef123', peer_address: '203.0.113.20', local_cidrs: ['10.240.0.0/24'], peer_cidrs: ['172.16.0.0/16'] },
      LEGACY_VERSION,
    );
    expect(r.statusCode).toBe(201);
    const c = r.json();
    expect(c).toMatchObject({ peer_address: '203.0.113.20', local_cidrs: ['10.240.0.0/24'], peer_cidrs: ['172.16.0.0/16'] });
    expect(c.local).toBeUndefined();
    // the same connection seen at a current version
    const now = (await t.call('GET', `${base()}/${c.id}`)).json();
    expect(now.peer).toMatchObject({ address: '203.0.113.20', cidrs: ['172.16.0.0/16'] });
    // each shape is refused at the other's versions, with a message that says what to use
    const old = await create(policyConnection(), LEGACY_VERSION);
    expect(old.statusCode).toBe(400);
    expect(err(old).message).toMatch(/2024-04-30/);
    const neu = await create({ psk: 'abcdef123', peer_address: '203.0.113.21', local_cidrs: ['10.240.0.0/24'], peer_cidrs: ['172.17.0.0/16'] });
    expect(neu.statusCode).toBe(400);
    expect(err(neu).message).toMatch(/peer\.address/);
  });

  it('FQDN peer with custom identities (seed 001 advanced options)', async () => {
    const r = await create({
      name: 'c-fqdn',
      establish_mode: 'peer_only',
      psk: 'test123x',
      local: { cidrs: ['10.240.0.0/28'], ike_identities: [{ type: 'key_id', value: 'dGVzdGtleQ==' }] },
      peer: { cidrs: ['192.168.50.0/24'], ike_identity: { type: 'hostname', value: 'cisco-asa' }, fqdn: 'on-prem.test.com' },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().peer).toMatchObject({ fqdn: 'on-prem.test.com', type: 'fqdn', ike_identity: { type: 'hostname', value: 'cisco-asa' } });
    expect(r.json().local.ike_identities).toEqual([{ type: 'key_id', value: 'dGVzdGtleQ==' }]);
    // peer type cannot change after creation
    const p = await t.call('PATCH', `${base()}/${r.json().id}`, { body: { peer: { address: '203.0.113.50' } } });
    expect(p.statusCode).toBe(400);
    expect(err(p).message).toMatch(/peer type cannot change/);
  });

  it('pre-shared key rules', async () => {
    for (const psk of ['short', 'a'.repeat(129), '0xdeadbeef', '0sabcdef', 'has space1', 'bad/slash1']) {
      const r = await create(policyConnection({ psk, local: { cidrs: ['10.240.0.0/24'] }, peer: { address: '203.0.113.30', cidrs: ['192.168.99.0/24'] } }));
      expect(r.statusCode, psk).toBe(400);
      expect(err(r).target?.name).toBe('psk');
    }
    expect((await create(policyConnection({ name: 'c-psk', psk: 'Aa0-+&!@#$%^*().,:' }))).statusCode).toBe(201);
    expect((await create({ local: { cidrs: ['10.240.0.0/24'] }, peer: { address: '203.0.113.31', cidrs: ['192.168.98.0/24'] } })).statusCode).toBe(400);
  });

  it('DPD ranges and interval ≤ timeout', async () => {
    const bad = [{ interval: 0 }, { timeout: 1 }, { interval: 86400 }, { interval: 30, timeout: 20 }, { action: 'explode' }];
    for (const dpd of bad) {
      const r = await create(policyConnection({ dead_peer_detection: dpd }));
      expect(r.statusCode, JSON.stringify(dpd)).toBe(400);
      expect(err(r).target?.name ?? '').toMatch(/dead_peer_detection/);
    }
    const ok = await create(policyConnection({ name: 'c-dpd', dead_peer_detection: { action: 'clear', interval: 33, timeout: 100 } }));
    expect(ok.json().dead_peer_detection).toEqual({ action: 'clear', interval: 33, timeout: 100 });
    // merge patch merges DPD field by field
    const p = await t.call('PATCH', `${base()}/${ok.json().id}`, { body: { dead_peer_detection: { timeout: 120 } } });
    expect(p.json().dead_peer_detection).toEqual({ action: 'clear', interval: 33, timeout: 120 });
  });

  it('CIDR rules: valid, no host bits, no local/peer overlap, no peer overlap, at least one each', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ local: { cidrs: ['10.240.0.0/33'] } }, 'local.cidrs'],
      [{ local: { cidrs: ['10.240.0.1/24'] } }, 'local.cidrs'],
      [{ peer: { address: '203.0.113.9', cidrs: ['10.240.0.128/25'] } }, 'peer.cidrs'],
      [{ peer: { address: '203.0.113.9', cidrs: ['192.168.0.0/16', '192.168.1.0/24'] } }, 'peer.cidrs'],
      [{ local: { cidrs: [] } }, 'local.cidrs'],
      [{ peer: { address: '203.0.113.9' } }, 'peer.cidrs'],
      [{ peer: { address: '127.0.0.1', cidrs: ['192.168.1.0/24'] } }, 'peer.address'],
      [{ peer: { address: '203.0.113.9', fqdn: 'x.example.com', cidrs: ['192.168.1.0/24'] } }, 'peer'],
    ];
    for (const [extra, target] of cases) {
      const r = await create(policyConnection(extra));
      expect(r.statusCode, JSON.stringify(extra)).toBe(400);
      expect(err(r).target?.name, JSON.stringify(extra)).toBe(target);
    }
    const o = await create(policyConnection({ peer: { address: '203.0.113.9', cidrs: ['10.0.0.0/8'] } }));
    expect(err(o).code).toBe('cidr_overlap');
  });

  it('PATCH is a merge patch; If-Match is honoured (412 when stale); ETag moves with each change', async () => {
    const c = (await create(policyConnection({ name: 'c-etag' }))).json();
    const url = `${base()}/${c.id}`;
    const g = await t.call('GET', url);
    expect(g.headers.etag).toBe('W/"r1"');
    const p1 = await t.call('PATCH', url, { body: { name: 'c-etag-2' }, headers: { 'if-match': 'W/"r1"', 'content-type': 'application/merge-patch+json' } });
    expect(p1.statusCode).toBe(200);
    expect(p1.headers.etag).toBe('W/"r2"');
    expect(p1.json()).toMatchObject({ name: 'c-etag-2', psk: c.psk, peer: c.peer });
    const stale = await t.call('PATCH', url, { body: { admin_state_up: false }, headers: { 'if-match': 'W/"r1"' } });
    expect(stale.statusCode).toBe(412);
    expect(err(stale).code).toBe('precondition_failed');
    expect((await t.call('GET', url)).json().admin_state_up).toBe(true);
    expect((await t.call('DELETE', url, { headers: { 'if-match': '"r1"' } })).statusCode).toBe(412);
    const noop = await t.call('PATCH', url, { body: {} });
    expect(noop.headers.etag).toBe('W/"r2"');
    const down = await t.call('PATCH', url, { body: { admin_state_up: false }, headers: { 'if-match': '*' } });
    expect(down.json().admin_state_up).toBe(false);
    const cidrPatch = await t.call('PATCH', url, { body: { peer: { cidrs: ['1.2.3.0/24'] } } });
    expect(cidrPatch.statusCode).toBe(400);
    expect(err(cidrPatch).message).toMatch(/peer\/cidrs/);
  });

  it("CIDR sub-resources, current and legacy paths, with the fact sheet's status codes", async () => {
    const c = (await create(policyConnection({ name: 'c-cidrs' }))).json();
    const u = `${base()}/${c.id}`;
    expect((await t.call('GET', `${u}/local/cidrs/10.240.0.0%2F24`)).statusCode).toBe(204);
    expect((await t.call('GET', `${u}/local/cidrs/10.241.0.0%2F24`)).statusCode).toBe(404);
    expect((await t.call('PUT', `${u}/local/cidrs/10.241.0.0%2F24`)).statusCode).toBe(201);
    expect((await t.call('PUT', `${u}/local/cidrs/10.241.0.0%2F24`)).statusCode).toBe(204);
    expect((await t.call('PUT', `${u}/peer/cidrs/172.20.0.0/16`)).statusCode).toBe(201);
    expect((await t.call('GET', `${u}/local/cidrs`)).json()).toEqual({ cidrs: ['10.240.0.0/24', '10.241.0.0/24'] });
    expect((await t.call('GET', `${u}/peer_cidrs`)).json()).toEqual({ peer_cidrs: ['192.168.1.0/24', '172.20.0.0/16'] });
    // legacy paths: PUT answers 204 whether new or not; accepted at every version
    expect((await t.call('PUT', `${u}/local_cidrs/10.242.0.0/24`)).statusCode).toBe(204);
    expect((await t.call('PUT', `${u}/local_cidrs/10.242.0.0/24`, { version: LEGACY_VERSION })).statusCode).toBe(204);
    expect((await t.call('GET', `${u}/local_cidrs/10.242.0.0/24`, { version: LEGACY_VERSION })).statusCode).toBe(204);
    expect((await t.call('DELETE', `${u}/local_cidrs/10.242.0.0/24`)).statusCode).toBe(204);
    expect((await t.call('GET', `${u}/local_cidrs/10.242.0.0/24`)).statusCode).toBe(404);
    expect((await t.call('DELETE', `${u}/local/cidrs/10.242.0.0%2F24`)).statusCode).toBe(404);
    // rules apply to sub-resource edits too
    const overlap = await t.call('PUT', `${u}/peer/cidrs/10.241.0.0%2F25`);
    expect(overlap.statusCode).toBe(400);
    expect(err(overlap).code).toBe('cidr_overlap');
    expect((await t.call('PUT', `${u}/local/cidrs/banana`)).statusCode).toBe(400);
    expect((await t.call('DELETE', `${u}/peer/cidrs/192.168.1.0%2F24`)).statusCode).toBe(204);
    const last = await t.call('DELETE', `${u}/peer/cidrs/172.20.0.0%2F16`);
    expect(last.statusCode).toBe(400);
    // each edit is a configuration change: the ETag moves
    expect((await t.call('GET', u)).headers.etag).not.toBe('W/"r1"');
  });

  it('policy-mode and route-mode fields stay in their mode', async () => {
    const dt = await create(policyConnection({ distribute_traffic: true }));
    expect(dt.statusCode).toBe(400);
    expect(err(dt).code).toBe('mode_mismatch');
    const rc = await t.call('POST', `/v1/vpn_gateways/${routeGw}/connections`, { body: policyConnection() });
    expect(rc.statusCode).toBe(400);
    expect(err(rc).code).toBe('mode_mismatch');
    const route = await t.call('POST', `/v1/vpn_gateways/${routeGw}/connections`, {
      body: { psk: 'abcdef123', peer: { address: '203.0.113.40' }, distribute_traffic: true },
    });
    expect(route.statusCode).toBe(201);
    const rj = route.json();
    expect(rj).toMatchObject({ mode: 'route', routing_protocol: 'none', distribute_traffic: true });
    expect(rj.tunnels).toHaveLength(2);
    expect(rj.local.ike_identities).toHaveLength(2);
    expect((await t.call('GET', `/v1/vpn_gateways/${routeGw}/connections/${rj.id}/local/cidrs`)).statusCode).toBe(400);
    expect((await t.call('PUT', `/v1/vpn_gateways/${routeGw}/connections/${rj.id}/peer/cidrs/10.1.0.0%2F16`)).statusCode).toBe(400);
    const oneId = await t.call('POST', `/v1/vpn_gateways/${routeGw}/connections`, {
      body: { psk: 'abcdef123', peer: { address: '203.0.113.41' }, local: { ike_identities: [{ type: 'fqdn', value: 'a.example.com' }] } },
    });
    expect(oneId.statusCode).toBe(400);
  });

  it('route mode BGP needs the peer ASN and two /30 tunnels; PATCH with an array needs If-Match', async () => {
    const bgp = {
      psk: 'abcdef123',
      routing_protocol: 'bgp',
      peer: { address: '203.0.113.60', asn: 65010 },
      tunnels: [
        { neighbor_ip: { address: '169.254.0.1' }, tunnel_interface_ip: { address: '169.254.0.2' } },
        { neighbor_ip: { address: '169.254.0.5' }, tunnel_interface_ip: { address: '169.254.0.6' } },
      ],
    };
    const ok = await t.call('POST', `/v1/vpn_gateways/${routeGw}/connections`, { body: bgp });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().peer.asn).toBe(65010);
    // stored, and says why no routes come of it
    expect(ok.json().status_reasons.map((r: { code: string }) => r.code)).toContain('bgp_not_running');
    expect(ok.json().tunnels[0].neighbor_ip.address).toBe('169.254.0.1');
    const badPair = await t.call('POST', `/v1/vpn_gateways/${routeGw}/connections`, {
      body: {
        ...bgp,
        peer: { address: '203.0.113.61', asn: 65011 },
        tunnels: [bgp.tunnels[0], { neighbor_ip: { address: '169.254.0.1' }, tunnel_interface_ip: { address: '169.254.0.9' } }],
      },
    });
    expect(badPair.statusCode).toBe(400);
    const reserved = await t.call('POST', `/v1/vpn_gateways/${routeGw}/connections`, { body: { ...bgp, peer: { address: '203.0.113.62', asn: 0 } } });
    expect(reserved.statusCode).toBe(400);
    const url = `/v1/vpn_gateways/${routeGw}/connections/${ok.json().id}`;
    const noMatch = await t.call('PATCH', url, {
      body: { tunnels: [{ neighbor_ip: { address: '169.254.0.9' }, tunnel_interface_ip: { address: '169.254.0.10' } }, {}] },
    });
    expect(noMatch.statusCode).toBe(428);
    const withMatch = await t.call('PATCH', url, {
      body: { tunnels: [{ neighbor_ip: { address: '169.254.0.9' }, tunnel_interface_ip: { address: '169.254.0.10' } }, {}] },
      headers: { 'if-match': ok.headers.etag as string },
    });
    expect(withMatch.statusCode).toBe(200);
    expect(withMatch.json().tunnels[0].neighbor_ip.address).toBe('169.254.0.9');
    expect(withMatch.json().tunnels[1].neighbor_ip.address).toBe('169.254.0.5');
    expect((await create(policyConnection({ routing_protocol: 'bgp' }))).statusCode).toBe(400);
    // switching back to static drops what only BGP has
    const cur = await t.call('GET', url);
    const back = await t.call('PATCH', url, { body: { routing_protocol: 'none' }, headers: { 'if-match': cur.headers.etag as string } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().routing_protocol).toBe('none');
    expect(back.json().peer.asn).toBeUndefined();
    expect(back.json().tunnels[0].neighbor_ip).toBeUndefined();
    // restricted ASNs are refused for the peer too
    const restricted = await t.call('POST', `/v1/vpn_gateways/${routeGw}/connections`, { body: { ...bgp, peer: { address: '203.0.113.63', asn: 64512 } } });
    expect(restricted.statusCode).toBe(400);
    expect(err(restricted).target?.name).toBe('peer.asn');
  });

  it('route-only fields are refused on a policy gateway even with harmless values', async () => {
    const token = await t.account('routeonly'); // a gateway of its own: the shared one is near its connection quota
    const g = (await makeGateway(t, { token })).gateway.id;
    for (const extra of [{ routing_protocol: 'none' }, { tunnels: [] }, { distribute_traffic: false }]) {
      const r = await t.call('POST', `/v1/vpn_gateways/${g}/connections`, { token, body: policyConnection(extra) });
      expect(r.statusCode, JSON.stringify(extra)).toBe(400);
      expect(err(r).code).toBe('mode_mismatch');
    }
    const c = (await t.call('POST', `/v1/vpn_gateways/${g}/connections`, { token, body: policyConnection() })).json();
    const p = await t.call('PATCH', `/v1/vpn_gateways/${g}/connections/${c.id}`, { token, body: { distribute_traffic: false } });
    expect(err(p).code).toBe('mode_mismatch');
  });

  it('enum errors list every allowed value; hrefs must point at this server; 202 has no body', async () => {
    const e = await create(policyConnection({ establish_mode: 'sometimes' }));
    expect(err(e).message).toContain('"bidirectional", "peer_only"');
    const foreign = await create(policyConnection({ ike_policy: { href: 'http://evil.example/v1/ike_policies/00000000-0000-4000-8000-000000000000' } }));
    expect(foreign.statusCode).toBe(400);
    expect(err(foreign).target?.name).toBe('ike_policy.href');
    const token = await t.account('nobody');
    const g = (await makeGateway(t, { token })).gateway.id;
    const c = (await t.call('POST', `/v1/vpn_gateways/${g}/connections`, { token, body: policyConnection() })).json();
    const del = await t.call('DELETE', `/v1/vpn_gateways/${g}/connections/${c.id}`, { token });
    expect(del.statusCode).toBe(202);
    expect(del.body).toBe('');
  });

  it('names are unique per gateway; the connection quota is 10 per gateway', async () => {
    const g = (await makeGateway(t, { cidr: '10.60.0.0/24' })).gateway.id;
    const post = (i: number, name?: string) =>
      t.call('POST', `/v1/vpn_gateways/${g}/connections`, {
        body: policyConnection({
          ...(name ? { name } : {}),
          local: { cidrs: ['10.60.0.0/24'] },
          peer: { address: `203.0.113.${100 + i}`, cidrs: [`192.168.${i}.0/24`] },
        }),
      });
    expect((await post(0, 'same')).statusCode).toBe(201);
    const dup = await post(1, 'same');
    expect(dup.statusCode).toBe(400);
    for (let i = 1; i < 10; i++) expect((await post(i)).statusCode).toBe(201);
    const over = await post(10);
    expect(over.statusCode).toBe(400);
    expect(err(over).code).toBe('over_quota');
  });

  it('a connection using weak algorithms says so in status_reasons', async () => {
    const weak = (
      await t.call('POST', '/v1/ike_policies', { body: { ike_version: 2, authentication_algorithm: 'md5', encryption_algorithm: 'aes128', dh_group: 5 } })
    ).json();
    const c = await create(policyConnection({ name: 'c-weak', ike_policy: { id: weak.id } }));
    const reasons = c.json().status_reasons as { code: string; message: string }[];
    const w = reasons.find((x) => x.code === 'weak_algorithm_in_use');
    expect(w?.message).toMatch(/md5/);
    expect(w?.message).toMatch(/DH group 5/);
    const plain = (await create(policyConnection({ name: 'c-strong' }))).json();
    expect(plain.status_reasons.map((x: { code: string }) => x.code)).not.toContain('weak_algorithm_in_use');
  });

  it('delete answers 202, the connection goes through deleting, then is gone', async () => {
    const c = (await create(policyConnection({ name: 'c-del' }))).json();
    const url = `${base()}/${c.id}`;
    expect((await t.call('DELETE', url)).statusCode).toBe(202);
    // The server finishes the delete 250 ms later; on a loaded machine that can pass between two
    // calls, so a 404 is only accepted once the connection is gone.
    const during = await t.call('GET', url);
    const patch = await t.call('PATCH', url, { body: { name: 'x' } });
    const after = await t.call('GET', url);
    if (during.statusCode === 200) expect(during.json().lifecycle_state).toBe('deleting');
    else expect(during.statusCode).toBe(404);
    if (after.statusCode === 200) expect(patch.statusCode).toBe(409);
    else expect([404, 409]).toContain(patch.statusCode);
    await expect.poll(async () => (await t.call('GET', url)).statusCode, { timeout: 5000 }).toBe(404);
  });

  it('lists are paginated with first/next/limit/total_count and filter by status', async () => {
    const token = await t.account('pager'); // the admin already has 3 gateways in the zone, the quota
    const g = (await makeGateway(t, { cidr: '10.70.0.0/24', token })).gateway.id;
    for (let i = 0; i < 5; i++) {
      await t.call('POST', `/v1/vpn_gateways/${g}/connections`, {
        token,
        body: policyConnection({ local: { cidrs: ['10.70.0.0/24'] }, peer: { address: `203.0.113.${200 + i}`, cidrs: [`192.168.${100 + i}.0/24`] } }),
      });
    }
    const seen: string[] = [];
    let url: string | undefined = `/v1/vpn_gateways/${g}/connections?limit=2&version=2026-06-02`;
    let pages = 0;
    while (url) {
      const page = (await t.call('GET', url, { token })).json() as {
        limit: number;
        total_count: number;
        first: { href: string };
        next?: { href: string };
        connections: { id: string }[];
      };
      expect(page.limit).toBe(2);
      expect(page.total_count).toBe(5);
      expect(page.first.href).toMatch(/limit=2/);
      seen.push(...page.connections.map((c: { id: string }) => c.id));
      url = page.next ? `${new URL(page.next.href).pathname}${new URL(page.next.href).search}&version=2026-06-02` : undefined;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect((await t.call('GET', `/v1/vpn_gateways/${g}/connections?status=up`, { token })).json().total_count).toBe(0);
    expect((await t.call('GET', `/v1/vpn_gateways/${g}/connections?status=sideways`)).statusCode).toBe(400);
  });
});
