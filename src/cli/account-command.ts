import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../control/index.js';
import { loadSettings } from '../config/settings.js';
import { withControl } from './control-open.js';

/** Options shared by every command that opens the store. */
export function storeOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'data directory (CAUSEWAY_DATA_DIR; default ./var)')
    .option('--db <url>', 'database URL (CAUSEWAY_DB; default sqlite:<data-dir>/causeway.db)');
}

/** `causeway account create NAME`: works while the server runs (SQLite WAL; the key is printed last). */
export function accountCommands(program: Command): void {
  const account = program.command('account').description('manage accounts');
  storeOptions(account.command('create <name>').description('create an ordinary account and print its API key')).action(
    async (name: string, opts: { dataDir?: string; db?: string }) => {
      await withControl(loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env), async (control) => {
        const { account: a, apiKey } = await control.accounts.create(SYSTEM_ACTOR, name);
        process.stdout.write(`Created account ${a.name} (id ${a.id.replace(/-/g, '')}). Its API key, shown only now: ${apiKey}\n`);
      });
    },
  );
  storeOptions(account.command('list').description('list accounts')).action(async (opts: { dataDir?: string; db?: string }) => {
    await withControl(loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env), async (control) => {
      for (const a of await control.accounts.list(SYSTEM_ACTOR)) process.stdout.write(`${a.id.replace(/-/g, '')}  ${a.name}${a.isAdmin ? '  (admin)' : ''}\n`);
    });
  });
}
