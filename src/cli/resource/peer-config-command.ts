import type { Command } from 'commander';
import { PEER_CONFIG_FILE_EXTENSIONS } from '../../domain/peer-config-formats.js';
import { writePrivateFile } from './profile-store.js';
import { outputOptions, resourceAction } from './command-action.js';
import { findConnection, findGateway } from './resource-lookup.js';

/** File name extensions of the formats the server renders; any other format (a newer server's) is passed through as .txt. */
const EXT: Readonly<Record<string, string>> = PEER_CONFIG_FILE_EXTENSIONS;

/** `vpn-gateway-connection-peer-config GW CONN --format F [--file F]`: the peer's configuration, written to a file (0600: it holds the PSK). */
export function peerConfigCommand(program: Command): void {
  outputOptions(
    program
      .command('vpn-gateway-connection-peer-config')
      .description('Download the configuration the peer device needs for a connection (a Causeway addition) and write it to a file.')
      .argument('<VPN_GATEWAY>', 'ID or name of the VPN gateway.')
      .argument('<CONNECTION>', 'ID or name of the VPN connection.')
      .requiredOption('--format <FORMAT>', `The peer's configuration format: ${Object.keys(EXT).join(', ')}.`)
      .option('--file <FILE>', 'Where to write it (default: <connection name>.<ext>; - for standard output).')
      .option('--vpc <VPC>', 'ID or name of the VPC. It is only required to specify the unique resource by name inside this VPC.'),
  ).action(
    resourceAction<{ format: string; file?: string; vpc?: string }>(async ({ api, out, args, opts }) => {
      const g = await findGateway(api, args[0]!, opts.vpc);
      const c = await findConnection(api, g.id, args[1]!);
      const path = `/v1/vpn_gateways/${g.id}/connections/${c.id}/peer_config`;
      const text = (await api.request<string>('GET', path, { query: { format: opts.format }, text: true })).body;
      if (opts.file === '-') {
        process.stdout.write(text);
        return;
      }
      const file = opts.file ?? `${c.name}.${EXT[opts.format] ?? 'txt'}`;
      writePrivateFile(file, text);
      out.show(
        { file, format: opts.format, connection: { id: c.id, name: c.name } },
        () => `Wrote the ${opts.format} configuration of connection ${c.name} to ${file}`,
      );
    }),
  );
}
