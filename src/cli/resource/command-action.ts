import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ApiClient, ApiError, UsageError } from './api-client.js';
import { Output, type OutputOptions } from './output-format.js';

/** Help texts of the output flags; the seed's wording where it has one. */
export interface OutputHelp {
  readonly output?: string;
  readonly quiet?: string;
}

/** `--output JSON` and `-q, --quiet`, on every resource command as in ibmcloud. */
export function outputOptions(cmd: Command, help: OutputHelp = {}): Command {
  return cmd
    .option('--output <format>', help.output ?? 'Specify output format, only JSON is supported.')
    .option('-q, --quiet', help.quiet ?? 'Suppress verbose output.');
}

/** The error a command failed with, on stderr; the exit code says which kind (1 API, 2 usage). */
export function report(e: unknown): never {
  if (e instanceof ApiError) {
    process.stderr.write(`FAILED\n${e.message}\nError code: ${e.code}\n`);
    process.exit(1);
  }
  if (e instanceof UsageError) {
    process.stderr.write(`causeway: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`FAILED\n${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

/**
 * A resource command's action: commander hands the positional arguments, then the options. The body
 * gets a client (from the profile or the environment), the output, the arguments and the options.
 */
export function resourceAction<O extends object = object>(
  body: (ctx: { api: ApiClient; out: Output; args: string[]; opts: O & OutputOptions }) => Promise<void>,
): (...raw: unknown[]) => Promise<void> {
  return async (...raw: unknown[]) => {
    try {
      const cmd = raw[raw.length - 1] as Command;
      const opts = cmd.opts<O & OutputOptions>();
      // Positional values in order; a missing optional one is '', a variadic last one is spread.
      const args = (raw.slice(0, -2) as (string | string[] | undefined)[]).flatMap((a) => (Array.isArray(a) ? a : [a ?? '']));
      const out = new Output(opts);
      await body({ api: ApiClient.fromEnvironment(), out, args, opts });
    } catch (e) {
      report(e);
    }
  };
}

/** ibmcloud's confirmation before a delete; `-f` skips it. A closed stdin is a no. */
export async function confirmed(question: string, force: boolean | undefined): Promise<boolean> {
  if (force) return true;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string>((ok) => {
    rl.question(`${question} [y/N]> `, ok);
    rl.once('close', () => ok(''));
  });
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** A flag value that is JSON or `@file` of JSON; ibmcloud also takes unquoted keys and values (`[{type:fqdn,value:a.com}]`). */
export function jsonFlag(flag: string, value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (e) {
      throw new UsageError(`${flag}: cannot read ${value.slice(1)}: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(quoteBareWords(text));
    } catch {
      throw new UsageError(`${flag}: '${text.slice(0, 200)}' is not JSON`);
    }
  }
}

/** Quotes the bare words of relaxed JSON; numbers, true, false and null stay as they are. */
function quoteBareWords(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|[^\s{}[\],:"]+(?:[ \t]+[^\s{}[\],:"]+)*/g, (w) =>
    w.startsWith('"') || /^(-?\d+(\.\d+)?|true|false|null)$/.test(w) ? w : JSON.stringify(w),
  );
}

/** `true`/`false` for the boolean flags that take a value (`--admin-state-up false`). */
export function boolFlag(flag: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new UsageError(`${flag}: '${v}' is not true or false`);
}

/** An integer flag. */
export function intFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag}: '${v}' is not a whole number`);
  return Number(v);
}
