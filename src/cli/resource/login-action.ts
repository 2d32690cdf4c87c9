import type { Command } from 'commander';
import { report } from './command-action.js';

/** An action that needs no profile (login, logout, completion): the options, errors reported like the others. */
export function resourceActionWithoutLogin<O extends Record<string, unknown> = Record<string, unknown>>(
  body: (opts: O, cmd: Command) => Promise<void>,
): (...raw: unknown[]) => Promise<void> {
  return async (...raw: unknown[]) => {
    try {
      const cmd = raw[raw.length - 1] as Command;
      await body(cmd.opts<O>(), cmd);
    } catch (e) {
      report(e);
    }
  };
}
