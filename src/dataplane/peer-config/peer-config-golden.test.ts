import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connection, gateway, ikePolicy, ipsecPolicy, routeGateway } from '../../../test/domain-fixtures.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import { desiredConnection } from '../../domain/desired-connection.js';
import { DomainError } from '../../domain/errors.js';
import { PEER_CONFIG_FORMATS, type PeerConfigFormat } from '../../domain/peer-config-formats.js';
import { pskBase64 } from '../strongswan/peer-config.js';
import { renderPeerConfig } from './peer-config-renderer.js';

/**
 * Golden files: every format of three representative connections, compared with the files under
 * golden/ (`UPDATE_GOLDEN=1 npx vitest run src/dataplane/peer-config` rewrites them; review the diff
 * against the vendor documentation cited in each renderer). swanctl and libreswan are also proven
 * against running peers (test/lab/site-connections.test.ts, test/lab/libreswan-peer.test.ts).
 */
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');

const CASES: Record<string, DesiredConnection> = {
  // Policy mode, auto-negotiation, several CIDRs on each side, the gateway known by FQDN.
  'policy-cidrs': desiredConnection(
    gateway(),
    connection({
      localCidrs: ['10.1.0.0/24', '10.1.1.0/24'],
      peerCidrs: ['10.2.0.0/24', '10.3.0.0/24'],
      localIdentities: [{ type: 'fqdn', value: 'gw.example.com' }],
      psk: 'sesame-open-42',
    }),
    undefined,
    undefined,
  ),
  // IKEv1 main mode with PFS, two peer CIDRs (one CHILD per pair).
  ikev1: desiredConnection(
    gateway(),
    connection({ peerCidrs: ['10.2.0.0/24', '10.3.0.0/24'], ikePolicyId: 'ike-1', ipsecPolicyId: 'ipsec-1', psk: 'v1-secret-key' }),
    ikePolicy({ ikeVersion: 1, encryption: ['aes128'], integrity: ['sha256'], dhGroups: [14] }),
    ipsecPolicy({ encryption: ['aes128'], integrity: ['sha256'], pfs: [14] }),
  ),
  // Route-based (two tunnels), IKEv2 with DH 20 and ESP AES-GCM with PFS group 14.
  'gcm-pfs-route': desiredConnection(
    routeGateway(),
    connection({ kind: 'route_static', localCidrs: [], peerCidrs: [], ikePolicyId: 'ike-1', ipsecPolicyId: 'ipsec-1', psk: 'gcm-secret-key' }),
    ikePolicy({ ikeVersion: 2, encryption: ['aes256'], integrity: ['sha384'], dhGroups: [20] }),
    ipsecPolicy({ encryption: ['aes256gcm16'], integrity: [], pfs: [14] }),
  ),
};

describe('peer configuration golden files', () => {
  it.each(Object.keys(CASES).flatMap((c) => PEER_CONFIG_FORMATS.map((f) => [c, f] as const)))('%s as %s matches its golden file', (name, format) => {
    const text = renderPeerConfig(CASES[name]!, format);
    const file = join(GOLDEN, `${name}.${format}.txt`);
    if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, text);
    }
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it.each(PEER_CONFIG_FORMATS)('%s: the PSK is in the file (for its owner) and nowhere else', (format) => {
    const d = CASES['ikev1']!;
    const text = renderPeerConfig(d, format);
    expect(text.includes(d.psk) || text.includes(pskBase64(d.psk))).toBe(true);
  });
});

describe('what a vendor cannot spell is a 400, not a wrong file', () => {
  const withEsp = (encryption: string[], integrity: string[] = []): DesiredConnection =>
    desiredConnection(
      gateway(),
      connection({ ipsecPolicyId: 'ipsec-1' }),
      undefined,
      ipsecPolicy({ encryption: encryption as never, integrity: integrity as never }),
    );
  const error = (d: DesiredConnection, format: PeerConfigFormat): DomainError => {
    try {
      renderPeerConfig(d, format);
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
    throw new Error(`${format} rendered`);
  };

  it.each([
    ['cisco-ios', ['aes128ccm16'], /Cisco IOS cannot express the ESP encryption algorithm 'aes128ccm16'/],
    ['juniper-srx', ['aes256ctr'], /Juniper SRX cannot express the ESP encryption algorithm 'aes256ctr'/],
    ['fortigate', ['aes192gcm16'], /FortiGate cannot express the ESP encryption algorithm 'aes192gcm16'/],
    ['paloalto', ['aes128gcm8'], /Palo Alto PAN-OS cannot express the ESP encryption algorithm 'aes128gcm8'/],
    ['pfsense', ['aes256ccm16'], /pfSense cannot express the ESP encryption algorithm 'aes256ccm16'/],
  ] as const)('%s refuses ESP %j with algorithm_combination on the format parameter', (format, enc, message) => {
    const e = error(withEsp([...enc], enc[0].endsWith('ctr') ? ['sha256'] : []), format);
    expect([e.code, e.kind, e.target]).toEqual(['algorithm_combination', 'invalid', { type: 'parameter', name: 'format', value: format }]);
    expect(e.message).toMatch(message);
  });

  it('libreswan refuses an IKE policy whose only DH group it lacks (22)', () => {
    const d = desiredConnection(gateway(), connection({ ikePolicyId: 'ike-1' }), ikePolicy({ dhGroups: [22] }), undefined);
    expect(error(d, 'libreswan').message).toMatch(/libreswan cannot express the Diffie-Hellman group 22/);
  });

  it('an auto-negotiation set keeps what the vendor can spell (libreswan has no DH 22-24)', () => {
    const text = renderPeerConfig(CASES['policy-cidrs']!, 'libreswan');
    expect(text).toMatch(/ike=aes128\+aes192\+aes256-sha2_256\+sha2_384\+sha2_512;dh14\+dh15\+dh16\+dh17\+dh18\+dh19\+dh20\+dh21\+dh31\n/);
    expect(text).not.toMatch(/dh22|dh23|dh24/);
  });

  it('a PSK a CLI line cannot carry is refused by the CLI formats, kept by swanctl and libreswan', () => {
    const d = desiredConnection(gateway(), connection({ psk: 'two words "quoted"' }), undefined, undefined);
    expect(error(d, 'cisco-ios').code).toBe('invalid_value');
    expect(renderPeerConfig(d, 'libreswan')).toContain(pskBase64('two words "quoted"'));
    expect(renderPeerConfig(d, 'pfsense')).toContain('two words &quot;quoted&quot;');
  });
});
