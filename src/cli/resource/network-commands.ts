import { Option, type Command } from 'commander';
import { UsageError } from './api-client.js';
import { outputOptions, resourceAction } from './command-action.js';
import { inResourceGroup, resourceGroupOptions, resourceGroupRef } from './gateway-commands.js';
import { findSubnet, findVpc } from './resource-lookup.js';
import { subnetDetail, subnetList, vpcDetail, vpcList } from './resource-views.js';

type J = Record<string, unknown>;
type RgOpts = { resourceGroupId?: string; resourceGroupName?: string };

/** vpcs, vpc, vpc-create, subnets, subnet, subnet-create: what a VPN gateway is made in. */
export function networkCommands(program: Command): void {
  outputOptions(resourceGroupOptions(program.command('vpcs').description('List all VPCs.'))).action(
    resourceAction<RgOpts>(async ({ api, out, opts }) => {
      const vs = inResourceGroup(await api.list<J>('/v1/vpcs', 'vpcs'), opts);
      out.show(vs, () => vpcList(vs));
    }),
  );
  outputOptions(program.command('vpc').description('View details of a VPC.').argument('<VPC>', 'ID or name of the VPC.')).action(
    resourceAction(async ({ api, out, args }) => {
      const v = await findVpc(api, args[0]!);
      out.show(v, () => vpcDetail(v));
    }),
  );
  outputOptions(
    resourceGroupOptions(
      program
        .command('vpc-create')
        .description('Create a VPC.')
        .argument('<VPC_NAME>', 'Name of the VPC.')
        .addOption(
          new Option(
            '--address-prefix-management <mode>',
            'Indicates whether a default address prefix should be created automatically (default: auto).',
          ).choices(['auto', 'manual']),
        ),
    ),
  ).action(
    resourceAction<RgOpts & { addressPrefixManagement?: string }>(async ({ api, out, args, opts }) => {
      const body = {
        name: args[0],
        ...(opts.addressPrefixManagement ? { address_prefix_management: opts.addressPrefixManagement } : {}),
        ...resourceGroupRef(opts),
      };
      const v = (await api.request<J>('POST', '/v1/vpcs', { body })).body;
      out.show(v, () => vpcDetail(v));
    }),
  );

  outputOptions(resourceGroupOptions(program.command('subnets').description('List all subnets.').option('--vpc <VPC>', 'ID or name of the VPC.'))).action(
    resourceAction<RgOpts & { vpc?: string }>(async ({ api, out, opts }) => {
      const vpc = opts.vpc ? (await findVpc(api, opts.vpc)).id : undefined;
      const ns = inResourceGroup(await api.list<J>('/v1/subnets', 'subnets', { 'vpc.id': vpc }), opts);
      out.show(ns, () => subnetList(ns));
    }),
  );
  outputOptions(
    program
      .command('subnet')
      .description('View details of a subnet.')
      .argument('<SUBNET>', 'ID or name of the subnet.')
      .option('--vpc <VPC>', 'ID or name of the VPC. It is only required to specify the unique resource by name inside this VPC.'),
  ).action(
    resourceAction<{ vpc?: string }>(async ({ api, out, args, opts }) => {
      const n = await findSubnet(api, args[0]!, opts.vpc);
      out.show(n, () => subnetDetail(n));
    }),
  );
  outputOptions(
    resourceGroupOptions(
      program
        .command('subnet-create')
        .description('Create a subnet.')
        .argument('<SUBNET_NAME>', 'Name of the subnet.')
        .argument('<VPC>', 'ID or name of the VPC.')
        .option('--ipv4-cidr-block <IPV4_CIDR_BLOCK>', 'The IPv4 range of the subnet. This option is mutually exclusive with --ipv4-address-count.')
        .option('--ipv4-address-count <ADDRESS_COUNT>', 'The total number of IPv4 addresses required (not supported: give --ipv4-cidr-block).')
        .option('--zone <ZONE_NAME>', 'Name of the zone (default: the region\u2019s first).'),
    ),
  ).action(
    resourceAction<RgOpts & { ipv4CidrBlock?: string; ipv4AddressCount?: string; zone?: string }>(async ({ api, out, args, opts }) => {
      if (!opts.ipv4CidrBlock) {
        throw new UsageError(
          opts.ipv4AddressCount
            ? '--ipv4-address-count is not supported (Causeway has no address prefixes to carve from); give --ipv4-cidr-block'
            : '--ipv4-cidr-block is required',
        );
      }
      const vpc = await findVpc(api, args[1]!);
      const body = {
        name: args[0],
        vpc: { id: vpc.id },
        ipv4_cidr_block: opts.ipv4CidrBlock,
        ...(opts.zone ? { zone: { name: opts.zone } } : {}),
        ...resourceGroupRef(opts),
      };
      const n = (await api.request<J>('POST', '/v1/subnets', { body })).body;
      out.show(n, () => subnetDetail(n));
    }),
  );
}
