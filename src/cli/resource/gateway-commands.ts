import { Option, type Command } from 'commander';
import { UsageError } from './api-client.js';
import { confirmed, intFlag, outputOptions, resourceAction } from './command-action.js';
import { findGateway, findSubnet } from './resource-lookup.js';
import { connectionList, gatewayDetail, gatewayList } from './resource-views.js';
import { waitFailed, waitForGateway } from './status-wait.js';

type J = Record<string, unknown>;
export const VPC_HELP = 'ID or name of the VPC. It is only required to specify the unique resource by name inside this VPC.';
const LOCAL_ASN_HELP = 'Identifies your local network for BGP peering (route mode; the API default is 64520).';
const ADVERTISED_HELP = 'IPv4 network range to advertise the address to the remote VPN peer (route mode; repeat the flag or separate CIDRs with commas).';
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `--resource-group-id` / `--resource-group-name`: a list filter (by the resource_group the API shows). */
export function resourceGroupOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--resource-group-id <id>', 'ID of the resource group. This option is mutually exclusive with --resource-group-name.').conflicts(
        'resourceGroupName',
      ),
    )
    .option('--resource-group-name <name>', 'Name of the resource group. This option is mutually exclusive with --resource-group-id.');
}

/** Keeps the items of the resource group the flags name (ids compared without dashes). */
export function inResourceGroup(items: J[], o: { resourceGroupId?: string; resourceGroupName?: string }): J[] {
  const rg = (x: J) => (x['resource_group'] ?? {}) as { id?: string; name?: string };
  const norm = (id: string | undefined) => (id ?? '').replace(/-/g, '').toLowerCase();
  return items.filter(
    (x) =>
      (o.resourceGroupId === undefined || norm(rg(x).id) === norm(o.resourceGroupId)) &&
      (o.resourceGroupName === undefined || rg(x).name === o.resourceGroupName),
  );
}

/** A create names its resource group by id; Causeway has no resource group listing to look a name up in. */
export function resourceGroupRef(o: { resourceGroupId?: string; resourceGroupName?: string }): { resource_group?: { id: string } } {
  if (o.resourceGroupName !== undefined)
    throw new UsageError('--resource-group-name is not supported on create (Causeway lists no resource groups); use --resource-group-id');
  return o.resourceGroupId ? { resource_group: { id: o.resourceGroupId } } : {};
}

export function gatewayCommands(program: Command): void {
  type ListOpts = { resourceGroupId?: string; resourceGroupName?: string; mode?: string };
  outputOptions(
    resourceGroupOptions(program.command('vpn-gateways').description('List all VPN gateways.')).addOption(
      new Option('--mode <mode>', 'Filter by the mode of the VPN gateway.').choices(['route', 'policy']),
    ),
  ).action(
    resourceAction<ListOpts>(async ({ api, out, opts }) => {
      const gs = inResourceGroup(await api.list<J>('/v1/vpn_gateways', 'vpn_gateways', { mode: opts.mode }), opts);
      out.show(gs, () => gatewayList(gs));
    }),
  );

  outputOptions(program.command('vpn-gateway').description('View details of a VPN gateway.').argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.'))
    .option('--vpc <VPC>', VPC_HELP)
    .action(
      resourceAction<{ vpc?: string }>(async ({ api, out, args, opts }) => {
        const g = await findGateway(api, args[0]!, opts.vpc);
        out.show(g, () => gatewayDetail(g));
      }),
    );

  type CreateOpts = ListOpts & { vpc?: string; wait?: boolean; waitTimeout?: string; localAsn?: string; advertisedCidrs?: string[] };
  outputOptions(
    resourceGroupOptions(
      program
        .command('vpn-gateway-create')
        .description('Create a VPN gateway.')
        .argument('<VPN_GATEWAY_NAME>', 'Name of the VPN gateway.')
        .argument('<SUBNET>', 'ID or name of the subnet.')
        .option('--vpc <VPC>', VPC_HELP)
        .addOption(new Option('--mode <mode>', 'The mode of the VPN gateway: route or policy (default: route).').choices(['route', 'policy']))
        .option('--advertised-cidrs <CIDRS>', ADVERTISED_HELP, collect)
        .option('--local-asn <ASN>', LOCAL_ASN_HELP),
    ),
  )
    .option('--wait', 'Wait until the VPN gateway is available (a Causeway addition).')
    .option('--wait-timeout <seconds>', 'How long --wait waits (default: 300).')
    .action(
      resourceAction<CreateOpts>(async ({ api, out, args, opts }) => {
        const timeout = intFlag('--wait-timeout', opts.waitTimeout) ?? 300;
        const subnet = await findSubnet(api, args[1]!, opts.vpc);
        const asn = intFlag('--local-asn', opts.localAsn);
        const body = {
          name: args[0],
          subnet: { id: subnet.id },
          mode: opts.mode ?? 'route',
          ...(asn !== undefined ? { local_asn: asn } : {}),
          ...(opts.advertisedCidrs ? { advertised_cidrs: opts.advertisedCidrs.flatMap((x) => x.split(',')).map((x) => x.trim()) } : {}),
          ...resourceGroupRef(opts),
        };
        let g = (await api.request<J>('POST', '/v1/vpn_gateways', { body })).body;
        if (opts.wait) {
          const r = await waitForGateway(api, `/v1/vpn_gateways/${String(g['id'])}`, timeout, out.quiet);
          g = r.resource;
          if (!r.ok) throw waitFailed(`VPN gateway ${String(g['name'])}`, r.why);
        }
        out.show(g, () => gatewayDetail(g));
      }),
    );

  outputOptions(
    program
      .command('vpn-gateway-update')
      .description('Update a VPN gateway.')
      .argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.')
      .option('--vpc <VPC>', VPC_HELP)
      .option('--name <NEW_NAME>', 'New name of the VPN gateway.')
      .option('--local-asn <ASN>', LOCAL_ASN_HELP),
  ).action(
    resourceAction<{ vpc?: string; name?: string; localAsn?: string }>(async ({ api, out, args, opts }) => {
      const asn = intFlag('--local-asn', opts.localAsn);
      const g0 = await findGateway(api, args[0]!, opts.vpc);
      const body = { ...(opts.name !== undefined ? { name: opts.name } : {}), ...(asn !== undefined ? { local_asn: asn } : {}) };
      const g = (await api.request<J>('PATCH', `/v1/vpn_gateways/${g0.id}`, { body })).body;
      out.show(g, () => gatewayDetail(g));
    }),
  );

  outputOptions(
    program
      .command('vpn-gateway-delete')
      .description('Delete one or more VPN gateways.')
      .argument('<VPN_GATEWAY...>', 'ID or name of the VPN gateway (one or more).')
      .option('--vpc <VPC>', VPC_HELP)
      .option('-f, --force', 'Force the operation without confirmation.'),
  ).action(
    resourceAction<{ vpc?: string; force?: boolean }>(async ({ api, out, args, opts }) => {
      const gs = [];
      for (const ref of args) gs.push(await findGateway(api, ref, opts.vpc));
      if (!(await confirmed(`This will delete VPN gateway ${gs.map((g) => g.name).join(', ')} and its connections. Continue?`, opts.force))) {
        throw new Error('Delete cancelled (answer y, or use -f).');
      }
      for (const g of gs) {
        await api.request('DELETE', `/v1/vpn_gateways/${g.id}`);
        out.say(`VPN gateway ${g.name} (${g.id}) is being deleted.`);
      }
      out.show(
        gs.map((g) => ({ id: g.id, name: g.name, deleted: true })),
        () => '',
      );
    }),
  );

  outputOptions(
    program
      .command('vpn-gateway-connections')
      .description('List all connections of a VPN gateway.')
      .argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.')
      .option('--vpc <VPC>', VPC_HELP)
      .addOption(new Option('--status <status>', 'Filter by the status of the connections.').choices(['up', 'down'])),
  ).action(
    resourceAction<{ vpc?: string; status?: string }>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const cs = await api.list<J>(`/v1/vpn_gateways/${g.id}/connections`, 'connections', { status: opts.status });
      out.show(cs, () => connectionList(cs));
    }),
  );
}
