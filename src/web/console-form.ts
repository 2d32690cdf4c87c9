import { DomainError, type ResourceType } from '../domain/errors.js';
import { html, type Html } from './html-template.js';

/** Messages of a failed form: by field name, and those that belong to no field (shown above the form). */
export interface FormErrors {
  readonly fields: Readonly<Record<string, string>>;
  readonly general: readonly string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** The submitted form: each field's text (the last one sent), and every value of a multi-valued field. */
export type FormBody = Record<string, string | string[] | undefined>;

export function text(body: FormBody, name: string): string {
  const v = body[name];
  return (Array.isArray(v) ? v[v.length - 1] : v)?.trim() ?? '';
}

/**
 * Where a control-plane error belongs on a form: its target field, renamed to the form's field by
 * `fieldOf` (the domain's names, e.g. `peerCidrs` or `dpd.intervalSeconds`, to the form's). Not
 * an invalid-input error: rethrown (not found, forbidden… are pages, not messages).
 */
export function formErrors(
  err: unknown,
  fieldOf: Readonly<Record<string, string>>,
  /** Objects a form picks by id (a subnet, a policy): when one is missing, the message goes next to its field. */
  pickedBy: Partial<Readonly<Record<ResourceType, string>>> = {},
): FormErrors {
  if (err instanceof DomainError && err.kind === 'not_found' && err.subject && pickedBy[err.subject.resource]) {
    return { fields: { [pickedBy[err.subject.resource]!]: err.message }, general: [] };
  }
  if (!(err instanceof DomainError) || !['invalid', 'conflict', 'quota', 'in_use'].includes(err.kind)) throw err;
  const name = err.target?.name;
  const field = name === undefined ? undefined : (fieldOf[name] ?? fieldOf[name.split('.')[0]!] ?? fieldOf[name.replace(/\[\d+\]$/, '')]);
  return field ? { fields: { [field]: err.message }, general: [] } : { fields: {}, general: [err.message] };
}

/** A form-level message for one field (input the console itself refuses before calling control). */
export function fieldError(field: string, message: string): FormErrors {
  return { fields: { [field]: message }, general: [] };
}

/** The messages that belong to no field, as an alert above the form. */
export function generalErrors(e: FormErrors): Html {
  return html`${e.general.length > 0 && html`<div class="error-summary" role="alert">${e.general.map((m) => html`<p>${m}</p>`)}</div>`}`;
}

interface FieldOptions {
  readonly type?: string;
  readonly hint?: string;
  readonly required?: boolean;
  readonly autocomplete?: string;
}

function described(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function after(name: string, hint: string | undefined, error: string | undefined): Html {
  return html`${hint && html`<span class="hint" id="${name}-hint">${hint}</span>`}${error && html`<span class="field-error" id="${name}-error">${error}</span>`}`;
}

/** A labelled text input with its hint and, when the last submit failed on it, its message next to it. */
export function input(label: string, name: string, value: string, errors: FormErrors, o: FieldOptions = {}): Html {
  const error = errors.fields[name];
  const by = described(name, o.hint, error);
  return html`<div class="field${error ? ' invalid' : ''}">
    <label for="${name}">${label}</label>
    <input
      id="${name}"
      name="${name}"
      type="${o.type ?? 'text'}"
      value="${value}"
      ${o.required ? html` required` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${by ? html` aria-describedby="${by}"` : ''}${error ? html` aria-invalid="true"` : ''}
    />
    ${after(name, o.hint, error)}
  </div>`;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  /** Choices under a heading (an optgroup). */
  readonly group?: string;
}

/** A labelled select; choices with a `group` are grouped under it. */
export function select(label: string, name: string, choices: readonly Choice[], selected: string, errors: FormErrors, o: FieldOptions = {}): Html {
  const error = errors.fields[name];
  const by = described(name, o.hint, error);
  const option = (c: Choice) => html`<option value="${c.value}" ${c.value === selected ? html` selected` : ''}>${c.label}</option>`;
  const groups = [...new Set(choices.map((c) => c.group))];
  const options = groups.map((g) =>
    g === undefined
      ? choices.filter((c) => c.group === undefined).map(option)
      : html`<optgroup label="${g}">${choices.filter((c) => c.group === g).map(option)}</optgroup>`,
  );
  return html`<div class="field${error ? ' invalid' : ''}">
    <label for="${name}">${label}</label>
    <select
      id="${name}"
      name="${name}"
      ${o.required ? html` required` : ''}${by ? html` aria-describedby="${by}"` : ''}${error ? html` aria-invalid="true"` : ''}
    >
      ${options}
    </select>
    ${after(name, o.hint, error)}
  </div>`;
}
