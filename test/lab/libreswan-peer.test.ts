import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../../src/dataplane/lab/lab-site.js';
import { pidAlive } from '../../src/dataplane/lab/lab-state.js';
import { splitFiles } from '../../src/dataplane/peer-config/libreswan-peer-config.js';
import { ViciClient } from '../../src/dataplane/vici/index.js';
import { parseCidr } from '../../src/domain/cidr.js';
import type { TestServer } from '../harness.js';
import { gatewayDir, labInternet, labRuns, listSas, startLab, stopLab, vpcGateway, type LabGateway } from './lab-fixture.js';
import { checkWithLibreswan, ensureLibreswan, type Pluto, startPluto } from './libreswan-peer.js';

/**
 * `peer_config?format=libreswan` against a real libreswan: each case is a gateway and a lab site whose
 * charon is replaced by Debian's pluto (unpacked, never installed: see libreswan-peer.ts) loaded with
 * the rendered ipsec.conf and ipsec.secrets. This kernel has no ESP, so pluto negotiates but cannot
 * install its SAs: the proof is what the gateway's charon lists (`list-sas`): the IKE_SA and CHILD_SA
 * negotiated with the expected algorithms and traffic selectors.
 */
type Case = {
  name: string;
  ike: Record<string, unknown>;
  ipsec: Record<string, unknown>;
  want: { version: string; ike: string; esp: RegExp; plutoEsp?: RegExp };
};
const CASES: Case[] = [
  {
    name: 'IKEv2 with PFS (esp=aes256-sha2_256;dh14)',
    ike: { ike_version: 2, encryption_algorithm: 'aes256', authentication_algorithm: 'sha256', dh_group: 14 },
    ipsec: { encryption_algorithm: 'aes256', authentication_algorithm: 'sha256', pfs: 'group_14' },
    // IKEv2's first CHILD_SA takes its keys from IKE_AUTH (no DH): pluto's own ESP proposal shows the PFS group.
    want: {
      version: '2',
      ike: 'AES_CBC 256 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 MODP_2048',
      esp: /^AES_CBC 256 HMAC_SHA2_256_128 *$/,
      plutoEsp: /AES_CBC_256-HMAC_SHA2_256_128-MODP2048/,
    },
  },
  {
    name: 'IKEv2 with AES-GCM (esp=aes_gcm256)',
    ike: { ike_version: 2, encryption_algorithm: 'aes256', authentication_algorithm: 'sha384', dh_group: 20 },
    ipsec: { encryption_algorithm: 'aes256gcm16', authentication_algorithm: 'disabled', pfs: 'disabled' },
    want: { version: '2', ike: 'AES_CBC 256 HMAC_SHA2_384_192 PRF_HMAC_SHA2_384 ECP_384', esp: /^AES_GCM_16 256 *$/ },
  },
  {
    name: 'IKEv1 main mode (ikev1-policy=accept)',
    ike: { ike_version: 1, encryption_algorithm: 'aes128', authentication_algorithm: 'sha256', dh_group: 14 },
    ipsec: { encryption_algorithm: 'aes128', authentication_algorithm: 'sha256', pfs: 'group_14' },
    // The gateway's Quick Mode answer: charon logs the ESP proposal it selected from pluto's offer.
    want: {
      version: '1',
      ike: 'AES_CBC 128 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 MODP_2048',
      esp: /selected proposal: ESP:AES_CBC_128\/HMAC_SHA2_256_128\/MODP_2048\/NO_EXT_SEQ/,
    },
  },
];

type Updown = { ike: Record<string, unknown>; child: Record<string, unknown> };
const childrenOf = (sa: Record<string, unknown>): Record<string, unknown>[] =>
  Object.values((sa['child-sas'] ?? {}) as Record<string, Record<string, unknown>>);
const fields = (v: Record<string, unknown>, keys: string[]): string => keys.map((k) => (typeof v[k] === 'string' ? v[k] : '')).join(' ');
const ikeAlgs = (v: Record<string, unknown>): string => fields(v, ['encr-alg', 'encr-keysize', 'integ-alg', 'prf-alg', 'dh-group']);
const espAlgs = (c: Record<string, unknown>): string => fields(c, ['encr-alg', 'encr-keysize', 'integ-alg', 'dh-group']);

describe.skipIf(!labRuns)('lab: the libreswan peer configuration against a running pluto', () => {
  let t: TestServer;
  let version = '';
  const runs: { gw: LabGateway; site: string; connId: string; lan: string; pluto?: Pluto; text: string; ups: Updown[]; vici: ViciClient }[] = [];

  /** The gateway's IKE_SA of the connection as `list-sas` shows it. */
  const ikeSa = async (i: number): Promise<Record<string, unknown> | undefined> => {
    for (const sa of await listSas(t, runs[i]!.gw)) if (sa.value['state'] === 'ESTABLISHED' && sa.value['remote-host'] === runs[i]!.site) return sa.value;
    return undefined;
  };

  beforeAll(async () => {
    version = await ensureLibreswan();
    t = await startLab('lsw');
    const { settings } = t.server.control;
    const sites = parseCidr('203.0.113.0/24');
    if (!sites.ok) throw new Error('site pool');
    for (const [i, c] of CASES.entries()) {
      const gw = await vpcGateway(t, `10.${70 + i}.0.0/24`, `lsw${i}`);
      const lan = `192.168.${70 + i}.0/24`;
      const site = await createSite(join(t.dataDir, 'lab'), `lsw${i}`, lan, {
        gateways: settings.publicPool,
        sites: sites.cidr,
        internetNs: labInternet('lsw'),
      });
      // pluto takes the place of the site's charon (which createSite started: stopped by its PID).
      if (site.charonPid && pidAlive(site.charonPid)) process.kill(site.charonPid, 'SIGTERM');
      const ike = (await t.call('POST', '/v1/ike_policies', { body: { name: `ike-lsw${i}`, ...c.ike } })).json();
      const ipsec = (await t.call('POST', '/v1/ipsec_policies', { body: { name: `esp-lsw${i}`, ...c.ipsec } })).json();
      // IKEv2: the gateway only answers, so pluto starts the IKE_SA and its CHILD_SA in IKE_AUTH, which the
      // gateway installs (pluto cannot); IKEv1: both start, and the gateway answers pluto's Quick Mode.
      const establish = c.want.version === '2' ? { establish_mode: 'peer_only' } : {};
      const r = await t.call('POST', `/v1/vpn_gateways/${gw.id}/connections`, {
        body: {
          ...establish,
          name: `lsw${i}`,
          psk: `lsw-secret-${i}`,
          local: { cidrs: [gw.cidr] },
          peer: { address: site.publicIp, cidrs: [lan] },
          ike_policy: { id: ike.id },
          ipsec_policy: { id: ipsec.id },
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      const pc = await t.call('GET', `/v1/vpn_gateways/${gw.id}/connections/${r.json().id}/peer_config?format=libreswan`);
      expect(pc.statusCode, pc.body).toBe(200);
      expect(pc.headers['content-type']).toMatch(/^text\/plain/);
      // The gateway's child-updown events: the CHILD_SA it installs, with the same fields as list-sas.
      const vici = new ViciClient({ socketPath: join(gatewayDir(t, gw), 'charon.vici') });
      await vici.connect(10_000);
      const ups: Updown[] = [];
      void (async () => {
        for await (const e of vici.subscribe(['child-updown'])) {
          if (e.message['up'] !== 'yes') continue;
          for (const [k, sa] of Object.entries(e.message))
            if (k !== 'up') for (const child of childrenOf(sa as Record<string, unknown>)) ups.push({ ike: sa as Record<string, unknown>, child });
        }
      })().catch(() => undefined);
      runs.push({ gw, site: site.publicIp!, connId: r.json().id, lan, text: pc.body, ups, vici });
      while (pidAlive(site.charonPid)) await new Promise((res) => setTimeout(res, 50));
      const files = splitFiles(pc.body);
      runs[i]!.pluto = await startPluto(site.ns, files.get('/etc/ipsec.conf')!, files.get('/etc/ipsec.secrets')!);
    }
  }, 120_000);

  afterAll(async () => {
    for (const r of runs) {
      if (process.env['LAB_DEBUG'] && r.pluto) console.log(`==== pluto ${r.connId}\n${r.pluto.log().slice(-6000)}`);
      await r.pluto?.stop();
      r.vici.close();
    }
    await stopLab(t);
  }, 60_000);

  it("every libreswan golden file passes libreswan's own addconn --checkconfig and algparse", async () => {
    const dir = 'src/dataplane/peer-config/golden';
    const files = readdirSync(dir).filter((f) => f.endsWith('.libreswan.txt'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect([f, await checkWithLibreswan(splitFiles(readFileSync(join(dir, f), 'utf8')).get('/etc/ipsec.conf')!)]).toEqual([f, '']);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))(
    '%s: the gateway negotiates the IKE_SA and CHILD_SA with pluto',
    async (_name, i) => {
      const want = CASES[i]!.want;
      const r = runs[i]!;
      expect(version).toMatch(/^Libreswan \d+\.\d+/);
      await expect.poll(() => ikeSa(i).then(Boolean), { timeout: 30_000, interval: 250 }).toBe(true);
      const ike = (await ikeSa(i))!;
      expect(ike['version']).toBe(want.version);
      expect(ikeAlgs(ike)).toBe(want.ike);
      if (want.version === '2') {
        const mine = (): Updown | undefined => r.ups.find((u) => String(u.child['name']).startsWith(`cw-${r.connId}-`));
        await expect.poll(() => Boolean(mine()), { timeout: 30_000, interval: 250 }).toBe(true);
        const { ike: upIke, child } = mine()!;
        console.log(
          `${CASES[i]!.name}, ${version}: gateway IKE_SA ${ikeAlgs(ike)}; CHILD_SA ${espAlgs(child)} ${String(child['local-ts'])} <-> ${String(child['remote-ts'])}`,
        );
        expect(ikeAlgs(upIke)).toBe(want.ike);
        expect(espAlgs(child)).toMatch(want.esp);
        expect([child['local-ts'], child['remote-ts']]).toEqual([[r.gw.cidr], [r.lan]]);
      } else {
        const log = join(gatewayDir(t, r.gw), 'charon.log');
        await expect.poll(() => readFileSync(log, 'utf8'), { timeout: 30_000, interval: 250 }).toMatch(want.esp);
        // The selectors of pluto's Quick Mode, as pluto logged them (IKEv1 children carry one pair).
        await expect.poll(() => r.pluto!.log(), { timeout: 10_000 }).toContain(`us: ${r.lan}===${r.site}  them: ${ike['local-host'] as string}===${r.gw.cidr}`);
        console.log(`${CASES[i]!.name}, ${version}: gateway IKE_SA ${ikeAlgs(ike)}; ${want.esp.exec(readFileSync(log, 'utf8'))![0]}`);
      }
      if (want.plutoEsp) {
        const status = await r.pluto!.whack(['--status']);
        expect(status).toMatch(want.plutoEsp);
        console.log(`${CASES[i]!.name}: pluto's ESP proposal ${want.plutoEsp.exec(status)![0]}`);
      }
    },
    60_000,
  );
});
