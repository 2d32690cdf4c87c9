import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Route schemas validate requests. Bodies are checked strictly (no type coercion, no silently
 * dropped fields); query strings and path parameters are coerced from their text.
 */
export function installValidators(app: FastifyInstance): void {
  const body = new Ajv({ allErrors: false, strict: false, coerceTypes: false, removeAdditional: false, useDefaults: false });
  const text = new Ajv({ allErrors: false, strict: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true });
  (addFormats as unknown as (a: Ajv) => void)(body);
  (addFormats as unknown as (a: Ajv) => void)(text);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema as object));
}

export interface Problem {
  /** missing_field | unknown_field | invalid_value */
  readonly code: 'missing_field' | 'unknown_field' | 'invalid_value';
  readonly message: string;
  /** Dotted path of the field, e.g. `peer.cidrs[0]`. */
  readonly name: string;
}

function path(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** Turns the first Ajv error into a sentence a person can act on. */
export function describeAjvError(e: ErrorObject, context: string): Problem {
  const at = path(e.instancePath);
  const where = (child: string): string => (at ? `${at}.${child}` : child);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const name = where(String(p['missingProperty']));
      return { code: 'missing_field', name, message: `The ${context === 'body' ? 'field' : 'parameter'} '${name}' is required.` };
    }
    case 'additionalProperties': {
      const name = where(String(p['additionalProperty']));
      return { code: 'unknown_field', name, message: `The field '${name}' is not known here.` };
    }
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { code: 'invalid_value', name: at, message: `'${at || context}' must be one of: ${allowed}.` };
    }
    case 'const':
      return { code: 'invalid_value', name: at, message: `'${at || context}' must be ${JSON.stringify(p['allowedValue'])}.` };
    case 'type':
      return {
        code: 'invalid_value',
        name: at,
        message: at ? `'${at}' must be of type ${String(p['type'])}.` : `The request ${context} must be a JSON ${String(p['type'])}.`,
      };
    case 'anyOf':
    case 'oneOf':
      return { code: 'invalid_value', name: at, message: `'${at || context}' does not have any of the accepted shapes.` };
    default:
      return { code: 'invalid_value', name: at, message: `'${at || context}' ${e.message ?? 'is not valid'}.` };
  }
}
