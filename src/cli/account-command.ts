import type { Command } from 'commander';
import { Clock } from '../control/clock.js';
import { createAccount } from '../control/create-account.js';
import { loadSettings } from '../config/settings.js';
import { openStore } from '../store/store-open.js';

/** Options shared by every command that opens the store. */
export function storeOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'data directory (CAUSEWAY_DATA_DIR; default ./var)')
    .option('--db <url>', 'database URL (CAUSEWAY_DB; default sqlite:<data-dir>/causeway.db)');
}

/** `causeway account create NAME`: works while the server runs (SQLite WAL; the key is printed last). */
export function accountCommands(program: Command): void {
  const account = program.command('account').description('manage accounts');
  storeOptions(account.command('create <name>').description('create an ordinary account and print its API key'))
    .action(async (name: string, opts: { dataDir?: string; db?: string }) => {
      const settings = loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env);
      const store = await openStore(settings.db);
      try {
        const { account: a, apiKey } = await createAccount(store.db, new Clock(), name);
        process.stdout.write(`Created account ${a.name} (id ${a.id.replace(/-/g, '')}). Its API key, shown only now: ${apiKey}\n`);
      } finally {
        await store.close();
      }
    });
  storeOptions(account.command('list').description('list accounts'))
    .action(async (opts: { dataDir?: string; db?: string }) => {
      const settings = loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env);
      const store = await openStore(settings.db);
      try {
        const rows = await store.db.selectFrom('accounts').select(['id', 'name', 'is_admin']).orderBy('created_at').execute();
        for (const r of rows) process.stdout.write(`${r.id.replace(/-/g, '')}  ${r.name}${r.is_admin ? '  (admin)' : ''}\n`);
      } finally {
        await store.close();
      }
    });
}
