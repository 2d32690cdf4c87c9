import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../control/index.js';
import { loadSettings } from '../config/settings.js';
import { toHex32 } from '../domain/ids.js';
import { storeOptions } from './account-command.js';
import { withControl } from './control-open.js';

interface StoreFlags {
  dataDir?: string;
  db?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * `causeway user create --account A --name U --password P [--admin]` and `causeway user list`: Keystone
 * users (OpenStack CLI, tempest). A user's project is its account; the admin role makes it a cloud
 * administrator. The password is stored as an scrypt hash and never printed.
 */
export function userCommands(program: Command, fail: (message: string) => never): void {
  const user = program.command('user').description('manage Keystone users (OpenStack clients sign in with these)');
  storeOptions(
    user
      .command('create')
      .description('create a Keystone user of an account')
      .requiredOption('--account <name>', 'the account (Keystone project) the user belongs to')
      .requiredOption('--name <name>', 'user name (unique)')
      .option('--password <password>', 'the password')
      .option('--password-stdin', 'read the password from standard input (keeps it out of the process list)')
      .option('--admin', 'give the user the admin role: it may act on every account'),
  ).action(async (opts: StoreFlags & { account: string; name: string; password?: string; passwordStdin?: boolean; admin?: boolean }) => {
    if ((opts.password === undefined) === (opts.passwordStdin !== true)) throw new Error('give exactly one of --password or --password-stdin');
    const password = opts.password ?? (await readStdin());
    await withControl(loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env), async (control) => {
      const { user: u, account } = await control.users.create(SYSTEM_ACTOR, {
        accountName: opts.account,
        name: opts.name,
        password,
        isAdmin: opts.admin === true,
      });
      process.stdout.write(
        `Created user ${u.name} (id ${toHex32(u.id)}) in account ${account.name} (project id ${toHex32(account.id)}), role ${u.isAdmin ? 'admin' : 'member'}.\n`,
      );
    });
  });
  storeOptions(user.command('list').description('list Keystone users').option('--account <name>', 'only the users of this account')).action(
    async (opts: StoreFlags & { account?: string }) => {
      await withControl(loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env), async (control) => {
        for (const { user: u, accountName } of await control.users.list(SYSTEM_ACTOR, opts.account)) {
          process.stdout.write(`${toHex32(u.id)}  ${u.name}  account ${accountName}  ${u.isAdmin ? 'admin' : 'member'}\n`);
        }
      });
    },
  );
  // Huawei AK/SK credentials (the SDKs sign with them by default): the SK is printed once, at creation.
  const keys = user.command('access-key').description("manage a user's Huawei access keys (AK/SK, for signed requests)");
  storeOptions(
    keys.command('create').description('create an access key and print its AK and SK (the SK is shown only now)').requiredOption('--user <name>', 'the user'),
  ).action(async (opts: StoreFlags & { user: string }) => {
    await withControl(loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env), async (control) => {
      const { key, secret, user: u } = await control.accessKeys.create(SYSTEM_ACTOR, { name: opts.user });
      process.stdout.write(`Created access key for user ${u.name}. The secret key is shown only now.\nAK ${key.accessKey}\nSK ${secret}\n`);
    });
  });
  storeOptions(keys.command('list').description('list access keys (AKs only, never the secrets)').option('--user <name>', 'only the keys of this user')).action(
    async (opts: StoreFlags & { user?: string }) => {
      await withControl(loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env), async (control) => {
        const names = new Map((await control.users.all(SYSTEM_ACTOR)).map((u) => [u.id, u.name]));
        const list = await control.accessKeys.list(SYSTEM_ACTOR, opts.user === undefined ? undefined : { name: opts.user });
        for (const k of list) process.stdout.write(`${k.accessKey}  user ${names.get(k.userId) ?? '?'}  created ${new Date(k.createdAt).toISOString()}\n`);
      });
    },
  );
  storeOptions(keys.command('delete <ak>').description('delete an access key: signatures made with it are refused from now on')).action(
    async (ak: string, opts: StoreFlags) => {
      await withControl(loadSettings({ dataDir: opts.dataDir, db: opts.db }, process.env), async (control) => {
        if (!(await control.accessKeys.remove(SYSTEM_ACTOR, ak))) fail(`there is no access key '${ak}'`);
        process.stdout.write(`Deleted access key ${ak}.\n`);
      });
    },
  );
}
