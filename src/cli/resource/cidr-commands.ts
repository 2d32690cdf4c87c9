import type { Command } from 'commander';
import { UsageError, type ApiClient } from './api-client.js';
import { confirmed, outputOptions, resourceAction } from './command-action.js';
import { findConnection, findGateway } from './resource-lookup.js';
import { columns } from './output-format.js';

const HELP = {
  gateway: 'The ID of the VPN gateway.',
  connection: 'The ID or name of the VPN connection.',
  prefix: 'The prefix address part of the CIDR.',
  length: 'The prefix length part of the CIDR.',
  vpc: 'The ID or name of the VPC. This field is only required to specify the unique resource by its name inside this VPC.',
  output: 'The output in JSON format.',
  quiet: 'Suppresses verbose output.',
};

/** PREFIX_ADDRESS PREFIX_LENGTH as the syntax says, or one CIDR as seed 001's example writes it. */
function cidrOf(prefix: string, length: string): { prefix: string; length: string } {
  if (prefix.includes('/')) {
    if (length) throw new UsageError(`give either PREFIX_ADDRESS PREFIX_LENGTH or one CIDR, not '${prefix}' and '${length}'`);
    const [p, l] = prefix.split('/') as [string, string];
    return { prefix: p, length: l };
  }
  if (!length) throw new UsageError(`PREFIX_LENGTH is missing after '${prefix}' (or write the CIDR as ${prefix}/N)`);
  return { prefix, length };
}

/** vpn-gateway-connection-{local,peer}-cidr-add, -cidr-delete and -cidrs (policy-mode gateways). */
export function cidrCommands(program: Command): void {
  for (const side of ['local', 'peer'] as const) {
    const base = `vpn-gateway-connection-${side}-cidr`;
    const target = (cmd: Command) => cmd.argument('<VPN_GATEWAY>', HELP.gateway).argument('<CONNECTION>', HELP.connection);
    const cidrArgs = (cmd: Command) =>
      target(cmd)
        .argument('<PREFIX_ADDRESS>', `${HELP.prefix} (or the whole CIDR, e.g. 10.0.0.0/24)`)
        .argument('[PREFIX_LENGTH]', HELP.length)
        .option('--vpc <VPC>', HELP.vpc);
    type O = { vpc?: string; force?: boolean };
    const resolve = async (api: ApiClient, args: string[], opts: O) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const c = await findConnection(api, g.id, args[1]!);
      return { g, c, path: `/v1/vpn_gateways/${g.id}/connections/${c.id}/${side}/cidrs` };
    };

    outputOptions(cidrArgs(program.command(`${base}-add`).description(`Add a ${side} CIDR to a VPN gateway connection.`)), HELP).action(
      resourceAction<O>(async ({ api, out, args, opts }) => {
        const { c, path } = await resolve(api, args, opts);
        const { prefix, length } = cidrOf(args[2]!, args[3]!);
        const r = await api.request('PUT', `${path}/${encodeURIComponent(prefix)}/${encodeURIComponent(length)}`);
        const cidr = `${prefix}/${length}`;
        out.show(
          { cidr },
          () => `${side === 'local' ? 'Local' : 'Peer'} CIDR ${cidr} ${r.status === 201 ? 'is added to' : 'was already on'} connection ${c.name}.`,
        );
      }),
    );

    outputOptions(
      cidrArgs(program.command(`${base}-delete`).description(`Remove a ${side} CIDR from a VPN gateway connection.`)).option(
        '-f, --force',
        'Force the operation without confirmation.',
      ),
      HELP,
    ).action(
      resourceAction<O>(async ({ api, out, args, opts }) => {
        const { c, path } = await resolve(api, args, opts);
        const { prefix, length } = cidrOf(args[2]!, args[3]!);
        const cidr = `${prefix}/${length}`;
        if (!(await confirmed(`This will remove ${side} CIDR ${cidr} from connection ${c.name}. Continue?`, opts.force))) {
          throw new Error('Delete cancelled (answer y, or use -f).');
        }
        await api.request('DELETE', `${path}/${encodeURIComponent(prefix)}/${encodeURIComponent(length)}`);
        out.show({ cidr, deleted: true }, () => `${side === 'local' ? 'Local' : 'Peer'} CIDR ${cidr} is removed from connection ${c.name}.`);
      }),
    );

    outputOptions(
      target(program.command(`${base}s`).description(`List the ${side} CIDRs of a VPN gateway connection.`)).option('--vpc <VPC>', HELP.vpc),
      HELP,
    ).action(
      resourceAction<O>(async ({ api, out, args, opts }) => {
        const { path } = await resolve(api, args, opts);
        const r = await api.get<{ cidrs: string[] }>(path);
        out.show(r, () =>
          columns(
            [`${side === 'local' ? 'Local' : 'Peer'} CIDRs`],
            r.cidrs.map((x) => [x]),
          ),
        );
      }),
    );
  }
}
