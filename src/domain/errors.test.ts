import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from '../api/http-status.js';
import { DOMAIN_ERRORS, DomainError, ERROR_KINDS, invalidField, type DomainErrorCode } from './errors.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');

/**
 * Codes that a dialect emits itself and that are not in DOMAIN_ERRORS, with their HTTP status
 * ('4xx' = the HTTP framework's own status). Adding a dialect-only code means adding it here
 * and to docs/errors.md.
 */
const DIALECT_ONLY: Readonly<Record<string, string>> = {
  // IBM VPC dialect (src/api/ibm)
  invalid_version_range: '400',
  bad_request: '4xx',
  internal_error: '500',
  vpn_gateway_service_connection_not_found: '404',
  // IAM token endpoint (src/api/iam)
  BXNIM0103E: '400',
  BXNIM0104E: '400',
  BXNIM0109E: '400',
  BXNIM0415E: '400',
};

interface DocRow {
  readonly code: string;
  readonly status: string;
}

/** Every markdown table row whose first cell is a `code`. */
function docRows(md: string): DocRow[] {
  const rows: DocRow[] = [];
  for (const line of md.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (m) rows.push({ code: m[1]!, status: m[2]! });
  }
  return rows;
}

const ROWS = docRows(DOC);
const DOC_CODES = new Set(ROWS.map((r) => r.code));
const REGISTRY = Object.keys(DOMAIN_ERRORS) as DomainErrorCode[];

/** Error codes written literally in the IBM dialect's sources (not via DomainError). */
function ibmLiteralCodes(): Set<string> {
  const dir = join(ROOT, 'src', 'api', 'ibm');
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(dir, f)),
    join(ROOT, 'src', 'api', 'validation.ts'),
  ];
  const out = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([A-Za-z0-9_]+)'/g)) out.add(m[1]!);
    for (const m of text.matchAll(/FST_ERR_[A-Z_]+: '([a-z_]+)'/g)) out.add(m[1]!);
    for (const m of text.matchAll(/\bcode: \([^)]*\)\s*\?\?\s*'([a-z_]+)'/g)) out.add(m[1]!);
    for (const line of text.split('\n')) {
      if (!line.includes('ibmInvalid(')) continue;
      // ibmInvalid(name, message, code?, type?, status?): string literals after the first argument.
      for (const m of line.slice(line.indexOf('ibmInvalid(')).matchAll(/,\s*'([a-z_]+)'\s*[,)]/g)) {
        if (!['field', 'parameter', 'header'].includes(m[1]!)) out.add(m[1]!);
      }
    }
  }
  return out;
}

describe('DOMAIN_ERRORS registry', () => {
  it('codes are snake_case, kinds are known, messages are sentences', () => {
    for (const code of REGISTRY) {
      const e = DOMAIN_ERRORS[code];
      expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(ERROR_KINDS).toContain(e.kind);
      expect(e.message).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('every kind has exactly one HTTP status, and every status is a 4xx', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_KINDS].sort());
    for (const k of ERROR_KINDS) {
      expect(HTTP_STATUS[k]).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[k]).toBeLessThan(500);
    }
  });

  it('no dialect-only code shadows a registry code', () => {
    for (const code of Object.keys(DIALECT_ONLY)) expect(REGISTRY as string[]).not.toContain(code);
  });
});

describe('DomainError', () => {
  it('takes the kind and the default message from the registry', () => {
    const e = new DomainError('cidr_overlap');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DomainError');
    expect(e.code).toBe('cidr_overlap');
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe(DOMAIN_ERRORS.cidr_overlap.message);
    expect(e.target).toBeUndefined();
  });

  it('keeps a custom message and target', () => {
    const e = new DomainError('precondition_failed', 'Stale ETag.', { type: 'header', name: 'If-Match' });
    expect(e.kind).toBe('precondition');
    expect(e.message).toBe('Stale ETag.');
    expect(e.target).toEqual({ type: 'header', name: 'If-Match' });
  });

  it('DomainError.is tells domain errors from others', () => {
    expect(DomainError.is(new DomainError('not_found'))).toBe(true);
    expect(DomainError.is(new Error('x'))).toBe(false);
    expect(DomainError.is({ code: 'not_found', kind: 'not_found' })).toBe(false);
    expect(DomainError.is(undefined)).toBe(false);
  });

  it('invalidField is invalid_value on a field, with the value only when given', () => {
    const withValue = invalidField('peerCidrs', 'bad', '10.0.0.1/8');
    expect(withValue.code).toBe('invalid_value');
    expect(withValue.kind).toBe('invalid');
    expect(withValue.message).toBe('bad');
    expect(withValue.target).toEqual({ type: 'field', name: 'peerCidrs', value: '10.0.0.1/8' });
    const without = invalidField('psk', 'bad');
    expect(without.target).toEqual({ type: 'field', name: 'psk' });
    expect(without.target).not.toHaveProperty('value');
  });

  it('invalidField keeps falsy values other than undefined', () => {
    expect(invalidField('peer.asn', 'bad', 0).target?.value).toBe(0);
    expect(invalidField('name', 'bad', '').target?.value).toBe('');
  });
});

describe('docs/errors.md', () => {
  it('lists codes in tables', () => {
    expect(ROWS.length).toBeGreaterThan(REGISTRY.length);
  });

  it.each(REGISTRY)('lists %s with the HTTP status of its kind', (code) => {
    expect(DOC_CODES.has(code)).toBe(true);
    const statuses = ROWS.filter((r) => r.code === code).map((r) => r.status);
    expect(statuses).toContain(String(HTTP_STATUS[DOMAIN_ERRORS[code].kind]));
  });

  it.each(Object.entries(DIALECT_ONLY))('lists the dialect-only code %s with status %s', (code, status) => {
    expect(ROWS.filter((r) => r.code === code).map((r) => r.status)).toContain(status);
  });

  it('lists no code that is neither in DOMAIN_ERRORS nor a known dialect-only code', () => {
    const known = new Set<string>([...REGISTRY, ...Object.keys(DIALECT_ONLY)]);
    expect([...DOC_CODES].filter((c) => !known.has(c))).toEqual([]);
  });

  it('lists each code once per table', () => {
    const tables = DOC.split(/\n(?=## )/);
    for (const t of tables) {
      const codes = docRows(t).map((r) => r.code);
      expect(codes.length).toBe(new Set(codes).size);
    }
  });

  it('covers every code the IBM dialect writes literally (so the dialect-only list stays complete)', () => {
    const literal = ibmLiteralCodes();
    // A sanity check that the scan finds the codes it is meant to find.
    for (const c of ['invalid_version', 'invalid_version_range', 'invalid_generation', 'not_authorized', 'not_found', 'bad_request', 'internal_error', 'missing_field', 'unknown_field', 'mode_mismatch']) {
      expect(literal).toContain(c);
    }
    const known = new Set<string>([...REGISTRY, ...Object.keys(DIALECT_ONLY)]);
    expect([...literal].filter((c) => !known.has(c))).toEqual([]);
    for (const c of literal) expect(DOC_CODES.has(c)).toBe(true);
  });
});
