import { Option, type Command } from 'commander';
import { ApiError, UsageError, type ApiClient } from './api-client.js';
import { confirmed, intFlag, outputOptions, resourceAction } from './command-action.js';
import { findConnection, findGateway, findVpc, looksLikeId, type Named } from './resource-lookup.js';
import { routeDetail, routeList, routingTableDetail, routingTableList } from './routing-table-views.js';

type J = Record<string, unknown>;
const ACTIONS = ['delegate_vpc', 'delegate', 'deliver', 'drop'];
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const tablesPath = (vpc: string): string => `/v1/vpcs/${vpc}/routing_tables`;

/** A routing table of a VPC, by id or name. */
async function findTable(api: ApiClient, vpcId: string, ref: string): Promise<Named> {
  if (looksLikeId(ref)) return api.get<Named>(`${tablesPath(vpcId)}/${ref}`);
  const found = (await api.list<Named>(tablesPath(vpcId), 'routing_tables')).filter((t) => t.name === ref);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new ApiError(`Routing table '${ref}' was not found.`, 'routing_table_not_found', 404);
  throw new UsageError(`${found.length} routing tables are named '${ref}'; give its id`);
}

async function findRoute(api: ApiClient, path: string, ref: string): Promise<Named> {
  if (looksLikeId(ref)) return api.get<Named>(`${path}/${ref}`);
  const found = (await api.list<Named>(path, 'routes')).filter((r) => r.name === ref);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new ApiError(`Route '${ref}' was not found.`, 'route_not_found', 404);
  throw new UsageError(`${found.length} routes are named '${ref}'; give its id`);
}

/** `--next-hop`: an IP address, or a VPN connection by id (or by name with `--vpngw`). */
async function nextHop(api: ApiClient, hop: string, vpngw: string | undefined): Promise<J> {
  if (IPV4.test(hop)) return { address: hop };
  if (vpngw) return { id: (await findConnection(api, (await findGateway(api, vpngw)).id, hop)).id };
  if (looksLikeId(hop)) return { id: hop };
  throw new UsageError(`--next-hop: '${hop}' is neither an IP address nor a VPN connection id; give a connection name with --vpngw`);
}

/** The table and its path, from the VPC and ROUTING_TABLE arguments. */
async function tableOf(api: ApiClient, vpcRef: string, tableRef: string): Promise<{ table: Named; path: string }> {
  const vpc = await findVpc(api, vpcRef);
  const table = await findTable(api, vpc.id, tableRef);
  return { table, path: `${tablesPath(vpc.id)}/${table.id}` };
}

type RouteOpts = { zone?: string; destination?: string; action?: string; priority?: string; nextHop?: string; vpngw?: string; name?: string };

/** vpc-routing-table* and vpc-routing-table-route*: ibmcloud's commands for VPC routing tables and their routes. */
export function routingTableCommands(program: Command): void {
  outputOptions(program.command('vpc-routing-tables').description('List all routing tables of a VPC.').argument('<VPC>', 'ID or name of the VPC.')).action(
    resourceAction(async ({ api, out, args }) => {
      const vpc = await findVpc(api, args[0]!);
      const ts = await api.list<J>(tablesPath(vpc.id), 'routing_tables');
      out.show(ts, () => routingTableList(ts));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table')
      .description('View details of a VPC routing table.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE>', 'ID or name of the VPC routing table.'),
  ).action(
    resourceAction(async ({ api, out, args }) => {
      const { table } = await tableOf(api, args[0]!, args[1]!);
      out.show(table, () => routingTableDetail(table));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table-create')
      .description('Create a VPC routing table.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .option('--name <NAME>', 'Name of the VPC routing table.'),
  ).action(
    resourceAction<{ name?: string }>(async ({ api, out, args, opts }) => {
      const vpc = await findVpc(api, args[0]!);
      const t = (await api.request<J>('POST', tablesPath(vpc.id), { body: opts.name ? { name: opts.name } : {} })).body;
      out.show(t, () => routingTableDetail(t));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table-update')
      .description('Update a VPC routing table.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE>', 'ID or name of the VPC routing table.')
      .option('--name <NEW_NAME>', 'New name of the VPC routing table.'),
  ).action(
    resourceAction<{ name?: string }>(async ({ api, out, args, opts }) => {
      const { path } = await tableOf(api, args[0]!, args[1]!);
      const t = (await api.request<J>('PATCH', path, { body: opts.name ? { name: opts.name } : {} })).body;
      out.show(t, () => routingTableDetail(t));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table-delete')
      .description('Delete one or more VPC routing tables.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE...>', 'ID or name of the VPC routing table (one or more).')
      .option('-f, --force', 'Force the operation without confirmation.'),
  ).action(
    resourceAction<{ force?: boolean }>(async ({ api, out, args, opts }) => {
      const vpc = await findVpc(api, args[0]!);
      const ts = [];
      for (const ref of args.slice(1)) ts.push(await findTable(api, vpc.id, ref));
      if (!(await confirmed(`This will delete routing table ${ts.map((t) => t.name).join(', ')}. Continue?`, opts.force))) {
        throw new Error('Delete cancelled (answer y, or use -f).');
      }
      for (const t of ts) {
        await api.request('DELETE', `${tablesPath(vpc.id)}/${t.id}`);
        out.say(`Routing table ${t.name} (${t.id}) is deleted.`);
      }
      out.show(
        ts.map((t) => ({ id: t.id, name: t.name, deleted: true })),
        () => '',
      );
    }),
  );

  outputOptions(
    program
      .command('vpc-routing-table-routes')
      .description('List all the routes of a VPC routing table.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE>', 'ID or name of the VPC routing table.'),
  ).action(
    resourceAction(async ({ api, out, args }) => {
      const { path } = await tableOf(api, args[0]!, args[1]!);
      const rs = await api.list<J>(`${path}/routes`, 'routes');
      out.show(rs, () => routeList(rs));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table-route')
      .description('View details of a VPC route.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE>', 'ID or name of the VPC routing table.')
      .argument('<ROUTE>', 'ID or name of the VPC route.'),
  ).action(
    resourceAction(async ({ api, out, args }) => {
      const { path } = await tableOf(api, args[0]!, args[1]!);
      const r = await findRoute(api, `${path}/routes`, args[2]!);
      out.show(r, () => routeDetail(r));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table-route-create')
      .description('Create a VPC route.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE>', 'ID or name of the VPC routing table.')
      .requiredOption('--zone <ZONE_NAME>', 'Name of the zone.')
      .requiredOption('--destination <DESTINATION_CIDR>', 'The destination CIDR of the route.')
      .addOption(new Option('--action <ACTION>', 'The action to perform with a packet matching the route (default: deliver).').choices(ACTIONS))
      .option('--priority <PRIORITY>', 'The route priority: 0 to 4, smaller is higher (default: 2).')
      .option('--next-hop <NEXT_HOP>', 'If the action is deliver: the IP address or the VPN connection ID of the next hop.')
      .option('--vpngw <VPNGW>', 'ID or name of the VPN gateway, to give --next-hop as a connection name.')
      .option('--name <NAME>', 'Name of the VPC route.'),
  ).action(
    resourceAction<RouteOpts>(async ({ api, out, args, opts }) => {
      const { path } = await tableOf(api, args[0]!, args[1]!);
      const priority = intFlag('--priority', opts.priority);
      const body = {
        zone: { name: opts.zone },
        destination: opts.destination,
        ...(opts.action ? { action: opts.action } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(opts.nextHop ? { next_hop: await nextHop(api, opts.nextHop, opts.vpngw) } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      };
      const r = (await api.request<J>('POST', `${path}/routes`, { body })).body;
      out.show(r, () => routeDetail(r));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table-route-update')
      .description('Update a VPC route.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE>', 'ID or name of the VPC routing table.')
      .argument('<ROUTE>', 'ID or name of the VPC route.')
      .option('--name <NEW_NAME>', 'New name of the VPC route.')
      .option('--priority <PRIORITY>', 'The route priority: 0 to 4, smaller is higher.')
      .option('--next-hop <NEXT_HOP>', 'The IP address or the VPN connection ID of the next hop.')
      .option('--vpngw <VPNGW>', 'ID or name of the VPN gateway, to give --next-hop as a connection name.'),
  ).action(
    resourceAction<RouteOpts>(async ({ api, out, args, opts }) => {
      const { path } = await tableOf(api, args[0]!, args[1]!);
      const route = await findRoute(api, `${path}/routes`, args[2]!);
      const priority = intFlag('--priority', opts.priority);
      const body = {
        ...(opts.name ? { name: opts.name } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(opts.nextHop ? { next_hop: await nextHop(api, opts.nextHop, opts.vpngw) } : {}),
      };
      const r = (await api.request<J>('PATCH', `${path}/routes/${route.id}`, { body })).body;
      out.show(r, () => routeDetail(r));
    }),
  );
  outputOptions(
    program
      .command('vpc-routing-table-route-delete')
      .description('Delete one or more VPC routes.')
      .argument('<VPC>', 'ID or name of the VPC.')
      .argument('<ROUTING_TABLE>', 'ID or name of the VPC routing table.')
      .argument('<ROUTE...>', 'ID or name of the VPC route (one or more).')
      .option('-f, --force', 'Force the operation without confirmation.'),
  ).action(
    resourceAction<{ force?: boolean }>(async ({ api, out, args, opts }) => {
      const { path } = await tableOf(api, args[0]!, args[1]!);
      const rs = [];
      for (const ref of args.slice(2)) rs.push(await findRoute(api, `${path}/routes`, ref));
      if (!(await confirmed(`This will delete route ${rs.map((r) => r.name).join(', ')}. Continue?`, opts.force))) {
        throw new Error('Delete cancelled (answer y, or use -f).');
      }
      for (const r of rs) {
        await api.request('DELETE', `${path}/routes/${r.id}`);
        out.say(`Route ${r.name} (${r.id}) is deleted.`);
      }
      out.show(
        rs.map((r) => ({ id: r.id, name: r.name, deleted: true })),
        () => '',
      );
    }),
  );
}
