import type { Command } from 'commander';
import { advertisedCidrCommands, serviceConnectionCommands } from './advertised-cidr-commands.js';
import { cidrCommands } from './cidr-commands.js';
import { completionCommand } from './completion-bash.js';
import { connectionCommands } from './connection-commands.js';
import { eventsCommand } from './events-command.js';
import { gatewayCommands } from './gateway-commands.js';
import { loginCommands } from './login-command.js';
import { networkCommands } from './network-commands.js';
import { peerConfigCommand } from './peer-config-command.js';
import { policyCommands } from './policy-commands.js';
import { routingTableCommands } from './routing-table-commands.js';

/**
 * The resource CLI: `ibmcloud is` commands one for one, talking to a Causeway server over HTTP only
 * (never to its database or control plane; test/guards/layers.test.ts checks the imports).
 */
export function resourceCommands(program: Command): void {
  loginCommands(program);
  networkCommands(program);
  gatewayCommands(program);
  advertisedCidrCommands(program);
  serviceConnectionCommands(program);
  connectionCommands(program);
  cidrCommands(program);
  policyCommands(program);
  routingTableCommands(program);
  peerConfigCommand(program);
  eventsCommand(program);
  completionCommand(program);
}
