import type { Command } from 'commander';
import { ApiError } from './api-client.js';
import { intFlag, outputOptions, resourceAction } from './command-action.js';
import { columns } from './output-format.js';
import { findConnection, findGateway } from './resource-lookup.js';

interface EventPage {
  readonly events: { created_at: string; type: string; message: string; cause?: string }[];
}

/** `vpn-gateway-connection-events GW CONN [--limit N]`: what happened to a tunnel, newest first (a Causeway extension). */
export function eventsCommand(program: Command): void {
  outputOptions(
    program
      .command('vpn-gateway-connection-events')
      .description('List the events of a VPN gateway connection, newest first (a Causeway addition).')
      .argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.')
      .argument('<CONNECTION>', 'ID or name of the VPN connection.')
      .option('--limit <N>', 'How many events to show (1-100, default 50).')
      .option('--vpc <VPC>', 'ID or name of the VPC. It is only required to specify the unique resource by name inside this VPC.'),
  ).action(
    resourceAction<{ limit?: string; vpc?: string }>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const c = await findConnection(api, g.id, args[1]!);
      const page = await api
        .get<EventPage>(`/v1/vpn_gateways/${g.id}/connections/${c.id}/events`, { limit: intFlag('--limit', opts.limit) })
        .catch((e: unknown) => {
          // A server from before the event timeline has no such route (the connection itself was found above).
          if (e instanceof ApiError && e.status === 404 && e.code === 'not_found') {
            throw new ApiError(`This server keeps no connection events (it predates them): ${e.message}`, e.code, e.status);
          }
          throw e;
        });
      out.show(page, () =>
        columns(
          ['Time', 'Type', 'Message', 'Cause'],
          page.events.map((e) => [e.created_at, e.type, e.message, e.cause]),
        ),
      );
    }),
  );
}
