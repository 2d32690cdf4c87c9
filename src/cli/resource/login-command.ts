import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiClient, UsageError } from './api-client.js';
import { resourceActionWithoutLogin } from './login-action.js';
import { profilePath, removeProfile, writeProfile } from './profile-store.js';

/** `causeway login` and `logout`: the profile the resource commands read (0600 file in a 0700 directory). */
export function loginCommands(program: Command): void {
  program
    .command('login')
    .description('Sign in to a Causeway server with an API key; keeps a profile ($CAUSEWAY_HOME or ~/.causeway, mode 0600)')
    .option('--url <URL>', 'the server, e.g. http://127.0.0.1:8080 (default: $CAUSEWAY_URL)')
    .option('--apikey-file <FILE>', 'a file holding the API key, - for standard input (default: $CAUSEWAY_APIKEY)')
    .action(
      resourceActionWithoutLogin<{ url?: string; apikeyFile?: string }>(async (opts) => {
        const url = opts.url ?? process.env['CAUSEWAY_URL'];
        if (!url) throw new UsageError('login needs --url URL (or CAUSEWAY_URL)');
        if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url: '${url}' is not an http(s) URL`);
        let apikey = process.env['CAUSEWAY_APIKEY'];
        if (opts.apikeyFile !== undefined) {
          try {
            apikey = readFileSync(opts.apikeyFile === '-' ? 0 : opts.apikeyFile, 'utf8').trim();
          } catch (e) {
            throw new UsageError(`--apikey-file: cannot read ${opts.apikeyFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          }
        }
        if (!apikey) throw new UsageError('login needs --apikey-file FILE (or CAUSEWAY_APIKEY)');
        const client = ApiClient.forLogin(url, apikey);
        const { token, expiration } = await client.accessToken(true);
        const file = writeProfile({ url: client.url, apikey, token, expiration });
        process.stdout.write(`Logged in to ${client.url} (profile ${file}; token valid until ${new Date(expiration * 1000).toISOString()})\n`);
      }),
    );

  program
    .command('logout')
    .description('Forget the profile causeway login kept (the API key and the cached token)')
    .action(
      resourceActionWithoutLogin(async () => {
        const gone = removeProfile();
        process.stdout.write(gone ? `Logged out (removed ${profilePath()})\n` : 'Not logged in.\n');
      }),
    );
}
