import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIALECT_STATUS, HTTP_STATUS, httpStatus } from '../api/http-status.js';
import { IBM_DIALECT_CODES, ibmCode } from '../api/ibm/ibm-errors.js';
import {
  DOMAIN_ERRORS,
  DomainError,
  ECHO_MAX,
  ERROR_KINDS,
  RESOURCE_TYPES,
  echo,
  inUse,
  invalidField,
  notFound,
  type DomainErrorCode,
  type ErrorKind,
  type ResourceType,
} from './errors.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
const REGISTRY = Object.keys(DOMAIN_ERRORS) as DomainErrorCode[];

/** The resources the IBM API exposes, for which the IBM dialect derives `<resource>_not_found` / `<resource>_in_use`. */
const IBM_NOT_FOUND: readonly ResourceType[] = [
  'vpc',
  'subnet',
  'resource_group',
  'vpn_gateway',
  'connection',
  'ike_policy',
  'ipsec_policy',
  'cidr',
  'account',
  'routing_table',
  'route',
];
const IBM_IN_USE: readonly ResourceType[] = ['ike_policy', 'ipsec_policy', 'vpc', 'subnet', 'vpn_gateway', 'connection', 'routing_table'];

/** The IBM codes derived from domain errors about those resources, with the status the IBM dialect answers. */
const IBM_DERIVED: ReadonlyMap<string, string> = new Map(
  [...IBM_NOT_FOUND.map((r) => notFound(r, 'x')), ...IBM_IN_USE.map((r) => inUse(r, 'x', 'm'))].map((e) => [ibmCode(e), String(httpStatus(e.kind, 'ibm'))]),
);

/** The IAM token endpoint's codes (src/api/iam), with their HTTP status. */
const IAM_CODES: Readonly<Record<string, string>> = {
  BXNIM0103E: '400',
  BXNIM0104E: '400',
  BXNIM0415E: '400',
  BXNIM0109E: '400',
  BXNIM0001E: '500',
};

const IBM_DIALECT: ReadonlyMap<string, string> = new Map(Object.entries(IBM_DIALECT_CODES).map(([c, e]) => [c, String(e.status)]));

interface DocRow {
  readonly code: string;
  readonly status: string;
  readonly third: string;
}

/** Every markdown table row whose first cell is a `code`. */
function docRows(md: string): DocRow[] {
  const rows: DocRow[] = [];
  for (const line of md.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (m) rows.push({ code: m[1]!, status: m[2]!, third: m[3]! });
  }
  return rows;
}

/** The file cut at its `## ` headings; the part before the first one is keyed ''. */
function sections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of md.split(/\n(?=## )/)) {
    const heading = part.startsWith('## ') ? part.slice(3, part.indexOf('\n') < 0 ? undefined : part.indexOf('\n')).trim() : '';
    out.set(heading, part);
  }
  return out;
}

const SECTIONS = sections(DOC);
function section(prefix: string): string {
  const hit = [...SECTIONS.entries()].find(([h]) => h !== '' && h.startsWith(prefix));
  if (!hit) throw new Error(`docs/errors.md has no section "${prefix}…"`);
  return hit[1];
}

const ROWS = docRows(DOC);
const DOC_CODES = new Set(ROWS.map((r) => r.code));
const REGISTRY_ROWS = docRows(section('Registry codes'));
const DERIVED_ROWS = docRows(section('IBM codes for missing and used objects'));
const DIALECT_ROWS = docRows(section('Codes the IBM dialect emits directly'));
const IAM_ROWS = docRows(section('Identity (IAM)'));

const KNOWN = new Set<string>([...REGISTRY, ...IBM_DERIVED.keys(), ...IBM_DIALECT.keys(), ...Object.keys(IAM_CODES)]);

function statusesOf(rows: readonly DocRow[], code: string): string[] {
  return rows.filter((r) => r.code === code).map((r) => r.status);
}

/** Error codes written literally in the IBM dialect's sources (not via DomainError). */
function ibmLiteralCodes(): Set<string> {
  const dir = join(ROOT, 'src', 'api', 'ibm');
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(dir, f)),
    join(ROOT, 'src', 'api', 'validation.ts'),
  ];
  const out = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([A-Za-z0-9_]+)'/g)) out.add(m[1]!);
    for (const m of text.matchAll(/FST_ERR_[A-Z_]+: '([a-z_]+)'/g)) out.add(m[1]!);
    for (const m of text.matchAll(/\bcode: \([^)]*\)\s*\?\?\s*'([a-z_]+)'/g)) out.add(m[1]!);
    // ibmInvalid(name, message, code?, type?, status?): string literals after the first argument (a call may span lines).
    for (const call of text.matchAll(/ibmInvalid\(([\s\S]*?)\);/g)) {
      for (const m of call[1]!.matchAll(/,\s*'([a-z_]+)'\s*(?=[,)]|$)/g)) {
        if (!['field', 'parameter', 'header'].includes(m[1]!)) out.add(m[1]!);
      }
    }
  }
  return out;
}

/** IAM codes the token endpoint sends, with the status written next to them (`reply.code(N).send(fail(…, 'BXNIM…'`). */
function iamLiteralCodes(): Map<string, string> {
  const dir = join(ROOT, 'src', 'api', 'iam');
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/code\((\d{3})\)\.send\(fail\([^,]+,\s*'(BXNIM\d{4}E)'/g)) out.set(m[2]!, m[1]!);
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

  it('not_found and in_use are one code each, about a resource', () => {
    expect(REGISTRY.filter((c) => DOMAIN_ERRORS[c].kind === 'not_found')).toEqual(['not_found']);
    expect(REGISTRY.filter((c) => DOMAIN_ERRORS[c].kind === 'in_use')).toEqual(['in_use']);
  });
});

describe('HTTP statuses', () => {
  it('every kind has exactly one HTTP status; every status is a 4xx except storage_full (507)', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_KINDS].sort());
    for (const k of ERROR_KINDS) {
      if (k === 'storage_full') {
        expect(HTTP_STATUS[k]).toBe(507);
      } else {
        expect(HTTP_STATUS[k]).toBeGreaterThanOrEqual(400);
        expect(HTTP_STATUS[k]).toBeLessThan(500);
      }
    }
  });

  it('dialect overrides name only known kinds, with a 4xx status', () => {
    for (const [dialect, overrides] of Object.entries(DIALECT_STATUS)) {
      for (const [key, status] of Object.entries(overrides as Record<string, number>)) {
        const [kind, resource] = key.split(':') as [ErrorKind, ResourceType | undefined];
        expect(ERROR_KINDS, `${dialect} overrides ${key}`).toContain(kind);
        if (resource !== undefined) expect(RESOURCE_TYPES, `${dialect} overrides ${key}`).toContain(resource);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(httpStatus(kind, dialect as keyof typeof DIALECT_STATUS, resource)).toBe(status);
      }
    }
  });

  it('a kind without an override answers the table status in every dialect', () => {
    expect(httpStatus('quota', 'ibm')).toBe(400);
    expect(httpStatus('quota', 'neutron')).toBe(HTTP_STATUS.quota);
    for (const k of ERROR_KINDS.filter((k) => k !== 'quota')) expect(httpStatus(k, 'ibm')).toBe(HTTP_STATUS[k]);
  });
});

describe('IBM codes', () => {
  it('ibmCode names the object for not_found and in_use, and keeps the domain code otherwise', () => {
    expect(ibmCode(notFound('connection', 'x'))).toBe('vpn_gateway_connection_not_found');
    expect(ibmCode(notFound('vpn_gateway', 'x'))).toBe('vpn_gateway_not_found');
    expect(ibmCode(inUse('ike_policy', 'x', 'm'))).toBe('ike_policy_in_use');
    expect(ibmCode(new DomainError('not_found'))).toBe('not_found');
    expect(ibmCode(new DomainError('cidr_overlap'))).toBe('cidr_overlap');
    expect(ibmCode(new DomainError('over_quota'))).toBe('over_quota');
  });

  it('derived, dialect and registry codes do not shadow one another', () => {
    expect(IBM_DERIVED.size).toBe(IBM_NOT_FOUND.length + IBM_IN_USE.length);
    for (const c of IBM_DERIVED.keys()) {
      expect(REGISTRY as string[]).not.toContain(c);
      expect(IBM_DIALECT.has(c)).toBe(false);
    }
    for (const c of IBM_DIALECT.keys()) expect(REGISTRY as string[]).not.toContain(c);
    for (const c of Object.keys(IAM_CODES)) {
      expect(REGISTRY as string[]).not.toContain(c);
      expect(IBM_DERIVED.has(c) || IBM_DIALECT.has(c)).toBe(false);
    }
  });

  it('the IAM token endpoint sends exactly the listed codes, with their statuses', () => {
    expect(Object.fromEntries(iamLiteralCodes())).toEqual(IAM_CODES);
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
    expect(e.subject).toBeUndefined();
  });

  it('not_found without a subject has the kind not_found and the registry message', () => {
    const e = new DomainError('not_found');
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe(DOMAIN_ERRORS.not_found.message);
    expect(e.subject).toBeUndefined();
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

  it('notFound names the resource and the id, and carries the subject', () => {
    const e = notFound('vpn_gateway', 'abc');
    expect(e.code).toBe('not_found');
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe("VPN gateway 'abc' was not found.");
    expect(e.subject).toEqual({ resource: 'vpn_gateway', id: 'abc' });
    expect(e.target).toBeUndefined();
    // Every resource type has a noun: the message never says "undefined".
    for (const r of RESOURCE_TYPES) expect(notFound(r, 'x').message).toMatch(/^[A-Z][^']* 'x' was not found\.$/);
  });

  it('inUse keeps its message and carries the subject', () => {
    const e = inUse('ike_policy', 'p1', 'The IKE policy is used by 1 connection(s).');
    expect(e.code).toBe('in_use');
    expect(e.kind).toBe('in_use');
    expect(e.message).toBe('The IKE policy is used by 1 connection(s).');
    expect(e.subject).toEqual({ resource: 'ike_policy', id: 'p1' });
  });

  it('echo cuts long values to ECHO_MAX (80) characters plus …', () => {
    expect(ECHO_MAX).toBe(80);
    expect(echo('a'.repeat(200))).toBe(`${'a'.repeat(80)}…`);
    expect(echo('b'.repeat(80))).toBe('b'.repeat(80));
    expect(echo({ a: 1 })).toBe('{"a":1}');
    expect(echo(undefined)).toBe('undefined');
    expect(notFound('vpc', 'c'.repeat(100)).message).toBe(`VPC '${'c'.repeat(80)}…' was not found.`);
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

  it('maps every kind to its status, with the IBM override where there is one', () => {
    const intro = SECTIONS.get('') ?? '';
    const kinds = new Map<string, [string, string]>();
    for (const line of intro.split('\n')) {
      const m = /^\|\s*([a-z_]+)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|$/.exec(line);
      if (m) kinds.set(m[1]!, [m[2]!, m[3]!]);
    }
    expect([...kinds.keys()].sort()).toEqual([...ERROR_KINDS].sort());
    const ibm = DIALECT_STATUS.ibm as Partial<Record<ErrorKind, number>>;
    for (const k of ERROR_KINDS) {
      expect(kinds.get(k), k).toEqual([String(HTTP_STATUS[k]), ibm[k] === undefined ? '' : String(ibm[k])]);
    }
  });

  it.each(REGISTRY)('lists the registry code %s with the IBM status and the kind', (code) => {
    const kind = DOMAIN_ERRORS[code].kind;
    expect(statusesOf(ROWS, code)).toContain(String(httpStatus(kind, 'ibm')));
    expect(REGISTRY_ROWS.filter((r) => r.code === code).map((r) => [r.status, r.third])).toEqual([[String(httpStatus(kind, 'ibm')), kind]]);
  });

  it('lists in the registry table only registry codes', () => {
    expect(REGISTRY_ROWS.map((r) => r.code).filter((c) => !(REGISTRY as string[]).includes(c))).toEqual([]);
  });

  it.each([...IBM_DERIVED])('lists the derived IBM code %s with status %s', (code, status) => {
    expect(statusesOf(ROWS, code)).toContain(status);
    expect(statusesOf(DERIVED_ROWS, code)).toEqual([status]);
  });

  it.each([...IBM_DIALECT])('lists the IBM dialect code %s with status %s', (code, status) => {
    expect(statusesOf(ROWS, code)).toContain(status);
    expect(statusesOf(DIALECT_ROWS, code)).toEqual([status]);
  });

  it.each(Object.entries(IAM_CODES))('lists the IAM code %s with status %s', (code, status) => {
    expect(statusesOf(IAM_ROWS, code)).toEqual([status]);
  });

  it('lists no code that is not a registry, derived IBM, IBM dialect or IAM code', () => {
    expect([...DOC_CODES].filter((c) => !KNOWN.has(c))).toEqual([]);
  });

  it('lists each code once per table', () => {
    for (const t of SECTIONS.values()) {
      const codes = docRows(t).map((r) => r.code);
      expect(codes.length).toBe(new Set(codes).size);
    }
  });

  it('covers every code the IBM dialect writes literally (so IBM_DIALECT_CODES stays complete)', () => {
    const literal = ibmLiteralCodes();
    // A sanity check that the scan finds the codes it is meant to find.
    for (const c of [
      'invalid_version',
      'invalid_version_range',
      'invalid_generation',
      'not_authorized',
      'not_found',
      'bad_request',
      'internal_error',
      'missing_field',
      'unknown_field',
      'invalid_json',
      'mode_mismatch',
      'if_match_required',
      'request_too_large',
      'region_not_found',
      'zone_not_found',
    ]) {
      expect(literal).toContain(c);
    }
    const ibmKnown = new Set<string>([...REGISTRY, ...IBM_DERIVED.keys(), ...IBM_DIALECT.keys()]);
    expect([...literal].filter((c) => !ibmKnown.has(c))).toEqual([]);
    for (const c of literal) expect(DOC_CODES.has(c), c).toBe(true);
  });
});
