import type { Command } from 'commander';
import type { ApiClient } from './api-client.js';
import type { Output } from './output-format.js';
import { confirmed, intFlag, outputOptions, resourceAction } from './command-action.js';
import { cidrFlagOptions, connectionFields, connectionFlagOptions, peerEndpoint, SEED_HELP, type ConnectionFlags } from './connection-flags.js';
import { findConnection, findGateway } from './resource-lookup.js';
import { connectionDetail } from './resource-views.js';
import { waitFailed, waitForConnection } from './status-wait.js';

type J = Record<string, unknown>;
const seedOutput = { output: SEED_HELP.output, quiet: SEED_HELP.quiet };

/** `--wait`: the connection once up; else it is shown as it ended and the command fails with the reasons. */
async function waitUp(api: ApiClient, path: string, timeout: number, out: Output): Promise<J> {
  const r = await waitForConnection(api, path, timeout, out.quiet);
  if (r.ok) return r.resource;
  out.show(r.resource, () => connectionDetail(r.resource));
  throw waitFailed(`Connection ${String(r.resource['name'])}`, r.why);
}

export function connectionCommands(program: Command): void {
  outputOptions(
    program
      .command('vpn-gateway-connection')
      .description('View details of a VPN gateway connection.')
      .argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.')
      .argument('<CONNECTION>', 'ID or name of the VPN connection.')
      .option('--vpc <VPC>', SEED_HELP.vpc)
      .option('--wait', "Wait until the connection's status is up, or down with its status reasons (a Causeway addition).")
      .option('--wait-timeout <seconds>', 'How long --wait waits (default: 120).'),
  ).action(
    resourceAction<{ vpc?: string; wait?: boolean; waitTimeout?: string }>(async ({ api, out, args, opts }) => {
      const timeout = intFlag('--wait-timeout', opts.waitTimeout) ?? 120;
      const g = await findGateway(api, args[0]!, opts.vpc);
      const found = await findConnection(api, g.id, args[1]!);
      const c: J = opts.wait ? await waitUp(api, `/v1/vpn_gateways/${g.id}/connections/${found.id}`, timeout, out) : found;
      out.show(c, () => connectionDetail(c));
    }),
  );

  type CreateOpts = ConnectionFlags & { wait?: boolean; waitTimeout?: string };
  outputOptions(
    cidrFlagOptions(
      connectionFlagOptions(
        program
          .command('vpn-gateway-connection-create')
          .description('Create a VPN gateway connection.')
          .argument('<CONNECTION_NAME>', 'The name of the connection.')
          .argument('<VPN_GATEWAY>', 'The ID of the VPN gateway.')
          .argument('<PEER>', 'The IP address or FQDN of the peer VPN gateway.')
          .argument('<PRESHARED_KEY>', 'The preshared key.'),
      ),
    ),
    seedOutput,
  )
    .option('--wait', "Wait until the connection's status is up, or down with its status reasons (a Causeway addition).")
    .option('--wait-timeout <seconds>', 'How long --wait waits (default: 120).')
    .action(
      resourceAction<CreateOpts>(async ({ api, out, args, opts }) => {
        const [name, gwRef, peer, psk] = args as [string, string, string, string];
        const timeout = intFlag('--wait-timeout', opts.waitTimeout) ?? 120;
        const g = await findGateway(api, gwRef, opts.vpc);
        const fields = await connectionFields(api, opts);
        const body = { ...fields, name, psk, peer: { ...peerEndpoint(peer), ...((fields['peer'] as J | undefined) ?? {}) } };
        let c = (await api.request<J>('POST', `/v1/vpn_gateways/${g.id}/connections`, { body })).body;
        if (opts.wait) c = await waitUp(api, `/v1/vpn_gateways/${g.id}/connections/${String(c['id'])}`, timeout, out);
        out.show(c, () => connectionDetail(c));
      }),
    );

  outputOptions(
    connectionFlagOptions(
      program
        .command('vpn-gateway-connection-update')
        .description('Update a VPN gateway connection.')
        .argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.')
        .argument('<CONNECTION>', 'ID or name of the VPN connection.'),
    )
      .option('--peer-address <ADDRESS>', 'The IP address of the peer VPN gateway.')
      .option('--peer-fqdn <FQDN>', 'The FQDN of the peer VPN gateway.')
      .option('--psk <PSK>', 'The preshared key.')
      .option('--name <NEW_NAME>', 'New name of the VPN connection.')
      .option('--reset-ike-policy', 'Remove the IKE policy from the connection (auto-negotiation).')
      .option('--reset-ipsec-policy', 'Remove the IPsec policy from the connection (auto-negotiation).'),
    seedOutput,
  ).action(
    resourceAction<ConnectionFlags>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const c0 = await findConnection(api, g.id, args[1]!);
      const path = `/v1/vpn_gateways/${g.id}/connections/${c0.id}`;
      const etag = (await api.request('GET', path)).headers.get('etag');
      const body = await connectionFields(api, opts);
      const c = (await api.request<J>('PATCH', path, { body, headers: etag ? { 'if-match': etag } : {} })).body;
      out.show(c, () => connectionDetail(c));
    }),
  );

  outputOptions(
    program
      .command('vpn-gateway-connection-delete')
      .description('Delete one or more VPN gateway connections.')
      .argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.')
      .argument('<CONNECTION...>', 'ID or name of the VPN connection (one or more).')
      .option('--vpc <VPC>', SEED_HELP.vpc)
      .option('-f, --force', 'Force the operation without confirmation.'),
  ).action(
    resourceAction<{ vpc?: string; force?: boolean }>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const cs = [];
      for (const ref of args.slice(1)) cs.push(await findConnection(api, g.id, ref));
      if (!(await confirmed(`This will delete connection ${cs.map((c) => c.name).join(', ')} of VPN gateway ${g.name}. Continue?`, opts.force))) {
        throw new Error('Delete cancelled (answer y, or use -f).');
      }
      for (const c of cs) {
        await api.request('DELETE', `/v1/vpn_gateways/${g.id}/connections/${c.id}`);
        out.say(`Connection ${c.name} (${c.id}) is being deleted.`);
      }
      out.show(
        cs.map((c) => ({ id: c.id, name: c.name, deleted: true })),
        () => '',
      );
    }),
  );
}
