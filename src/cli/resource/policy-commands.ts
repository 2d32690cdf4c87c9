import type { Command } from 'commander';
import { confirmed, intFlag, outputOptions, resourceAction } from './command-action.js';
import { inResourceGroup, resourceGroupOptions, resourceGroupRef } from './gateway-commands.js';
import { findIkePolicy, findIpsecPolicy, type Named } from './resource-lookup.js';
import { connectionList, policyDetail, policyList } from './resource-views.js';
import type { ApiClient } from './api-client.js';

type J = Record<string, unknown>;
/** `sha256` or `sha256,sha384` (a Causeway addition: IBM's API takes lists; the first is preferred). */
const list = (v: string): string[] => v.split(',').map((x) => x.trim());
const ints = (flag: string, v: string): number[] => list(v).map((x) => intFlag(flag, x)!);

interface Kind {
  readonly cli: 'ike-policy' | 'ipsec-policy';
  readonly label: string;
  readonly path: string;
  readonly key: string;
  readonly find: (api: ApiClient, ref: string) => Promise<Named>;
}
const IKE: Kind = { cli: 'ike-policy', label: 'IKE policy', path: '/v1/ike_policies', key: 'ike_policies', find: findIkePolicy };
const IPSEC: Kind = { cli: 'ipsec-policy', label: 'IPsec policy', path: '/v1/ipsec_policies', key: 'ipsec_policies', find: findIpsecPolicy };

/** The list, show, delete and connections commands both policies share. */
function commonCommands(program: Command, k: Kind): void {
  const ARG = k.cli === 'ike-policy' ? '<IKE_POLICY>' : '<IPSEC_POLICY>';
  outputOptions(
    resourceGroupOptions(program.command(k.cli.replace('policy', 'policies')).description(`List all ${k.label.replace('policy', 'policies')}.`)),
  ).action(
    resourceAction<{ resourceGroupId?: string; resourceGroupName?: string }>(async ({ api, out, opts }) => {
      const ps = inResourceGroup(await api.list<J>(k.path, k.key), opts);
      out.show(ps, () => policyList(ps));
    }),
  );
  outputOptions(program.command(k.cli).description(`View details of an ${k.label}.`).argument(ARG, `ID or name of the ${k.label}.`)).action(
    resourceAction(async ({ api, out, args }) => {
      const p = await k.find(api, args[0]!);
      out.show(p, () => policyDetail(p));
    }),
  );
  outputOptions(
    program
      .command(`${k.cli}-delete`)
      .description(`Delete one or more ${k.label.replace('policy', 'policies')}.`)
      .argument(`${ARG.slice(0, -1)}...>`, `ID or name of the ${k.label} (one or more).`)
      .option('-f, --force', 'Force the operation without confirmation.'),
  ).action(
    resourceAction<{ force?: boolean }>(async ({ api, out, args, opts }) => {
      const ps = [];
      for (const ref of args) ps.push(await k.find(api, ref));
      if (!(await confirmed(`This will delete ${k.label} ${ps.map((p) => p.name).join(', ')}. Continue?`, opts.force))) {
        throw new Error('Delete cancelled (answer y, or use -f).');
      }
      for (const p of ps) {
        await api.request('DELETE', `${k.path}/${p.id}`);
        out.say(`${k.label} ${p.name} (${p.id}) is deleted.`);
      }
      out.show(
        ps.map((p) => ({ id: p.id, name: p.name, deleted: true })),
        () => '',
      );
    }),
  );
  outputOptions(
    program.command(`${k.cli}-connections`).description(`List all connections that use the ${k.label}.`).argument(ARG, `ID or name of the ${k.label}.`),
  ).action(
    resourceAction(async ({ api, out, args }) => {
      const p = await k.find(api, args[0]!);
      const cs = await api.list<J>(`${k.path}/${p.id}/connections`, 'connections');
      out.show(cs, () => connectionList(cs));
    }),
  );
}

type CreateOpts = { keyLifetime?: string; resourceGroupId?: string; resourceGroupName?: string };
type UpdateOpts = {
  name?: string;
  authenticationAlgorithm?: string;
  encryptionAlgorithm?: string;
  dhGroup?: string;
  ikeVersion?: string;
  pfs?: string;
  keyLifetime?: string;
};

const AUTH_HELP =
  'The authentication algorithm: md5, sha1, sha256, sha384, sha512 (IKE), or disabled (IPsec, with a GCM cipher); a comma-separated list for several.';
const ENC_HELP =
  'The encryption algorithm: aes128, aes192, aes256, triple_des (and aes128gcm16, aes192gcm16, aes256gcm16 for IPsec); a comma-separated list for several.';

export function policyCommands(program: Command): void {
  commonCommands(program, IKE);
  commonCommands(program, IPSEC);
  const show = (out: { show(d: unknown, r: () => string): void }, p: J) => out.show(p, () => policyDetail(p));
  const lifetime = (v?: string) => (v === undefined ? {} : { key_lifetime: intFlag('--key-lifetime', v) });

  outputOptions(
    resourceGroupOptions(
      program
        .command('ike-policy-create')
        .description('Create an IKE policy.')
        .argument('<IKE_POLICY_NAME>', 'Name of the IKE policy.')
        .argument('<AUTHENTICATION_ALGORITHM>', AUTH_HELP)
        .argument('<DH_GROUP>', 'The Diffie-Hellman group: 2, 5, 14-24 or 31; a comma-separated list for several.')
        .argument('<ENCRYPTION_ALGORITHM>', ENC_HELP)
        .argument('<IKE_VERSION>', 'The IKE protocol version: 1 or 2.')
        .option('--key-lifetime <KEY_LIFETIME>', 'The key lifetime in seconds. Maximum: 86400, Minimum: 1800 (default: 28800).'),
    ),
  ).action(
    resourceAction<CreateOpts>(async ({ api, out, args, opts }) => {
      const [name, auth, dh, enc, version] = args as [string, string, string, string, string];
      const body = {
        name,
        authentication_algorithms: list(auth),
        dh_groups: ints('DH_GROUP', dh),
        encryption_algorithms: list(enc),
        ike_version: intFlag('IKE_VERSION', version),
        ...lifetime(opts.keyLifetime),
        ...resourceGroupRef(opts),
      };
      show(out, (await api.request<J>('POST', IKE.path, { body })).body);
    }),
  );

  outputOptions(
    resourceGroupOptions(
      program
        .command('ipsec-policy-create')
        .description('Create an IPsec policy.')
        .argument('<IPSEC_POLICY_NAME>', 'Name of the IPsec policy.')
        .argument('<AUTHENTICATION_ALGORITHM>', AUTH_HELP)
        .argument('<ENCRYPTION_ALGORITHM>', ENC_HELP)
        .argument('<PFS>', 'Perfect Forward Secrecy: disabled, group_2, group_5, group_14-24 or group_31; a comma-separated list for several.')
        .option('--key-lifetime <KEY_LIFETIME>', 'The key lifetime in seconds. Maximum: 86400, Minimum: 300 (default: 3600).'),
    ),
  ).action(
    resourceAction<CreateOpts>(async ({ api, out, args, opts }) => {
      const [name, auth, enc, pfs] = args as [string, string, string, string];
      const body = {
        name,
        authentication_algorithms: list(auth),
        encryption_algorithms: list(enc),
        pfs_groups: list(pfs),
        ...lifetime(opts.keyLifetime),
        ...resourceGroupRef(opts),
      };
      show(out, (await api.request<J>('POST', IPSEC.path, { body })).body);
    }),
  );

  for (const k of [IKE, IPSEC]) {
    const ike = k === IKE;
    let cmd = program
      .command(`${k.cli}-update`)
      .description(`Update an ${k.label}.`)
      .argument(ike ? '<IKE_POLICY>' : '<IPSEC_POLICY>', `ID or name of the ${k.label}.`)
      .option('--name <NEW_NAME>', `New name of the ${k.label}.`)
      .option('--authentication-algorithm <ALGORITHM>', AUTH_HELP)
      .option('--encryption-algorithm <ALGORITHM>', ENC_HELP);
    cmd = ike
      ? cmd
          .option('--dh-group <DH_GROUP>', 'The Diffie-Hellman group; a comma-separated list for several.')
          .option('--ike-version <1|2>', 'The IKE protocol version.')
      : cmd.option('--pfs <PFS>', 'Perfect Forward Secrecy; a comma-separated list for several.');
    outputOptions(cmd.option('--key-lifetime <KEY_LIFETIME>', 'The key lifetime in seconds.')).action(
      resourceAction<UpdateOpts>(async ({ api, out, args, opts }) => {
        const p = await k.find(api, args[0]!);
        const body = {
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.authenticationAlgorithm ? { authentication_algorithms: list(opts.authenticationAlgorithm) } : {}),
          ...(opts.encryptionAlgorithm ? { encryption_algorithms: list(opts.encryptionAlgorithm) } : {}),
          ...(opts.dhGroup ? { dh_groups: ints('--dh-group', opts.dhGroup) } : {}),
          ...(opts.ikeVersion ? { ike_version: intFlag('--ike-version', opts.ikeVersion) } : {}),
          ...(opts.pfs ? { pfs_groups: list(opts.pfs) } : {}),
          ...lifetime(opts.keyLifetime),
        };
        show(out, (await api.request<J>('PATCH', `${k.path}/${p.id}`, { body })).body);
      }),
    );
  }
}
