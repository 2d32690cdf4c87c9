import type { FastifyError, FastifyRequest } from 'fastify';
import { ENVELOPE_KEY, INVALID_KEY, type Invalid, READ_ONLY_KEY } from './neutron-common-schema.js';
import { badRequest, echo, invalidInput, NeutronError } from './neutron-errors.js';
import { type Body, checkKeys, unwrap } from './neutron-request.js';
import { textOf } from '../../domain/text.js';

/**
 * A request the route schema refused, in Neutron's words. Neutron's attribute layer checks, in
 * order: the body and its `{"<resource>": {...}}` envelope, unknown attributes, read-only (or
 * not-allowed-in-POST) attributes, required attributes, then each attribute's type. The same order
 * here, with the messages the handlers give (unwrap, checkKeys), and for a wrong type the answer the
 * attribute's schema carries (`x-neutron-invalid`, see neutron-attribute-schema.ts).
 */

type Json = Record<string, unknown>;

interface AjvError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function segmentsOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, segs: readonly string[]): unknown {
  let v = root;
  for (const s of segs) v = isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[s] : undefined;
  return v;
}

/** The sub-schema for one step into the data, through anyOf branches. */
function step(node: Json, seg: string): Json | undefined {
  const props = node['properties'] as Record<string, Json> | undefined;
  if (props && Object.hasOwn(props, seg)) return props[seg];
  if (/^\d+$/.test(seg) && isObject(node['items'])) return node['items'];
  const branches = node['anyOf'] as Json[] | undefined;
  for (const b of branches ?? []) {
    const next = step(b, seg);
    if (next) return next;
  }
  return undefined;
}

/** The deepest schema along `segs` that says how Neutron answers a wrong type there, and its depth. */
function answerFor(schema: Json, segs: readonly string[]): { answer: Invalid; depth: number } | undefined {
  let found: { answer: Invalid; depth: number } | undefined;
  let node: Json | undefined = schema;
  for (let depth = 0; node; depth++) {
    if (node[INVALID_KEY] !== undefined) found = { answer: node[INVALID_KEY] as Invalid, depth };
    if (depth === segs.length) break;
    node = step(node, segs[depth]!);
  }
  return found;
}

function render(answer: Invalid, value: unknown): NeutronError {
  const fill = (text: string): string => text.replace(/\{value\}/g, () => echo(value)).replace(/\{text\}/g, () => echo(textOf(value)));
  if (typeof answer === 'string') return badRequest(fill(answer));
  return new NeutronError(answer.status ?? 400, answer.type ?? 'HTTPBadRequest', fill(answer.message));
}

/** The error that says most: the deepest (an anyOf reports each branch, the innermost pinpoints the value). */
function deepest(errors: readonly AjvError[]): AjvError | undefined {
  return errors.reduce<AjvError | undefined>(
    (best, e) => (!best || segmentsOf(e.instancePath).length > segmentsOf(best.instancePath).length ? e : best),
    undefined,
  );
}

function bodyError(errors: readonly AjvError[], req: FastifyRequest): NeutronError {
  const schema = req.routeOptions.schema?.body as Json | undefined;
  const first = deepest(errors);
  if (!schema || !first) return badRequest('Invalid request body');
  const key = schema[ENVELOPE_KEY];
  let attrs: Json | undefined = schema;
  let base = 0;
  if (typeof key === 'string') {
    unwrap(req, key); // throws Neutron's answer for a missing or malformed body / envelope
    attrs = (schema['properties'] as Record<string, Json>)[key];
    base = 1;
  } else if (!isObject(req.body)) {
    return render((schema[INVALID_KEY] as Invalid | undefined) ?? 'Resource body required', req.body);
  }
  const map = (typeof key === 'string' ? (req.body as Json)[key] : req.body) as Body;
  const allowed = Object.keys((attrs?.['properties'] as Json | undefined) ?? {});
  checkKeys(map, allowed, req.method === 'POST' ? 'POST' : 'PUT', (attrs?.[READ_ONLY_KEY] as string[] | undefined) ?? []);
  const segs = segmentsOf(first.instancePath);
  if (first.keyword === 'required' && segs.length === base) {
    return badRequest(`Failed to parse request. Required attribute '${String(first.params['missingProperty'])}' not specified`);
  }
  const hit = answerFor(schema, segs);
  if (hit && hit.depth > base) return render(hit.answer, valueAt(req.body, segs.slice(0, hit.depth)));
  const attr = segs[base] ?? textOf(first.params['missingProperty'] ?? first.params['additionalProperty'] ?? 'body');
  return invalidInput(attr, `'${echo(valueAt(req.body, segs.slice(0, base + 1)))}' ${first.message ?? 'is not valid'}`);
}

/** A Fastify validation error (schema refusal) as the NeutronError Neutron would give. */
export function fromValidation(err: FastifyError & { validationContext?: string }, req: FastifyRequest): NeutronError {
  const errors = (err.validation ?? []) as unknown as AjvError[];
  if (err.validationContext !== 'body') return badRequest(err.message);
  try {
    return bodyError(errors, req);
  } catch (e) {
    if (e instanceof NeutronError) return e;
    throw e;
  }
}
