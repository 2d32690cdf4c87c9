/**
 * HTML written by the console: a tagged template that escapes every interpolated value unless it is
 * already `Html` (made by this template or by `trusted`). Arrays are joined, `undefined`, `null` and
 * `false` render as nothing, so `${cond && html`…`}` works.
 */
export class Html {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an element's content and for a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(v: Value): string {
  if (v instanceof Html) return v.toString();
  if (Array.isArray(v)) return (v as readonly Value[]).map(render).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup the caller vouches for (a constant of this module's own making, never user input). */
export function trusted(text: string): Html {
  return new Html(text);
}
