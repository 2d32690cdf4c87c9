import { UsageError } from './api-client.js';

export interface OutputOptions {
  readonly output?: string;
  readonly quiet?: boolean;
}

/** How a command prints: a table (default), the API's JSON (`--output json`, any case), or nothing (`-q`). */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;

  constructor(o: OutputOptions) {
    if (o.output !== undefined && o.output.toLowerCase() !== 'json') throw new UsageError(`--output: '${o.output}' is not supported; only JSON is`);
    this.json = o.output !== undefined;
    this.quiet = !!o.quiet;
  }

  /** Prints `data` as JSON, or what `render` makes of it, unless quiet. */
  show(data: unknown, render: () => string): void {
    if (this.quiet) return;
    process.stdout.write(this.json ? `${JSON.stringify(data, null, 2)}\n` : ensureNewline(render()));
  }

  /** A line for people (never in JSON or quiet mode). */
  say(text: string): void {
    if (!this.quiet && !this.json) process.stdout.write(ensureNewline(text));
  }
}

const ensureNewline = (s: string): string => (s.endsWith('\n') || s === '' ? s : `${s}\n`);

type Cell = string | number | boolean | undefined | null;
const cell = (v: Cell): string => (v === undefined || v === null || v === '' ? '-' : String(v));

/** ibmcloud's detail layout: one `Key   value` line per field. */
export function keyValues(rows: readonly (readonly [string, Cell])[]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}   ${cell(v)}`.trimEnd()).join('\n');
}

/** ibmcloud's list layout: a header row and aligned columns. */
export function columns(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((r) => r.map(cell));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('   ')
      .trimEnd();
  return [line(headers), ...text.map(line)].join('\n');
}

/** A list field shown in one cell. */
export const joined = (xs: readonly unknown[] | undefined): string => (xs && xs.length ? xs.map(String).join(', ') : '-');
