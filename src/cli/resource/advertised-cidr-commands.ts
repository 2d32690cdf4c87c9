import type { Command } from 'commander';
import { UsageError } from './api-client.js';
import { confirmed, outputOptions, resourceAction } from './command-action.js';
import { VPC_HELP } from './gateway-commands.js';
import { columns, keyValues } from './output-format.js';
import { findGateway } from './resource-lookup.js';

type J = Record<string, unknown>;
const GATEWAY_HELP = 'ID or name of the VPN gateway.';
const CIDR_HELP = 'The IPv4 CIDR advertised to the remote VPN peer, e.g. 10.45.0.0/26.';

/**
 * The CIDR of an advertised-CIDR command: IBM's examples write it as `--cidr` on the check and the
 * add and as a positional argument on the delete; each command takes either form.
 */
function cidrOf(positional: string, flag: string | undefined): string {
  if (positional && flag !== undefined && positional !== flag) throw new UsageError(`give the CIDR once: '${positional}' or --cidr '${flag}'`);
  const cidr = positional || flag;
  if (!cidr) throw new UsageError('a CIDR is required (e.g. --cidr 10.45.0.0/26)');
  return cidr;
}

/** The API path of one advertised CIDR: the CIDR is one path segment, so its `/` is encoded. */
const cidrPath = (gatewayId: string, cidr: string): string => `/v1/vpn_gateways/${gatewayId}/advertised_cidrs/${encodeURIComponent(cidr)}`;

/** vpn-gateway-advertised-cidrs, -cidr, -cidr-add and -cidr-delete (route-mode gateways). */
export function advertisedCidrCommands(program: Command): void {
  type O = { vpc?: string; cidr?: string; force?: boolean };
  const target = (name: string, description: string) =>
    program.command(name).description(description).argument('<VPN_GATEWAY>', GATEWAY_HELP).option('--vpc <VPC>', VPC_HELP);
  const withCidr = (cmd: Command) => cmd.argument('[CIDR]', CIDR_HELP).option('--cidr <CIDR>', CIDR_HELP);

  outputOptions(target('vpn-gateway-advertised-cidrs', 'List the advertised CIDRs of a route-mode VPN gateway.')).action(
    resourceAction<O>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const r = await api.get<{ advertised_cidrs: string[] }>(`/v1/vpn_gateways/${g.id}/advertised_cidrs`);
      out.show(r, () =>
        columns(
          ['Advertised CIDRs'],
          r.advertised_cidrs.map((x) => [x]),
        ),
      );
    }),
  );

  outputOptions(withCidr(target('vpn-gateway-advertised-cidr', 'Check that a VPN gateway advertises a CIDR (exit 1 if it does not).'))).action(
    resourceAction<O>(async ({ api, out, args, opts }) => {
      const cidr = cidrOf(args[1]!, opts.cidr);
      const g = await findGateway(api, args[0]!, opts.vpc);
      await api.request('GET', cidrPath(g.id, cidr));
      out.show({ cidr, advertised: true }, () => `CIDR ${cidr} is advertised by VPN gateway ${g.name}.`);
    }),
  );

  outputOptions(withCidr(target('vpn-gateway-advertised-cidr-add', 'Add an advertised CIDR to a route-mode VPN gateway.'))).action(
    resourceAction<O>(async ({ api, out, args, opts }) => {
      const cidr = cidrOf(args[1]!, opts.cidr);
      const g = await findGateway(api, args[0]!, opts.vpc);
      const r = await api.request('PUT', cidrPath(g.id, cidr));
      out.show({ cidr }, () => `CIDR ${cidr} ${r.status === 201 ? 'is added to' : 'was already advertised by'} VPN gateway ${g.name}.`);
    }),
  );

  outputOptions(
    withCidr(target('vpn-gateway-advertised-cidr-delete', 'Remove an advertised CIDR from a VPN gateway.')).option(
      '-f, --force',
      'Force the operation without confirmation.',
    ),
  ).action(
    resourceAction<O>(async ({ api, out, args, opts }) => {
      const cidr = cidrOf(args[1]!, opts.cidr);
      const g = await findGateway(api, args[0]!, opts.vpc);
      if (!(await confirmed(`This will remove advertised CIDR ${cidr} from VPN gateway ${g.name}. Continue?`, opts.force))) {
        throw new Error('Delete cancelled (answer y, or use -f).');
      }
      await api.request('DELETE', cidrPath(g.id, cidr));
      out.show({ cidr, deleted: true }, () => `Advertised CIDR ${cidr} is removed from VPN gateway ${g.name}.`);
    }),
  );
}

const s = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/** vpn-gateway-service-connections and -service-connection: made by transit gateways, so a Causeway server lists none. */
export function serviceConnectionCommands(program: Command): void {
  outputOptions(
    program
      .command('vpn-gateway-service-connections')
      .description('List the service connections of a VPN gateway.')
      .argument('<VPN_GATEWAY>', GATEWAY_HELP)
      .option('--vpc <VPC>', VPC_HELP),
  ).action(
    resourceAction<{ vpc?: string }>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const cs = await api.list<J>(`/v1/vpn_gateways/${g.id}/service_connections`, 'service_connections');
      out.show(cs, () =>
        columns(
          ['ID', 'Status', 'Lifecycle state', 'Created'],
          cs.map((c) => [s(c['id']), s(c['status']), s(c['lifecycle_state']), s(c['created_at'])]),
        ),
      );
    }),
  );

  outputOptions(
    program
      .command('vpn-gateway-service-connection')
      .description('View details of a service connection of a VPN gateway.')
      .argument('<VPN_GATEWAY>', GATEWAY_HELP)
      .requiredOption('--service-connection-id <ID>', 'ID of the VPN gateway service connection.')
      .option('--vpc <VPC>', VPC_HELP),
  ).action(
    resourceAction<{ vpc?: string; serviceConnectionId: string }>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const c = await api.get<J>(`/v1/vpn_gateways/${g.id}/service_connections/${encodeURIComponent(opts.serviceConnectionId)}`);
      out.show(c, () =>
        keyValues([
          ['ID', s(c['id'])],
          ['Status', s(c['status'])],
          ['Lifecycle state', s(c['lifecycle_state'])],
          ['Created', s(c['created_at'])],
        ]),
      );
    }),
  );
}
