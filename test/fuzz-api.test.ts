/**
 * Property-based fuzzing of every /v1 route (vitest + fast-check).
 *
 * The routes are read from the running app's OpenAPI document, so a route added later is fuzzed
 * without touching this file. Each request mixes real ids of live resources with junk in the path,
 * random / malformed query strings, schema-shaped bodies with wrong-typed or out-of-range values,
 * random JSON, malformed JSON and other content types, and several kinds of credentials. Invariants:
 *
 *   - no response is a 5xx;
 *   - every response has an x-request-id header;
 *   - every 4xx body is the IBM error envelope
 *     {errors:[{code: snake_case, message: non-empty, ...}], trace: string, status_code: <HTTP status>};
 *   - no / garbage credentials answer 401; another account never gets a 2xx on our resources, and
 *     never sees them in a list.
 *
 * Reproducing a failure: fast-check prints the seed and path; re-run with
 *   FUZZ_SEED=<seed> [FUZZ_PATH=<path>] npx vitest run test/fuzz-api.test.ts
 * Sizes: FUZZ_RUNS_PER_ROUTE (default 40), FUZZ_GLOBAL_RUNS (default 800), FUZZ_AUTH_RUNS (default 300),
 * FUZZ_BAD_URL_RUNS (default 150). About 4,000 requests; inject() is in-process, a few seconds in all.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_VERSION, VERSION, policyConnection, startTestServer, type TestServer } from './harness.js';
import { seedBody } from './cloudca-fixture.js';
import { huaweiAccount, huaweiGateway } from './huawei-fixture.js';

// ---------------------------------------------------------------------------------------------
// configuration

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
};
const RUNS_PER_ROUTE = envInt('FUZZ_RUNS_PER_ROUTE', 40);
const GLOBAL_RUNS = envInt('FUZZ_GLOBAL_RUNS', 800);
const AUTH_RUNS = envInt('FUZZ_AUTH_RUNS', 300);
const BAD_URL_RUNS = envInt('FUZZ_BAD_URL_RUNS', 150);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : undefined;
const PATH = process.env['FUZZ_PATH'];
const fcParams = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns,
  ...(SEED !== undefined && Number.isFinite(SEED) ? { seed: SEED } : {}),
  ...(PATH ? { path: PATH } : {}),
  // Shrinking an async, stateful property can take long; bound it and keep the best counterexample.
  interruptAfterTimeLimit: 20_000,
  markInterruptAsFailure: false,
});

/** Raised so that fixtures can be re-created after the fuzzer deletes them. */
const SERVER_FLAGS: Record<string, string> = {
  'quota.gatewaysPerAccount': '100000',
  'quota.gatewaysPerZone': '100000',
  'quota.routeGatewaysPerZonePerVpc': '100000',
  'quota.vpcs': '100000',
  'quota.ikePolicies': '100000',
  'quota.ipsecPolicies': '100000',
  'quota.connectionsPerGateway': '100000',
  'quota.cidrsPerGateway': '100000',
  'quota.cidrsPerConnectionSide': '100000',
  'quota.advertisedCidrs': '100000',
  'quota.subnetsPerVpc': '100000',
  publicPool: '100.64.0.0/16',
};

// ---------------------------------------------------------------------------------------------
// the route model, read from the OpenAPI document

type Schema = Record<string, unknown>;
/** What a real id in a path or body refers to. */
type Kind = 'vpc' | 'subnet' | 'gateway' | 'connection' | 'ike' | 'ipsec' | 'rg' | 'any';
type ParamKind = Kind | 'cidr' | 'prefix' | 'len';

type Segment = { readonly lit: string } | { readonly param: string; readonly kind: ParamKind; readonly side: CidrSide };
type CidrSide = 'local' | 'peer' | 'advertised';

interface Op {
  readonly method: string;
  readonly path: string;
  readonly segments: readonly Segment[];
  readonly query: readonly { name: string; schema: Schema }[];
  readonly body: Schema | undefined;
  /** The key of the array in a 200 collection body, if this is a list. */
  readonly collectionKey: string | undefined;
}

const COLLECTION_KIND: Record<string, Kind> = {
  vpcs: 'vpc',
  subnets: 'subnet',
  vpn_gateways: 'gateway',
  connections: 'connection',
  ike_policies: 'ike',
  ipsec_policies: 'ipsec',
};
const KIND_COLLECTION: Partial<Record<Kind, string>> = {
  vpc: 'vpcs',
  subnet: 'subnets',
  gateway: 'vpn_gateways',
  ike: 'ike_policies',
  ipsec: 'ipsec_policies',
};
/** A body field whose {id|href|crn} refers to a resource of this kind. */
const FIELD_KIND: Record<string, Kind> = { vpc: 'vpc', subnet: 'subnet', ike_policy: 'ike', ipsec_policy: 'ipsec', resource_group: 'rg' };

function readOps(doc: { paths: Record<string, Record<string, Schema>> }): Op[] {
  const ops: Op[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/v1/')) continue;
    const side: CidrSide = path.includes('/local') ? 'local' : path.includes('/peer') ? 'peer' : 'advertised';
    const parts = path.split('/').filter((s) => s.length > 0);
    const segments: Segment[] = parts.map((p, i) => {
      const m = /^\{(.+)\}$/.exec(p);
      if (!m) return { lit: p };
      const name = m[1]!;
      const prev = parts[i - 1] ?? '';
      const kind: ParamKind = name === 'cidr' || name === 'prefix' || name === 'len' ? name : (COLLECTION_KIND[prev] ?? 'any');
      return { param: name, kind, side };
    });
    for (const [method, op] of Object.entries(methods)) {
      const params = (op['parameters'] ?? []) as { in: string; name: string; schema: Schema }[];
      const content = ((op['requestBody'] as Schema | undefined)?.['content'] ?? {}) as Record<string, { schema?: Schema }>;
      const ok = ((op['responses'] as Schema | undefined)?.['200'] as Schema | undefined)?.['content'] as Record<string, { schema?: Schema }> | undefined;
      const okSchema = ok ? Object.values(ok)[0]?.schema : undefined;
      const props = (okSchema?.['properties'] ?? {}) as Record<string, Schema>;
      const collectionKey = 'first' in props ? Object.keys(props).find((k) => props[k]?.['type'] === 'array') : undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        segments,
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: Object.values(content)[0]?.schema,
        collectionKey,
      });
    }
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------
// the request model (plain data, so fast-check can print and shrink it)

/** A value for a path or query slot: a real id resolved when sent, text to percent-encode, or raw URL text. */
type Slot = { readonly real: string } | { readonly enc: string } | { readonly raw: string };
type Auth = { readonly kind: 'admin' } | { readonly kind: 'none' } | { readonly kind: 'other' } | { readonly kind: 'garbage'; readonly header: string };
type Body = { readonly json: unknown; readonly ct: string | null; readonly variant?: 0 | 1 } | { readonly text: string; readonly ct: string | null };

interface Req {
  readonly method: string;
  /** Path as literal segments and slots; `path` for routes outside the route table. */
  readonly path: readonly Slot[];
  readonly query: readonly (readonly [string, Slot])[];
  readonly rawQuery: string;
  readonly auth: Auth;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Body | undefined;
  /** 0: the policy-mode fixture set, 1: the route-mode one. */
  readonly variant: 0 | 1;
  readonly op: string;
  /** Set for URL-level junk: the router refuses such a URL before authentication, so 400 is fine there too. */
  readonly urlJunk?: boolean;
}

// ---------------------------------------------------------------------------------------------
// value pools

const enc = (s: string): Slot => ({ enc: s });
const raw = (s: string): Slot => ({ raw: s });
const real = (k: string): Slot => ({ real: k });

const BIG = 'A'.repeat(70_000);
const TOO_LARGE_BODY = `{"name":"${'A'.repeat(1024 * 1024 + 16)}"}`;

/** Raw (not percent-encoded) but well-formed junk for a path segment; none contains '?' or '#'. */
const RAW_PATH_JUNK = [
  '%00',
  '%2F',
  '%2f',
  '%2e%2e',
  '%2E',
  '..',
  '.',
  '',
  '%20',
  'a%20b',
  ';x',
  '*',
  '~',
  '!',
  "'",
  '()',
  ',',
  '$',
  '+',
  '=',
  '@',
  ':',
  'a/b',
  '%25',
  '%23',
  '%3F',
  '%2525',
  '%EF%BF%BF',
  '%F0%9F%98%80',
  'x'.repeat(500),
] as const;
/**
 * URL-level junk: percent-escapes that do not decode (the router's FST_ERR_BAD_URL) and parameters
 * longer than the router's maxParamLength (500). Fuzzed by a property of its own, so a bug here does
 * not hide everything else.
 */
const BAD_URL_SEGMENTS = ['%', '%zz', '%0', '%E2%82', '%C0%AF', '%FF', '%ED%A0%80', '%u0041', '%%', 'a%', '%%32%30'] as const;
const MAX_PARAM = 500;
const OVERLONG = [501, 2000, 20_000] as const;
const wellFormed = (s: string): boolean => {
  try {
    return decodeURIComponent(s).length >= 0 && s.length <= MAX_PARAM;
  } catch {
    return false;
  }
};

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'undefined',
    'true',
    '0',
    '-1',
    'NaN',
    '[]',
    '{}',
    '\u0000',
    '😀',
    'Ω≈ç√',
    '../../etc/passwd',
    "' OR 1=1 --",
    '<script>',
    '${x}',
    '%s%s%n',
  ),
  fc.constantFrom(499, 500, 4096).map((n) => 'z'.repeat(n)),
);

const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '00000000000000000000000000000000',
    '0000000-0000-0000-0000-000000000000',
    'g0000000-0000-0000-0000-000000000000',
  ),
);

const ipLike = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4Extended(),
  fc.constantFrom(
    '0.0.0.0',
    '255.255.255.255',
    '127.0.0.1',
    '203.0.113.9',
    '10.240.0.5',
    '::',
    '::1',
    '1.2.3',
    '01.02.03.04',
    '1.2.3.4.5',
    '999.1.1.1',
    '',
    'localhost',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '::ffff:1.2.3.4',
    'fe80::1%eth0',
    '0x7f.1',
    '4294967296',
  ),
);

const cidrLike = fc.oneof(
  fc.constantFrom(
    '10.0.0.0/8',
    '10.240.0.0/24',
    '192.168.1.0/24',
    '0.0.0.0/0',
    '10.0.0.1/24',
    '10.0.0.0/32',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '/24',
    '256.0.0.0/8',
    '1.2.3/24',
    '::/0',
    'fe80::/10',
    '2001:db8::/129',
    '10.0.0.0/24/24',
    '10.0.0.0 /24',
    '10.0.0.0/0024',
    '010.000.000.000/8',
    '10.0.0.0/8.5',
    'a.b.c.d/e',
    '1.2.3.4',
    '::ffff:10.0.0.0/104',
    '10.0.0.0/4294967296',
    '10.0.0.0/1e1',
    '10.0.0.0/99999999999999999999',
    '',
    '/',
  ),
  fc.tuple(fc.ipV4(), fc.integer({ min: -2, max: 40 })).map(([ip, l]) => `${ip}/${l}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 130 })).map(([ip, l]) => `${ip}/${l}`),
  fc.tuple(fc.ipV4Extended(), fc.nat(40)).map(([ip, l]) => `${ip}/${l}`),
);

const lenLike = fc.oneof(
  fc.integer({ min: -2, max: 140 }).map(String),
  fc.constantFrom('', 'abc', '024', '2.5', '1e1', '0x10', '99999999999999999999', '-0', '+24', ' 24', 'NaN'),
);

const PSK_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-+&!@#$%^*().,:';
const pskLike = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...PSK_CHARS.split('')), minLength: 6, maxLength: 128 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'lkj14b1oi0alcniejkso',
      'short',
      '0xabcdef12',
      '0sabcdef12',
      'has space here',
      'ünïcödé-psk',
      'x'.repeat(128),
      'x'.repeat(129),
      'x'.repeat(1024),
      'x'.repeat(1025),
    ),
  },
  { weight: 1, arbitrary: junkString },
);

const nameLike = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][-a-z0-9]{0,20}[a-z0-9]$/) },
  { weight: 1, arbitrary: fc.constantFrom('a', '-a', 'a-', '0', '0a', 'a'.repeat(63), 'a'.repeat(64), 'UPPER', 'with space', 'ünï', 'fuzz-name', 'default') },
  { weight: 1, arbitrary: junkString },
);

const fqdnLike = fc.oneof(fc.domain(), fc.constantFrom('vpn.example.com', 'a', '-bad-.com', 'x'.repeat(256), 'a..b', '.', 'exa_mple.com'), junkString, ipLike);

const ASN_EDGES = [0, 1, 23456, 64512, 64520, 65534, 65535, 65536, 4294967294, 4294967295, 4294967296, 2 ** 53 - 1];

/** A JSON-encodable junk value: wrong types, extremes, huge and deeply nested things. */
const DEEP_MARK = (n: number, open: '[' | '{'): string => `@@deep:${n}:${open === '[' ? 'a' : 'o'}@@`;
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.0001,
    1e308,
    -1e308,
    2 ** 53 + 2,
    -(2 ** 63),
    '',
    ' ',
    'x',
    '😀',
    '\u0000',
    [],
    {},
    [null],
    { '': null },
    'null',
    'true',
    '1',
    '2',
    '-1',
  ),
  fc.constantFrom(BIG, 'x'.repeat(256), 'x'.repeat(2049)),
  fc.constantFrom(64, 1000, 20_000).chain((n) => fc.constantFrom(DEEP_MARK(n, '['), DEEP_MARK(n, '{'))),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

// ---------------------------------------------------------------------------------------------
// bodies generated from the route's body schema

const asArray = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** Enumerated values of a schema (enum / const / anyOf of literals), if it is one. */
function literals(s: Schema): unknown[] | undefined {
  if (Array.isArray(s['enum'])) return s['enum'] as unknown[];
  if ('const' in s) return [s['const']];
  const alts = (s['anyOf'] ?? s['oneOf']) as Schema[] | undefined;
  if (Array.isArray(alts)) {
    const all = alts.map(literals);
    if (all.every((x) => x !== undefined)) return all.flat() as unknown[];
  }
  return undefined;
}

function stringFor(field: string, parent: string, s: Schema): fc.Arbitrary<string> {
  const kind = FIELD_KIND[parent];
  if (field === 'id' && kind)
    return fc.oneof(
      { weight: 5, arbitrary: fc.constant(`@@${kind}@@`) },
      { weight: 1, arbitrary: fc.constant(`@@${kind}_hex@@`) },
      { weight: 2, arbitrary: uuidLike },
      { weight: 1, arbitrary: junkString },
    );
  if (field === 'href') {
    const col = kind ? KIND_COLLECTION[kind] : undefined;
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant(col ? `http://127.0.0.1:0/v1/${col}/@@${kind}@@` : 'http://127.0.0.1:0/v1/x') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'http://x/',
          '/v1/subnets/',
          'http://h/v1/vpcs/@@vpc@@',
          'http://h/v1/ike_policies/@@ike@@/',
          'http://h/v1/subnets/@@subnet@@?x#y',
          'not a url',
          'x'.repeat(2049),
        ),
      },
      { weight: 1, arbitrary: uuidLike.map((u) => `https://h/v1/${col ?? 'x'}/${u}`) },
      { weight: 1, arbitrary: junkString },
    );
  }
  if (field === 'crn') {
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(`crn:v1:causeway:private:is:lab:a/0::${parent}:@@${kind ?? 'any'}@@`) },
      { weight: 1, arbitrary: fc.constantFrom('crn:', ':', 'crn:v1:x::subnet:', 'x'.repeat(513)) },
      { weight: 1, arbitrary: uuidLike.map((u) => `crn:v1:x:::${u}`) },
      { weight: 1, arbitrary: junkString },
    );
  }
  if (field === 'psk') return pskLike;
  if (field === 'name' && parent === 'zone') return fc.oneof(fc.constantFrom('lab-1', 'lab-2', '', 'LAB-1'), junkString);
  if (field === 'name') return nameLike;
  if (field === 'address' || field === 'peer_address') return fc.oneof({ weight: 3, arbitrary: ipLike }, { weight: 1, arbitrary: fqdnLike });
  if (field === 'fqdn' || field === 'value') return fqdnLike;
  if (/cidr/.test(field) || /cidr/.test(parent)) return cidrLike;
  const min = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  const max = typeof s['maxLength'] === 'number' ? Math.min(s['maxLength'], 80) : 40;
  const pattern = typeof s['pattern'] === 'string' ? s['pattern'] : undefined;
  return fc.oneof(
    {
      weight: 3,
      arbitrary: pattern
        ? fc.stringMatching(new RegExp(pattern)).filter((x) => x.length >= min && x.length <= max)
        : fc.string({ minLength: min, maxLength: max }),
    },
    { weight: 1, arbitrary: junkString },
  );
}

function integerFor(field: string, s: Schema): fc.Arbitrary<number> {
  const lo = typeof s['minimum'] === 'number' ? s['minimum'] : undefined;
  const hi = typeof s['maximum'] === 'number' ? s['maximum'] : undefined;
  const inRange = fc.integer({ min: lo ?? -(2 ** 31), max: hi ?? 2 ** 31 });
  const edges = [lo, hi, ...(field.includes('asn') ? ASN_EDGES : [])].filter(
    (x): x is number => x !== undefined && (lo === undefined || x >= lo) && (hi === undefined || x <= hi),
  );
  return edges.length > 0 ? fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 2, arbitrary: fc.constantFrom(...edges) }) : inRange;
}

/** Values that break the schema on purpose, specific to it where possible. */
function corruptFor(s: Schema): fc.Arbitrary<unknown> {
  const specific: fc.Arbitrary<unknown>[] = [];
  const lits = literals(s);
  if (lits) {
    specific.push(fc.constantFrom(...lits).map((v) => (typeof v === 'string' ? v.toUpperCase() : typeof v === 'number' ? v + 1 : v)));
    specific.push(fc.constantFrom(...lits).map((v) => (typeof v === 'string' ? ` ${v}` : String(v))));
  }
  if (s['type'] === 'integer' || s['type'] === 'number') {
    const lo = s['minimum'] as number | undefined;
    const hi = s['maximum'] as number | undefined;
    specific.push(fc.constantFrom(...[lo !== undefined ? lo - 1 : -1, hi !== undefined ? hi + 1 : 2 ** 53, (lo ?? 0) + 0.5, String(lo ?? 1)]));
  }
  if (s['type'] === 'string' && typeof s['maxLength'] === 'number') specific.push(fc.constant('a'.repeat(s['maxLength'] + 1)));
  if (s['type'] === 'string' && typeof s['minLength'] === 'number' && s['minLength'] > 0) specific.push(fc.constant(''));
  if (s['type'] === 'array') {
    const item = (s['items'] ?? {}) as Schema;
    const n = typeof s['maxItems'] === 'number' ? s['maxItems'] + 1 : 600;
    specific.push(valueFor(item, 'item', '', 2, false).map((v) => Array.from({ length: n }, () => v)));
    if (s['uniqueItems']) specific.push(valueFor(item, 'item', '', 2, false).map((v) => [v, v]));
    if (typeof s['minItems'] === 'number' && s['minItems'] > 0) specific.push(fc.constant([]));
  }
  if (s['type'] === 'object') {
    specific.push(fc.constant({ unknown_field: 1 }));
    specific.push(valueFor(s, '', '', 2, false).map((o) => ({ ...(o as object), ['__proto__']: { polluted: true } })));
  }
  return specific.length > 0 ? fc.oneof({ weight: 2, arbitrary: wrongValue }, { weight: 3, arbitrary: fc.oneof(...specific) }) : wrongValue;
}

/**
 * A value shaped like `s`. With `corrupt`, each node is replaced by a wrong value now and then, so
 * most bodies fail in one place only and reach code past the first check.
 */
function valueFor(s: Schema, field: string, parent: string, depth: number, corrupt: boolean): fc.Arbitrary<unknown> {
  const good = validFor(s, field, parent, depth, corrupt);
  return corrupt ? fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: corruptFor(s) }) : good;
}

function validFor(s: Schema, field: string, parent: string, depth: number, corrupt: boolean): fc.Arbitrary<unknown> {
  const lits = literals(s);
  if (lits && lits.length > 0) return fc.constantFrom(...lits);
  const alts = (s['anyOf'] ?? s['oneOf']) as Schema[] | undefined;
  if (Array.isArray(alts) && alts.length > 0) return fc.oneof(...alts.map((a) => validFor(a, field, parent, depth, corrupt)));
  if (depth > 5) return fc.constant(null);
  switch (s['type']) {
    case 'object': {
      const props = (s['properties'] ?? {}) as Record<string, Schema>;
      const required = new Set(asArray<string>(s['required']));
      const keys = Object.keys(props);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const k of keys) model[k] = valueFor(props[k]!, k, field, depth + 1, corrupt);
      const optional = keys.filter((k) => !required.has(k));
      // Few optional keys at a time: whole-schema bodies mostly trip over mutually exclusive fields.
      return fc
        .tuple(
          fc.record(model),
          fc.subarray(optional, { maxLength: Math.min(4, optional.length) }),
          corrupt ? fc.subarray([...required], { maxLength: Math.min(1, required.size) }) : fc.constant([] as string[]),
        )
        .map(([all, opt, drop]) => {
          const out: Record<string, unknown> = {};
          for (const k of keys) if ((required.has(k) && !drop.includes(k)) || opt.includes(k)) out[k] = all[k];
          return out;
        });
    }
    case 'array': {
      const item = (s['items'] ?? {}) as Schema;
      const minLength = typeof s['minItems'] === 'number' ? s['minItems'] : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s['maxItems'] === 'number' ? s['maxItems'] : 4, 4));
      const itemArb = valueFor(item, field, parent, depth + 1, corrupt);
      return s['uniqueItems'] && !corrupt
        ? fc.uniqueArray(itemArb, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(itemArb, { minLength, maxLength });
    }
    case 'string':
      return stringFor(field, parent, s);
    case 'integer':
      return integerFor(field, s);
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every property name anywhere in a schema. */
function fieldNames(s: Schema | undefined, out = new Set<string>(), depth = 0): Set<string> {
  if (!s || depth > 6) return out;
  for (const [k, v] of Object.entries((s['properties'] ?? {}) as Record<string, Schema>)) {
    out.add(k);
    fieldNames(v, out, depth + 1);
  }
  if (s['items']) fieldNames(s['items'] as Schema, out, depth + 1);
  for (const a of asArray<Schema>(s['anyOf'] ?? s['oneOf'])) fieldNames(a, out, depth + 1);
  return out;
}

const CONTENT_TYPES = [
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16le',
  'APPLICATION/JSON',
  '',
  'application/octet-stream',
  ';;;',
  'application/json; charset="',
  '*/*',
  'text/html; q=0.5',
  'application/json, text/plain',
  'json',
] as const;
const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const MALFORMED_JSON = [
  '{',
  '}',
  '[',
  ']',
  '{"a":',
  '{"a" 1}',
  "{'a':1}",
  'nul',
  'tru',
  'undefined',
  'NaN',
  'Infinity',
  '-',
  '01',
  '1.',
  '.5',
  '"unterminated',
  '{"a":1,}',
  '[1,2,]',
  '{"a":1}{"b":2}',
  '\uFEFF{}',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '{"name":"\\u0000"}',
  ' ',
  '\n\t ',
  '{}garbage',
  '<xml/>',
  'a=b&c=d',
  '{"a":1e999}',
  '1e999',
  `{"psk":${'9'.repeat(400)}}`,
  `{"name":"a","name":"b"}`,
  '{"name":"a"}\u0000',
  '{"\\u005f_proto__":{}}',
  '[{"__proto__":1}]',
  'null',
  '""',
  '0',
  'true',
  '[]',
  '{}',
] as const;

const malformedText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MALFORMED_JSON) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, n]) => {
      const s = JSON.stringify(v) ?? '';
      return s.slice(0, n % (s.length + 1));
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(1000, 10_000, 200_000)
      .chain((n) => fc.constantFrom('['.repeat(n) + ']'.repeat(n), '{"a":'.repeat(n) + '1' + '}'.repeat(n), '['.repeat(n))),
  },
  { weight: 1, arbitrary: fc.constant(TOO_LARGE_BODY) },
);

/**
 * Known-good bodies for some routes (placeholders are resolved when sent). Mutated one or two fields
 * at a time, they reach the code behind schema validation. Optional: a route without seeds is still
 * fuzzed from its schema.
 */
const VARIANT = '__fuzz_variant';
const SEEDS: Record<string, Record<string, unknown>[]> = {
  'POST /v1/vpcs': [{}, { name: 'fuzz-vpc' }, { resource_group: { id: '@@rg@@' } }],
  'POST /v1/subnets': [
    { vpc: { id: '@@vpc@@' }, ipv4_cidr_block: '10.250.0.0/24' },
    { vpc: { href: 'http://h/v1/vpcs/@@vpc@@' }, ipv4_cidr_block: '10.251.0.0/28', zone: { name: 'lab-1' } },
  ],
  'POST /v1/vpn_gateways': [
    { subnet: { id: '@@subnet@@' }, mode: 'policy' },
    { subnet: { id: '@@subnet@@' }, mode: 'route', local_asn: 65010, advertised_cidrs: ['172.31.0.0/16'] },
    { subnet: { crn: 'crn:v1:x:::subnet:@@subnet@@' } },
  ],
  'POST /v1/vpn_gateways/{gw}/connections': [
    // policy mode (variant 0)
    { psk: 'lkj14b1oi0alcniejkso', local: { cidrs: ['10.9.0.0/24'] }, peer: { address: '203.0.113.20', cidrs: ['192.168.99.0/24'] } },
    {
      psk: 'lkj14b1oi0alcniejkso',
      local: { cidrs: ['10.9.1.0/24'], ike_identities: [{ type: 'key_id', value: 'a2V5MQ==' }] },
      peer: { fqdn: 'peer.example.com', cidrs: ['192.168.97.0/24'], ike_identity: { type: 'fqdn', value: 'peer.example.com' } },
    },
    {
      psk: 'lkj14b1oi0alcniejkso',
      local: { cidrs: ['10.9.2.0/24'] },
      peer: { address: '203.0.113.23', cidrs: ['192.168.96.0/24'] },
      ike_policy: { id: '@@ike@@' },
      ipsec_policy: { href: 'http://h/v1/ipsec_policies/@@ipsec@@' },
      dead_peer_detection: { action: 'hold', interval: 5, timeout: 30 },
    },
    { psk: 'lkj14b1oi0alcniejkso', peer_address: '203.0.113.22', local_cidrs: ['10.8.0.0/24'], peer_cidrs: ['192.168.98.0/24'] },
    // route mode: sent to the route-mode fixture (variant 1)
    { [VARIANT]: 1, psk: 'lkj14b1oi0alcniejkso', peer: { address: '203.0.113.24' } },
    {
      [VARIANT]: 1,
      psk: 'lkj14b1oi0alcniejkso',
      peer: { address: '203.0.113.25', asn: 65001 },
      routing_protocol: 'bgp',
      tunnels: [
        { neighbor_ip: { address: '169.254.0.1' }, tunnel_interface_ip: { address: '169.254.0.2' } },
        { neighbor_ip: { address: '169.254.0.5' }, tunnel_interface_ip: { address: '169.254.0.6' } },
      ],
    },
    {
      [VARIANT]: 1,
      psk: 'lkj14b1oi0alcniejkso',
      peer: { fqdn: 'bgp.example.com' },
      distribute_traffic: true,
      establish_mode: 'peer_only',
      admin_state_up: false,
    },
  ],
  'PATCH /v1/vpn_gateways/{gw}/connections/{id}': [
    { admin_state_up: false },
    { peer: { address: '203.0.113.30' } },
    { peer: { fqdn: 'p.example.com' } },
    { ike_policy: null, ipsec_policy: null },
    { ike_policy: { id: '@@ike@@' } },
    { local: { ike_identities: [{ type: 'fqdn', value: 'me.example.com' }] } },
    { peer_address: '203.0.113.31' },
    { psk: 'newpsk-123456' },
    { [VARIANT]: 1, tunnels: [{ neighbor_ip: { address: '169.254.1.1' } }] },
    { [VARIANT]: 1, routing_protocol: 'bgp' },
    { [VARIANT]: 1, distribute_traffic: true },
  ],
  'POST /v1/vpcs/{vpc}/routing_tables': [
    {},
    { name: 'fuzz-rt' },
    { [VARIANT]: 1, routes: [{ zone: { name: 'lab-1' }, destination: '10.77.0.0/16', next_hop: { id: '@@connection@@' }, priority: 1 }] },
    { routes: [{ zone: { name: 'lab-1' }, destination: '10.78.0.0/16', action: 'drop' }] },
  ],
  'POST /v1/ike_policies': [
    { authentication_algorithm: 'sha256', dh_group: 14, encryption_algorithm: 'aes256', ike_version: 2 },
    { authentication_algorithms: ['sha256', 'sha384'], dh_groups: [14, 19], encryption_algorithms: ['aes128', 'aes256'], ike_version: 2, key_lifetime: 3600 },
    { authentication_algorithm: 'md5', dh_group: 2, encryption_algorithm: 'triple_des', ike_version: 1, resource_group: { id: '@@rg@@' } },
  ],
  'POST /v1/ipsec_policies': [
    { authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', pfs: 'group_14' },
    { authentication_algorithms: ['disabled'], encryption_algorithms: ['aes128gcm16', 'aes256gcm16'], pfs_groups: ['group_19', 'disabled'], key_lifetime: 300 },
  ],
};

/** A seed body with up to two top-level fields changed, dropped or added (and the fixture set it suits). */
function seededArb(op: Op): fc.Arbitrary<{ json: unknown; variant: 0 | 1 | undefined }> | undefined {
  const seeds = SEEDS[`${op.method} ${op.path}`];
  const props = (op.body?.['properties'] ?? {}) as Record<string, Schema>;
  const keys = Object.keys(props);
  if (!seeds || seeds.length === 0 || keys.length === 0) return undefined;
  const DROP = Symbol('drop');
  const edit = fc.oneof(
    ...keys.map((k) =>
      fc.tuple(
        fc.constant(k),
        fc.oneof(
          { weight: 3, arbitrary: valueFor(props[k]!, k, '', 1, false) },
          { weight: 2, arbitrary: corruptFor(props[k]!) },
          { weight: 1, arbitrary: fc.constant<unknown>(DROP) },
        ),
      ),
    ),
  );
  const edits = fc.oneof(
    { weight: 2, arbitrary: fc.constant([] as [string, unknown][]) },
    { weight: 3, arbitrary: fc.array(edit, { minLength: 1, maxLength: 2 }) },
  );
  return fc.tuple(fc.constantFrom(...seeds), edits).map(([seed, edits]) => {
    const { [VARIANT]: variant, ...out } = seed;
    for (const [k, v] of edits) {
      if (v === DROP) delete out[k];
      else out[k] = v;
    }
    return { json: out, variant: variant === 1 ? 1 : variant === 0 ? 0 : undefined };
  });
}

function bodyArb(op: Op): fc.Arbitrary<Body | undefined> {
  const json = (ct: fc.Arbitrary<string | null>) => (v: fc.Arbitrary<unknown>) => fc.tuple(v, ct).map(([j, c]): Body => ({ json: j, ct: c }));
  const asJson = json(contentType);
  const asText = (v: fc.Arbitrary<string>) => fc.tuple(v, contentType).map(([text, ct]): Body => ({ text, ct }));
  if (!op.body) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: asJson(fc.jsonValue({ maxDepth: 3 })) },
      { weight: 1, arbitrary: asText(malformedText) },
    );
  }
  const names = [...fieldNames(op.body)];
  const soup = fc.array(fc.tuple(fc.constantFrom(...(names.length > 0 ? names : ['x'])), wrongValue), { maxLength: 6 }).map((kv) => Object.fromEntries(kv));
  const seeded = seededArb(op);
  return fc.oneof(
    ...(seeded
      ? [
          {
            weight: 14,
            arbitrary: fc.tuple(seeded, contentType).map(([b, ct]): Body => ({ json: b.json, ct, ...(b.variant !== undefined ? { variant: b.variant } : {}) })),
          },
        ]
      : []),
    { weight: 6, arbitrary: asJson(valueFor(op.body, '', '', 0, false)) },
    { weight: 6, arbitrary: asJson(valueFor(op.body, '', '', 0, true)) },
    { weight: 2, arbitrary: asJson(soup) },
    { weight: 2, arbitrary: asJson(fc.jsonValue({ maxDepth: 4 })) },
    { weight: 2, arbitrary: asText(malformedText) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

// ---------------------------------------------------------------------------------------------
// path, query, headers

function slotFor(seg: Extract<Segment, { param: string }>): fc.Arbitrary<Slot> {
  const junk = fc.oneof(junkString.filter((x) => wellFormed(encodeURIComponent(x))).map(enc), fc.constantFrom(...RAW_PATH_JUNK).map(raw), uuidLike.map(enc));
  switch (seg.kind) {
    case 'cidr':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant(real(`cidr_${seg.side}`)) },
        { weight: 4, arbitrary: cidrLike.map(enc) },
        { weight: 1, arbitrary: cidrLike.filter((c) => !/\s/.test(c)).map(raw) },
        { weight: 1, arbitrary: junk },
      );
    case 'prefix':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant(real(`prefix_${seg.side}`)) },
        { weight: 3, arbitrary: ipLike.map(enc) },
        { weight: 1, arbitrary: junk },
      );
    case 'len':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant(real(`len_${seg.side}`)) },
        { weight: 3, arbitrary: lenLike.map(enc) },
        { weight: 1, arbitrary: junk },
      );
    default: {
      const k = seg.kind;
      const others = (['vpc', 'subnet', 'gateway', 'connection', 'ike', 'ipsec'] as const).filter((x) => x !== k);
      return fc.oneof(
        { weight: 10, arbitrary: fc.constant(real(k)) },
        { weight: 1, arbitrary: fc.constant(real(`${k}_hex`)) },
        { weight: 1, arbitrary: fc.constantFrom(...others).map(real) },
        { weight: 2, arbitrary: uuidLike.map(enc) },
        { weight: 3, arbitrary: junk },
      );
    }
  }
}

const versionSlot: fc.Arbitrary<Slot | null> = fc.oneof(
  { weight: 20, arbitrary: fc.constant(enc(VERSION)) },
  { weight: 3, arbitrary: fc.constant(enc(LEGACY_VERSION)) },
  { weight: 1, arbitrary: fc.constantFrom('2024-04-30', '2024-04-29', '2019-11-05', '2023-10-09', '2023-10-10').map(enc) },
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        '',
        'abc',
        '2026-13-45',
        '2026-02-30',
        '2025-02-29',
        '2999-01-01',
        '9999-12-31',
        '2019-11-04',
        '1970-01-01',
        '0000-00-00',
        '2026-6-2',
        '20260602',
        '2026-06-02T00:00:00Z',
        ' 2026-06-02',
        '2026-06-02 ',
        'null',
        '-1',
        '１９７０-01-01',
        '2026-06-02\n',
        '+2026-06-02',
        '2026-06-02&version=x',
      )
      .map(enc),
  },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => enc(d.toISOString().slice(0, 10))),
  },
  { weight: 1, arbitrary: junkString.map(enc) },
);

const generationSlot: fc.Arbitrary<Slot | null> = fc.oneof(
  { weight: 10, arbitrary: fc.constant(enc('2')) },
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom('1', '3', 'abc', '', '2.0', '02', ' 2', '2e0', '-2', '99999999999999999999', 'true').map(enc) },
);

const limitSlot: fc.Arbitrary<Slot> = fc.oneof(
  fc.constantFrom('0', '-1', '101', 'abc', '50', '1', '100', '', '1.5', '1e2', '0x10', '9999999999999999999999', ' 5', '2').map(enc),
  fc.integer({ min: -5, max: 200 }).map((n) => enc(String(n))),
);

const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const startSlot: fc.Arbitrary<Slot> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => enc(b64url(JSON.stringify(v) ?? 'null'))),
  fc
    .tuple(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 10 })), uuidLike)
    .map(([a, b]) => enc(b64url(JSON.stringify([a, b])))),
  fc.tuple(fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 })).map(([a, b]) => enc(b64url(JSON.stringify([a, b])))),
  fc.base64String({ maxLength: 60 }).map(enc),
  junkString.map(enc),
  fc.constantFrom('', '=', '====', 'W10', 'WzEsMl0', 'x'.repeat(513), b64url(`[${'9'.repeat(400)},"x"]`), b64url('[1e308,"x"]'), b64url('[-0,""]')).map(enc),
);

function querySlot(name: string, s: Schema): fc.Arbitrary<Slot | null> {
  if (name === 'version') return versionSlot;
  if (name === 'generation') return generationSlot;
  const absent = fc.constant(null);
  let present: fc.Arbitrary<Slot>;
  if (name === 'limit') present = limitSlot;
  else if (name === 'start') present = startSlot;
  else {
    const lits = literals(s);
    const kind = FIELD_KIND[name.split('.')[0] ?? ''];
    present = fc.oneof(
      ...(lits ? [fc.constantFrom(...lits).map((v) => enc(String(v))), fc.constantFrom(...lits).map((v) => enc(String(v).toUpperCase()))] : []),
      ...(kind ? [fc.constant(real(kind)), fc.constant(real(`${kind}_hex`))] : []),
      uuidLike.map(enc),
      junkString.map(enc),
    );
  }
  return fc.oneof({ weight: 3, arbitrary: absent }, { weight: 2, arbitrary: present });
}

const EXTRA_QUERY_KEYS = [
  'version',
  'generation',
  'limit',
  'start',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'a[b]',
  'resource_group.id',
  'vpc.id',
  'sort',
  'mode',
  'status',
  '',
] as const;
const extraQuery = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom(...EXTRA_QUERY_KEYS), fc.string({ maxLength: 10 })),
    fc.oneof(junkString.map(enc), fc.constantFrom(...RAW_PATH_JUNK, ...BAD_URL_SEGMENTS).map(raw)),
  ),
  { maxLength: 3 },
);
const rawQueryJunk = fc.oneof(
  { weight: 10, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '&',
      '&&',
      '=',
      '&=',
      'a=b=c',
      '%',
      '%zz=1',
      'version',
      'version=',
      '&version[]=2026-06-02',
      '&limit=1&limit=2',
      '&version=2026-06-02&version=2024-01-01',
      '+',
      `&x=${'y'.repeat(5000)}`,
    ),
  },
);

function queryArb(op: Op): fc.Arbitrary<{ pairs: (readonly [string, Slot])[]; rawQuery: string }> {
  const names =
    op.query.length > 0
      ? op.query
      : [
          { name: 'version', schema: {} },
          { name: 'generation', schema: {} },
        ];
  return fc
    .tuple(
      fc.tuple(...names.map((q) => querySlot(q.name, q.schema))),
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extraQuery }),
      rawQueryJunk,
    )
    .map(([vals, extra, rq]) => {
      const pairs: (readonly [string, Slot])[] = [];
      names.forEach((q, i) => {
        const v = vals[i];
        if (v) pairs.push([q.name, v] as const);
      });
      return { pairs: [...pairs, ...extra], rawQuery: rq };
    });
}

const GARBAGE_AUTH = [
  'Bearer',
  'Bearer ',
  'Bearer garbage',
  'bearer x.y.z',
  'Basic dXNlcjpwYXNz',
  'Bearer a.b.c',
  '',
  ' ',
  'Bearer @@tampered@@',
  'Bearer @@admin_token@@x',
  '@@admin_token@@.x',
  'Token @@admin_token@@',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.AAAA',
  `Bearer ${'A'.repeat(5000)}.b.c`,
  'Bearer Bearer x.y.z',
] as const;
const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 20, arbitrary: fc.constant({ kind: 'admin' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'none' } as const) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom(...GARBAGE_AUTH),
        fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => `Bearer ${s}`),
      )
      .map((header) => ({ kind: 'garbage', header }) as const),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'other' } as const) },
);

const IF_MATCH = ['*', 'W/"r1"', '"r1"', 'W/"r2"', 'W/"r999999999999"', 'W/"r9999999999999"', 'W/"r-1"', 'junk', '', 'W/""', '"r1", "r2"', 'W/"r1.5"'] as const;
const headersArb = (op: Op): fc.Arbitrary<Record<string, string>> =>
  fc
    .record(
      {
        'if-match': fc.constantFrom(...IF_MATCH),
        accept: fc.constantFrom('text/html', 'application/xml', '*/*', 'application/json;q=0', ''),
        'accept-language': fc.constantFrom('fr', 'zz', ''),
        'x-request-id': fc.constantFrom('client-supplied', ''),
        'content-length': fc.constantFrom('1', '0', '99999999', '-1', 'abc'),
      },
      { requiredKeys: [] },
    )
    .map((h) => {
      const out: Record<string, string> = { ...h };
      if (!['PATCH', 'DELETE'].includes(op.method)) delete out['if-match'];
      return out;
    })
    .chain((h) => fc.oneof({ weight: 8, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constant(h) }));

function reqArb(op: Op, auth: fc.Arbitrary<Auth> = authArb): fc.Arbitrary<Req> {
  const params = op.segments.map((s) => ('param' in s ? slotFor(s) : fc.constant(raw(s.lit))));
  return fc
    .record({
      path: fc.tuple(...params),
      query: queryArb(op),
      auth,
      headers: headersArb(op),
      body: bodyArb(op),
      variant: fc.constantFrom(0 as const, 1 as const),
    })
    .map((r) => ({
      method: op.method,
      path: r.path,
      query: r.query.pairs,
      rawQuery: r.query.rawQuery,
      auth: r.auth,
      headers: r.headers,
      body: r.body,
      // A seed body written for one gateway mode goes to that fixture set.
      variant: r.body && 'variant' in r.body && r.body.variant !== undefined ? r.body.variant : r.variant,
      op: `${op.method} ${op.path}`,
    }));
}

/** Paths no route has, and methods a known path does not take. */
function strayArb(ops: readonly Op[]): fc.Arbitrary<Req> {
  const words = [...new Set(ops.flatMap((o) => o.segments.flatMap((s) => ('lit' in s ? [s.lit] : []))))];
  const seg = fc.oneof(
    fc.constantFrom(...words).map(raw),
    junkString.filter((x) => wellFormed(encodeURIComponent(x))).map(enc),
    fc.constantFrom(...RAW_PATH_JUNK).map(raw),
    uuidLike.map(enc),
    fc.constantFrom('vpc', 'subnet', 'gateway', 'connection').map(real),
  );
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
  const unknownPath = fc.tuple(fc.array(seg, { minLength: 0, maxLength: 7 }), fc.constantFrom(...methods));
  const byPath = new Map<string, Op[]>();
  for (const o of ops) byPath.set(o.path, [...(byPath.get(o.path) ?? []), o]);
  const wrongMethod = fc.constantFrom(...byPath.values()).chain((group) => {
    const taken = new Set(group.map((g) => g.method));
    const free = methods.filter((m) => !taken.has(m));
    return fc.tuple(
      reqArb(group[0]!).map((r) => r.path),
      fc.constantFrom(...(free.length > 0 ? free : ['OPTIONS' as const])),
    );
  });
  return fc
    .record({
      pm: fc.oneof(
        unknownPath.map(([p, m]) => [[raw('v1'), ...p], m] as const),
        wrongMethod,
      ),
      query: queryArb({ method: 'GET', path: '', segments: [], query: [], body: undefined, collectionKey: undefined }),
      auth: authArb,
      body: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 2 }), contentType).map(([json, ct]): Body => ({ json, ct })) },
      ),
      variant: fc.constantFrom(0 as const, 1 as const),
    })
    .map((r) => ({
      method: r.pm[1],
      path: r.pm[0],
      query: r.query.pairs,
      rawQuery: r.query.rawQuery,
      auth: r.auth,
      headers: {},
      body: r.body,
      variant: r.variant,
      op: 'stray',
    }));
}

/** A request to a real route with one path segment replaced by URL-level junk. */
function badUrlArb(all: readonly Op[]): fc.Arbitrary<Req> {
  const bad = fc.oneof(
    fc.constantFrom(...BAD_URL_SEGMENTS).map(raw),
    fc.tuple(fc.constantFrom(...BAD_URL_SEGMENTS), fc.string({ maxLength: 6 })).map(([b, x]) => raw(`${encodeURIComponent(x)}${b}`)),
    fc.constantFrom(...OVERLONG).map((n) => raw('z'.repeat(n))),
    fc.constantFrom(...OVERLONG).map((n) => enc('é'.repeat(Math.ceil(n / 6)))),
  );
  return fc.tuple(fc.oneof({ withCrossShrink: true }, ...all.map((o) => reqArb(o))), fc.nat(), bad).map(([r, i, b]) => {
    const at = 1 + (i % Math.max(1, r.path.length - 1));
    return { ...r, urlJunk: true, path: r.path.map((s, j) => (j === at ? b : s)) };
  });
}

// ---------------------------------------------------------------------------------------------
// fixtures: live resources whose ids the fuzzer puts in paths and bodies

interface Variant {
  vpc: string;
  subnet: string;
  gateway: string;
  connection: string;
  local: string;
  peer: string;
  advertised: string;
}
interface Fixtures {
  variants: [Variant, Variant];
  ike: string;
  ipsec: string;
  rg: string;
}

let t: TestServer;
let otherToken: string;
let fx: Fixtures;
let ops: Op[] = [];
let dirty = false;
let counter = 0;
const adminIdsEver = new Set<string>();

function created(r: LightMyRequestResponse, what: string): { id: string } & Record<string, unknown> {
  if (r.statusCode !== 201) throw new Error(`fixture ${what}: ${r.statusCode} ${r.body}`);
  const b = r.json() as { id: string } & Record<string, unknown>;
  adminIdsEver.add(b.id);
  return b;
}

async function createPolicies(): Promise<{ ike: string; ipsec: string }> {
  const ike = created(
    await t.call('POST', '/v1/ike_policies', { body: { authentication_algorithm: 'sha256', dh_group: 14, encryption_algorithm: 'aes256', ike_version: 2 } }),
    'ike policy',
  );
  const ipsec = created(
    await t.call('POST', '/v1/ipsec_policies', { body: { authentication_algorithm: 'sha256', encryption_algorithm: 'aes256', pfs: 'group_14' } }),
    'ipsec policy',
  );
  return { ike: ike.id, ipsec: ipsec.id };
}

async function createConnection(mode: 'policy' | 'route', v: Omit<Variant, 'connection'>, ike: string, ipsec: string): Promise<string> {
  const body =
    mode === 'policy'
      ? policyConnection({
          local: { cidrs: [v.local] },
          peer: { address: '203.0.113.9', cidrs: [v.peer] },
          ike_policy: { id: ike },
          ipsec_policy: { id: ipsec },
        })
      : { psk: 'lkj14b1oi0alcniejkso', peer: { address: '203.0.113.10' } };
  return created(await t.call('POST', `/v1/vpn_gateways/${v.gateway}/connections`, { body }), `${mode} connection`).id;
}

async function createVariant(mode: 'policy' | 'route', ike: string, ipsec: string): Promise<Variant> {
  const n = ++counter;
  const local = `10.${100 + Math.floor(n / 250)}.${n % 250}.0/24`;
  // makeGateway() from the harness, step by step, so that a failed step says why.
  const vpc = created(await t.call('POST', '/v1/vpcs', { body: {} }), 'vpc').id;
  const subnet = created(await t.call('POST', '/v1/subnets', { body: { vpc: { id: vpc }, ipv4_cidr_block: local } }), 'subnet').id;
  const gateway = created(await t.call('POST', '/v1/vpn_gateways', { body: { subnet: { id: subnet }, mode } }), `${mode} gateway`).id;
  const advertised = `172.${16 + (n % 16)}.${n % 250}.0/24`;
  if (mode === 'route') {
    const r = await t.call('PUT', `/v1/vpn_gateways/${gateway}/advertised_cidrs/${encodeURIComponent(advertised)}`);
    if (r.statusCode !== 201) throw new Error(`fixture advertised cidr: ${r.statusCode} ${r.body}`);
  }
  const base = { vpc, subnet, gateway, local, peer: `192.168.${n % 250}.0/24`, advertised };
  return { ...base, connection: await createConnection(mode, base, ike, ipsec) };
}

async function alive(path: string): Promise<boolean> {
  const r = await t.call('GET', path);
  if (r.statusCode >= 500) throw new Error(`fixture check GET ${path}: ${r.statusCode} ${r.body}`);
  if (r.statusCode !== 200) return false;
  const s = (r.json() as { lifecycle_state?: string }).lifecycle_state;
  return s !== 'deleting' && s !== 'deleted' && s !== 'failed';
}

/** Re-creates whatever the fuzzer deleted (called only after a DELETE answered 2xx). */
async function ensureFixtures(): Promise<void> {
  if (!(await alive(`/v1/ike_policies/${fx.ike}`))) fx.ike = (await createPolicies()).ike;
  if (!(await alive(`/v1/ipsec_policies/${fx.ipsec}`))) fx.ipsec = (await createPolicies()).ipsec;
  for (const i of [0, 1] as const) {
    const v = fx.variants[i];
    const mode = i === 0 ? 'policy' : 'route';
    const whole = (await alive(`/v1/vpcs/${v.vpc}`)) && (await alive(`/v1/subnets/${v.subnet}`)) && (await alive(`/v1/vpn_gateways/${v.gateway}`));
    if (!whole) fx.variants[i] = await createVariant(mode, fx.ike, fx.ipsec);
    else if (!(await alive(`/v1/vpn_gateways/${v.gateway}/connections/${v.connection}`))) {
      // The fuzzer may have filled the gateway up (CIDRs, names); then start a fresh set.
      try {
        v.connection = await createConnection(mode, v, fx.ike, fx.ipsec);
      } catch {
        fx.variants[i] = await createVariant(mode, fx.ike, fx.ipsec);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// sending and checking

function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  if (!p || p.length < 4) return `${token}x`;
  const i = Math.floor(p.length / 2);
  const c = p[i] === 'A' ? 'B' : 'A';
  return `${h}.${p.slice(0, i)}${c}${p.slice(i + 1)}.${s}`;
}

function resolveReal(key: string, variant: 0 | 1): string {
  const v = fx.variants[variant];
  const hex = key.endsWith('_hex');
  const k = hex ? key.slice(0, -4) : key;
  const split = (c: string, part: 0 | 1): string => c.split('/')[part] ?? c;
  const table: Record<string, string> = {
    vpc: v.vpc,
    subnet: v.subnet,
    gateway: v.gateway,
    connection: v.connection,
    any: v.gateway,
    ike: fx.ike,
    ipsec: fx.ipsec,
    rg: fx.rg,
    cidr_local: v.local,
    cidr_peer: v.peer,
    cidr_advertised: v.advertised,
    prefix_local: split(v.local, 0),
    prefix_peer: split(v.peer, 0),
    prefix_advertised: split(v.advertised, 0),
    len_local: split(v.local, 1),
    len_peer: split(v.peer, 1),
    len_advertised: split(v.advertised, 1),
    admin_token: t.adminToken,
    tampered: tamper(t.adminToken),
  };
  const id = table[k];
  if (id === undefined) throw new Error(`no fixture for @@${key}@@`);
  return hex ? id.replace(/-/g, '').toUpperCase() : id;
}

const fillText = (s: string, variant: 0 | 1): string =>
  s
    .replace(/"@@deep:(\d+):([ao])@@"/g, (_m, n: string, k: string) => {
      const d = Number(n);
      return k === 'a' ? '['.repeat(d) + ']'.repeat(d) : '{"a":'.repeat(d) + 'null' + '}'.repeat(d);
    })
    .replace(/@@([a-z_]+)@@/g, (_m, key: string) => resolveReal(key, variant));

function slotText(s: Slot, variant: 0 | 1): string {
  if ('real' in s) return encodeURIComponent(resolveReal(s.real, variant));
  if ('enc' in s) return encodeURIComponent(s.enc);
  return s.raw;
}

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload: string | undefined;
  realInPath: boolean;
}

function build(req: Req): Sent {
  const path = `/${req.path.map((s) => slotText(s, req.variant)).join('/')}`;
  const qs = [...req.query.map(([k, v]) => `${encodeURIComponent(k)}=${slotText(v, req.variant)}`), ...(req.rawQuery ? [req.rawQuery] : [])].join('&');
  const url = qs ? `${path}?${qs}` : path;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = v;
  if (req.auth.kind === 'admin') headers['authorization'] = `Bearer ${t.adminToken}`;
  else if (req.auth.kind === 'other') headers['authorization'] = `Bearer ${otherToken}`;
  else if (req.auth.kind === 'garbage') headers['authorization'] = fillText(req.auth.header, req.variant);
  let payload: string | undefined;
  if (req.body) {
    payload = 'json' in req.body ? fillText(JSON.stringify(req.body.json) ?? 'null', req.variant) : fillText(req.body.text, req.variant);
    if (req.body.ct !== null) headers['content-type'] = req.body.ct;
  }
  // Only ids of live fixtures are "ours"; a path of `real:` slots for other kinds (e.g. a connection id
  // under /vpcs/) still names an admin-owned resource.
  const realInPath = req.path.some((s) => 'real' in s && !/^(cidr|prefix|len)_/.test(s.real));
  return { method: req.method, url, headers, payload, realInPath };
}

const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

function show(s: Sent, res?: LightMyRequestResponse): string {
  const h = { ...s.headers };
  if (h['authorization']) h['authorization'] = h['authorization'].replace(t.adminToken, '<admin token>').replace(otherToken, '<other token>').slice(0, 120);
  const p = s.payload === undefined ? '(none)' : s.payload.length > 600 ? `${s.payload.slice(0, 600)}… (${s.payload.length} chars)` : s.payload;
  const u = s.url.length > 600 ? `${s.url.slice(0, 600)}… (${s.url.length} chars)` : s.url;
  const r = res
    ? `\n  response: ${res.statusCode} content-type=${String(res.headers['content-type'])} x-request-id=${String(res.headers['x-request-id'])}\n  body: ${res.body.slice(0, 800)}`
    : '';
  return `\n  request: ${s.method} ${u}\n  headers: ${JSON.stringify(h)}\n  payload: ${p}${r}`;
}

/** The invariants every response must keep. Throws with a reproduction on violation. */
function checkResponse(s: Sent, res: LightMyRequestResponse): void {
  const fail = (why: string): never => {
    throw new Error(`${why}${show(s, res)}`);
  };
  if (res.statusCode >= 500) fail(`server error ${res.statusCode}`);
  const rid = res.headers['x-request-id'];
  if (typeof rid !== 'string' || rid.length === 0) fail('no x-request-id header');
  if (res.statusCode >= 400) {
    let b: unknown;
    try {
      b = JSON.parse(res.body);
    } catch {
      fail(`${res.statusCode} body is not JSON`);
    }
    const env = b as { errors?: unknown; trace?: unknown; status_code?: unknown };
    if (typeof env !== 'object' || env === null) fail('error body is not an object');
    if (!Array.isArray(env.errors) || env.errors.length === 0) fail('error envelope has no errors[]');
    for (const e of env.errors as Record<string, unknown>[]) {
      if (typeof e !== 'object' || e === null) fail('errors[] entry is not an object');
      if (typeof e['code'] !== 'string' || !SNAKE.test(e['code'])) fail(`error code ${JSON.stringify(e['code'])} is not snake_case`);
      if (typeof e['message'] !== 'string' || e['message'].trim().length === 0) fail('error message is empty');
      if (e['more_info'] !== undefined && typeof e['more_info'] !== 'string') fail('more_info is not a string');
      if (e['target'] !== undefined) {
        const tg = e['target'] as Record<string, unknown>;
        if (typeof tg !== 'object' || tg === null || typeof tg['type'] !== 'string' || typeof tg['name'] !== 'string') fail('target is not {type, name}');
      }
    }
    if (typeof env.trace !== 'string' || env.trace.length === 0) fail('trace is not a non-empty string');
    if (env.status_code !== res.statusCode) fail(`status_code ${JSON.stringify(env.status_code)} != HTTP ${res.statusCode}`);
  }
}

/** Extra rules that depend on who is calling. */
function checkAuth(req: Req, s: Sent, res: LightMyRequestResponse, collectionKey: string | undefined): void {
  const fail = (why: string): never => {
    throw new Error(`${why}${show(s, res)}`);
  };
  if (req.auth.kind === 'none' || req.auth.kind === 'garbage') {
    const routerRefused = req.urlJunk === true && res.statusCode !== 401;
    if (!routerRefused) {
      if (res.statusCode !== 401) fail(`expected 401 without valid credentials, got ${res.statusCode}`);
      const code = (res.json() as { errors: { code: string }[] }).errors[0]?.code;
      if (code !== 'not_authorized') fail(`expected code not_authorized, got ${String(code)}`);
    }
  }
  if (req.auth.kind === 'other') {
    if (s.realInPath && res.statusCode < 300) fail(`another account got ${res.statusCode} on an admin-owned resource`);
    if (collectionKey && s.method === 'GET' && res.statusCode === 200) {
      const items = JSON.stringify((res.json() as Record<string, unknown>)[collectionKey] ?? []);
      const leaked = [...adminIdsEver].find((id) => items.includes(id));
      if (leaked) fail(`another account sees admin resource ${leaked} in a list`);
    }
  }
}

async function send(req: Req, collectionKey?: string): Promise<void> {
  if (dirty) {
    dirty = false;
    await ensureFixtures();
  }
  const s = build(req);
  if (!inScope(s.url)) return;
  const res = await t.app.inject({ method: s.method as 'GET', url: s.url, headers: s.headers, ...(s.payload !== undefined ? { payload: s.payload } : {}) });
  if (s.method === 'DELETE' && res.statusCode < 300) dirty = true;
  tally(req, res);
  checkResponse(s, res);
  checkAuth(req, s, res, collectionKey);
}

/**
 * inject() resolves dot segments like a browser (`/v1/%2e%2e` is `/`), so such a request never
 * reaches /v1 at all; it is not sent. Over a socket the server would see it as is.
 */
function inScope(url: string): boolean {
  const p = new URL(url, 'http://localhost').pathname;
  return p === '/v1' || p.startsWith('/v1/');
}

/** What the fuzzer reached: status counts per route, and error codes; printed with FUZZ_STATS=1. */
const stats = new Map<string, Map<string, number>>();
function tally(req: Req, res: LightMyRequestResponse): void {
  let code = '';
  if (res.statusCode >= 400) {
    try {
      code = ` ${(res.json() as { errors?: { code?: string }[] }).errors?.[0]?.code ?? '?'}`;
    } catch {
      code = ' (not json)';
    }
  }
  const m = stats.get(req.op) ?? new Map<string, number>();
  const k = `${res.statusCode}${code}`;
  m.set(k, (m.get(k) ?? 0) + 1);
  stats.set(req.op, m);
}

/** Runs a property, returning fast-check's report instead of throwing so every route is tried. */
async function runProperty(label: string, arb: fc.Arbitrary<Req>, numRuns: number, key?: (r: Req) => string | undefined): Promise<string | undefined> {
  const details = await fc.check(
    fc.asyncProperty(arb, async (r) => send(r, key?.(r))),
    fcParams(numRuns) as fc.Parameters<[Req]>,
  );
  if (!details.failed) return undefined;
  const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return `── ${label}\n${fc.defaultReportMessage(details)}\nFailure of the shrunk counterexample: ${err}`;
}

// ---------------------------------------------------------------------------------------------

describe('fuzzing the /v1 API', () => {
  beforeAll(async () => {
    t = await startTestServer(SERVER_FLAGS);
    otherToken = await t.account('other');
    const { ike, ipsec } = await createPolicies();
    const v0 = await createVariant('policy', ike, ipsec);
    const v1 = await createVariant('route', ike, ipsec);
    const rg = ((await t.call('GET', `/v1/vpcs/${v0.vpc}`)).json() as { resource_group: { id: string } }).resource_group.id;
    fx = { variants: [v0, v1], ike, ipsec, rg };
    ops = readOps(t.app.swagger() as unknown as { paths: Record<string, Record<string, Schema>> });
  });
  afterAll(async () => {
    if (process.env['FUZZ_STATS']) {
      for (const [op, m] of [...stats].sort())
        console.log(
          `${op}: ${[...m]
            .sort()
            .map(([k, n]) => `${k}×${n}`)
            .join(', ')}`,
        );
    }
    await t?.close();
  });

  it('reads the routes from the running app', () => {
    expect(ops.length).toBeGreaterThan(30);
    const methods = new Set(ops.map((o) => o.method));
    for (const m of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) expect(methods).toContain(m);
    expect(ops.filter((o) => o.body !== undefined).length).toBeGreaterThan(5);
    expect(ops.filter((o) => o.segments.some((s) => 'param' in s)).length).toBeGreaterThan(20);
    expect(new Set(ops.map((o) => o.path)).size).toBeGreaterThan(20);
    // Every route gets a request generator (a new schema shape must not break the fuzzer).
    for (const o of ops) expect(() => fc.sample(reqArb(o), 3), `${o.method} ${o.path}`).not.toThrow();
  });

  it('answers random requests to every route without a 5xx and with the IBM envelope', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const f = await runProperty(`${op.method} ${op.path}`, reqArb(op), RUNS_PER_ROUTE, () => op.collectionKey);
      if (f) failures.push(f);
    }
    const byOp = new Map(ops.map((o) => [`${o.method} ${o.path}`, o.collectionKey]));
    const all = fc.oneof({ withCrossShrink: true }, ...ops.map((o) => reqArb(o)), { weight: Math.ceil(ops.length / 8), arbitrary: strayArb(ops) });
    const f = await runProperty('all routes and stray paths', all, GLOBAL_RUNS, (r) => byOp.get(r.op));
    if (f) failures.push(f);
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 240_000);

  it('answers malformed URLs (bad percent-escapes, over-long parameters) with the IBM envelope', async () => {
    const byOp = new Map(ops.map((o) => [`${o.method} ${o.path}`, o.collectionKey]));
    const f = await runProperty('URL-level junk in a path segment', badUrlArb(ops), BAD_URL_RUNS, (r) => byOp.get(r.op));
    expect(f, f).toBeUndefined();
  }, 120_000);

  it('sends malformed JSON and other content types to every route that takes a body', async () => {
    const failures: string[] = [];
    const bodies: Body[] = [
      ...MALFORMED_JSON.map((text): Body => ({ text, ct: 'application/json' })),
      { text: TOO_LARGE_BODY, ct: 'application/json' },
      { text: '['.repeat(100_000) + ']'.repeat(100_000), ct: 'application/json' },
      ...CONTENT_TYPES.map((ct): Body => ({ json: { name: 'fuzz' }, ct })),
      { json: { name: 'fuzz' }, ct: null },
    ];
    for (const op of ops.filter((o) => o.body !== undefined || o.method === 'DELETE')) {
      for (const body of bodies) {
        const req: Req = {
          method: op.method,
          path: op.segments.map((s) =>
            'param' in s ? real(s.kind === 'cidr' || s.kind === 'prefix' || s.kind === 'len' ? `${s.kind}_${s.side}` : s.kind) : raw(s.lit),
          ),
          query: [
            ['version', enc(VERSION)],
            ['generation', enc('2')],
          ],
          rawQuery: '',
          auth: { kind: 'admin' },
          headers: {},
          body,
          variant: 0,
          op: `${op.method} ${op.path}`,
        };
        try {
          await send(req);
        } catch (e) {
          failures.push(`── ${req.op}: ${(e as Error).message}`);
        }
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 120_000);

  it('answers 401 without credentials and 404 to another account, on every route', async () => {
    const failures: string[] = [];
    const sweep: Auth[] = [
      { kind: 'none' },
      { kind: 'garbage', header: 'Bearer garbage' },
      { kind: 'garbage', header: 'Bearer @@tampered@@' },
      { kind: 'other' },
    ];
    for (const op of ops) {
      for (const auth of sweep) {
        const req: Req = {
          method: op.method,
          path: op.segments.map((s) =>
            'param' in s ? real(s.kind === 'cidr' || s.kind === 'prefix' || s.kind === 'len' ? `${s.kind}_${s.side}` : s.kind) : raw(s.lit),
          ),
          query: [
            ['version', enc(VERSION)],
            ['generation', enc('2')],
          ],
          rawQuery: '',
          auth,
          headers: {},
          body: op.body ? { json: {}, ct: 'application/json' } : undefined,
          variant: 0,
          op: `${op.method} ${op.path}`,
        };
        try {
          const s = build(req);
          const res = await t.app.inject({
            method: s.method as 'GET',
            url: s.url,
            headers: s.headers,
            ...(s.payload !== undefined ? { payload: s.payload } : {}),
          });
          checkResponse(s, res);
          checkAuth(req, s, res, op.collectionKey);
          // With no body to fail validation first, another account's view of our resource is "not found".
          if (auth.kind === 'other' && s.realInPath && !op.body && res.statusCode !== 404)
            throw new Error(`expected 404 for another account, got ${res.statusCode}${show(s, res)}`);
        } catch (e) {
          failures.push(`── ${req.op} as ${auth.kind}: ${(e as Error).message}`);
        }
      }
    }
    const f = await runProperty(
      'random credentials on all routes',
      fc.oneof(
        ...ops.map((o) =>
          reqArb(
            o,
            fc.oneof(
              fc.constant({ kind: 'none' } as const),
              fc.constant({ kind: 'other' } as const),
              fc.constantFrom(...GARBAGE_AUTH).map((header) => ({ kind: 'garbage', header }) as const),
            ),
          ),
        ),
      ),
      AUTH_RUNS,
      (r) => ops.find((o) => `${o.method} ${o.path}` === r.op)?.collectionKey,
    );
    if (f) failures.push(f);
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 120_000);
});

/**
 * The Huawei dialect (/v5): every route gets junk and near-valid bodies, real and random ids, no or
 * another project's credentials; every answer is below 500 and every error is Huawei's envelope.
 */
describe('fuzzing the /v5 (Huawei) API', () => {
  let h: TestServer;
  let a: Awaited<ReturnType<typeof huaweiAccount>>;
  let other: Awaited<ReturnType<typeof huaweiAccount>>;
  const real: Record<string, string> = {};
  let routes: { method: string; url: string; body: boolean }[] = [];

  beforeAll(async () => {
    h = await startTestServer(SERVER_FLAGS);
    a = await huaweiAccount(h, 'hwfuzz');
    other = await huaweiAccount(h, 'hwfuzz2');
    const gw = await huaweiGateway(h, a);
    const shown = await gw.show();
    const cgw = (await a.hw('POST', '/customer-gateways', { customer_gateway: { id_value: '203.0.113.5' } })).json().customer_gateway;
    const conn = (
      await a.hw('POST', '/vpn-connection', {
        vpn_connection: { vgw_id: gw.id, vgw_ip: shown.eip1.id, cgw_id: cgw.id, peer_subnets: ['192.168.9.0/24'], psk: 'Fuzz-psk-1234' },
      })
    ).json().vpn_connection;
    Object.assign(real, { vgw_id: gw.id, customer_gateway_id: cgw.id, vpn_connection_id: conn.id, connection_monitor_id: conn.id, eip: shown.eip1.id });
    routes = h.app.routeTable
      .filter((r) => String(r.url).startsWith('/v5/'))
      .flatMap((r) =>
        (Array.isArray(r.method) ? r.method : [r.method])
          .filter((m) => m !== 'HEAD')
          .map((m) => ({ method: String(m), url: String(r.url), body: !!r.schema?.body })),
      );
  });
  afterAll(() => h?.close());

  const junk = fc.oneof(
    fc.jsonValue(),
    fc.record({
      vpn_gateway: fc.dictionary(fc.constantFrom('name', 'vpc_id', 'connect_subnet', 'local_subnets', 'ha_mode', 'eip1', 'bgp_asn'), fc.jsonValue()),
    }),
    fc.record({
      vpn_connection: fc.record(
        {
          vgw_id: fc.oneof(fc.constant('$vgw_id'), fc.string()),
          vgw_ip: fc.oneof(fc.constant('$eip'), fc.uuid()),
          cgw_id: fc.oneof(fc.constant('$customer_gateway_id'), fc.string()),
          style: fc.constantFrom('policy', 'STATIC', 'bgp', 'x'),
          psk: fc.string({ maxLength: 140 }),
          peer_subnets: fc.array(fc.oneof(fc.constantFrom('10.0.0.0/8', '192.168.1.0/24', '0.0.0.0/0', '10.240.0.0/24'), fc.string())),
          policy_rules: fc.array(fc.record({ source: fc.constantFrom('10.240.0.0/24', 'x'), destination: fc.array(fc.constantFrom('192.168.3.0/24', '')) })),
          ikepolicy: fc.dictionary(fc.constantFrom('ike_version', 'dh_group', 'lifetime_seconds', 'dpd', 'local_id', 'peer_id'), fc.jsonValue()),
          tunnel_local_address: fc.constantFrom('169.254.1.1/30', '169.254.1.5/30', '1.2.3.4/30'),
          tunnel_peer_address: fc.constantFrom('169.254.1.2/30', '169.254.9.2/30'),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({ customer_gateway: fc.dictionary(fc.constantFrom('name', 'id_type', 'id_value', 'bgp_asn'), fc.jsonValue()) }),
    fc.record({ connection_monitor: fc.record({ vpn_connection_id: fc.oneof(fc.constant('$vpn_connection_id'), fc.string()) }) }),
  );
  const fill = (v: unknown): unknown =>
    typeof v === 'string' && v.startsWith('$')
      ? (real[v.slice(1)] ?? v)
      : Array.isArray(v)
        ? v.map(fill)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
          : v;

  it('answers junk on every route below 500, in the Huawei envelope', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const failures: string[] = [];
    for (const r of routes) {
      await fc.assert(
        fc.asyncProperty(junk, fc.boolean(), fc.constantFrom('a', 'other', 'none', 'garbage'), async (body, realIds, who) => {
          const url = r.url
            .replace(':project_id', who === 'other' ? a.project : a.project)
            .replace(/:(\w+)/g, (_m, p: string) => encodeURIComponent(realIds ? (real[p] ?? 'x') : `${p}-junk-%`));
          const token = who === 'a' ? a.token : who === 'other' ? other.token : who === 'garbage' ? 'garbage' : undefined;
          const res = await h.app.inject({
            method: r.method as 'GET',
            url,
            headers: { ...(token ? { 'x-auth-token': token } : {}), 'content-type': 'application/json' },
            ...(r.body ? { payload: JSON.stringify(fill(body)) } : {}),
          });
          const msg = `${r.method} ${url} as ${who} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          if (res.statusCode >= 500) failures.push(msg);
          if (res.statusCode >= 400) {
            const e = res.json() as Record<string, unknown>;
            if (typeof e['error_code'] !== 'string' || typeof e['error_msg'] !== 'string' || e['request_id'] !== res.headers['x-request-id'])
              failures.push(`envelope: ${msg}`);
          }
          if (who === 'none' || who === 'garbage') if (res.statusCode !== 401) failures.push(`expected 401: ${msg}`);
          if (who === 'other' && res.statusCode !== 404 && res.statusCode !== 401) failures.push(`expected 404: ${msg}`);
        }),
        { numRuns: 25 },
      );
    }
    expect(failures.slice(0, 10), failures.slice(0, 10).join('\n')).toEqual([]);
  }, 240_000);

  it('answers malformed JSON with VPN.0001', async () => {
    for (const r of routes.filter((x) => x.body)) {
      const res = await h.app.inject({
        method: r.method as 'POST',
        url: r.url.replace(':project_id', a.project).replace(/:(\w+)/g, (_m, p: string) => real[p] ?? 'x'),
        headers: { 'x-auth-token': a.token, 'content-type': 'application/json' },
        payload: '{"vpn_connection": ',
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.json().error_code).toBe('VPN.0001');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// the cloud.ca dialect (/cloudca/v1): its own envelope and its own credentials (MC-Api-Key)

describe('fuzzing the /cloudca/v1 API', () => {
  let c: TestServer;
  let key: string;
  let otherKey: string;
  let vpcId: string;
  const ENV = 'fuzz_env';
  type CcaKey = 'valid' | 'other' | 'none' | 'garbage';
  interface CcaReq {
    readonly method: string;
    readonly path: string;
    readonly service: string;
    readonly env: string;
    readonly id: string;
    readonly query: readonly [string, string][];
    readonly key: CcaKey;
    readonly body: { json: unknown } | { text: string; ct: string } | undefined;
  }
  const seed = (): Record<string, unknown> => seedBody('@@vpc@@', { name: 'fz' });
  const junk = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('', ' ', '..', '%', 'null', '-1', '0', 'AES256', 'Group-5 (1536-bit)', 'none', '10.0.0.0/8', '::/0', '203.0.113.5', 'a'.repeat(400)),
  );
  // inject() resolves dot segments like a browser, so `..` never reaches the dialect (see badUrlArb).
  const segment = junk.filter((x) => x !== '.' && x !== '..');
  const value = fc.oneof(junk, fc.integer({ min: -2, max: 200_000 }), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
  const bodyArb = fc.oneof(
    fc.dictionary(fc.constantFrom(...Object.keys(seed())), value, { maxKeys: 4 }).map((over) => ({ json: { ...seed(), ...over } })),
    fc.subarray(Object.keys(seed())).map((drop) => ({ json: Object.fromEntries(Object.entries(seed()).filter(([k]) => !drop.includes(k))) })),
    fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })),
    fc.constantFrom(...MALFORMED_JSON).map((text) => ({ text, ct: 'application/json' })),
    fc.constantFrom(...CONTENT_TYPES).map((ct) => ({ text: JSON.stringify(seed()), ct })),
  );
  const reqArb = (
    op: { method: string; path: string },
    keys: fc.Arbitrary<CcaKey> = fc.constantFrom<CcaKey>('valid', 'valid', 'valid', 'other', 'none', 'garbage'),
  ) =>
    fc.record({
      method: fc.constant(op.method),
      path: fc.constant(op.path),
      service: fc.oneof(fc.constantFrom('compute-on', 'compute-qc'), segment),
      env: fc.oneof(fc.constant(ENV), fc.constant(ENV), fc.constant('other_env'), segment),
      id: fc.oneof(fc.constant('@@id@@'), fc.constant('@@id@@'), fc.uuid(), segment),
      query: fc.array(fc.tuple(fc.constantFrom('operation', 'vpc_id', 'x'), fc.oneof(fc.constantFrom('reset', '@@vpc@@'), junk)), { maxLength: 3 }),
      key: keys,
      body: op.method === 'POST' ? fc.option(bodyArb, { nil: undefined }) : fc.constant(undefined),
    });

  /** Resolves placeholders, sends, and checks the invariants; throws on a violation. */
  async function send(r: CcaReq): Promise<void> {
    const list = await c.app.inject({ method: 'GET', url: `/cloudca/v1/services/compute-on/${ENV}/sitetositevpns`, headers: { 'mc-api-key': key } });
    let id = (list.json() as { data: { id: string }[] }).data[0]?.id;
    if (!id) {
      const made = await c.app.inject({
        method: 'POST',
        url: `/cloudca/v1/services/compute-on/${ENV}/sitetositevpns`,
        headers: { 'mc-api-key': key, 'content-type': 'application/json' },
        payload: JSON.stringify({ ...seed(), vpcId, name: `fx${Date.now()}`, gateway: '19.19.19.1' }),
      });
      id = (made.json() as { data: { id: string } }).data.id;
    }
    const fill = (s: string) => s.replaceAll('@@vpc@@', vpcId).replaceAll('@@id@@', id);
    const path = r.path
      .replace('{service_code}', encodeURIComponent(r.service))
      .replace('{environment_name}', encodeURIComponent(r.env))
      .replace('{id}', encodeURIComponent(fill(r.id)));
    const qs = r.query.map(([k, v]) => `${k}=${encodeURIComponent(fill(v))}`).join('&');
    const headers: Record<string, string> = {};
    if (r.key === 'valid') headers['mc-api-key'] = key;
    if (r.key === 'other') headers['mc-api-key'] = otherKey;
    if (r.key === 'garbage') headers['mc-api-key'] = 'cw_garbage';
    let payload: string | undefined;
    if (r.body && 'json' in r.body) {
      payload = fill(JSON.stringify(r.body.json) ?? 'null');
      headers['content-type'] = 'application/json';
    } else if (r.body) {
      payload = r.body.text;
      headers['content-type'] = r.body.ct;
    }
    const url = `/cloudca/v1${path}${qs ? `?${qs}` : ''}`;
    const res = await c.app.inject({ method: r.method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    const where = `${r.method} ${url} [${r.key}] → ${res.statusCode} ${res.body.slice(0, 300)}`;
    if (res.statusCode >= 500) throw new Error(`5xx: ${where}`);
    if (!res.headers['x-request-id']) throw new Error(`no x-request-id: ${where}`);
    if (res.statusCode >= 400) {
      const e = (res.json() as { errors?: { code?: unknown; message?: unknown; context?: unknown }[] }).errors?.[0];
      if (!e || !Number.isInteger(e.code) || typeof e.message !== 'string' || e.message.length === 0 || typeof e.context !== 'object' || e.context === null)
        throw new Error(`not the cloud.ca envelope: ${where}`);
      if (![400, 403, 404, 405].includes(res.statusCode)) throw new Error(`not a cloud.ca status: ${where}`);
    }
    if (r.key === 'none' || r.key === 'garbage') {
      if (res.statusCode !== 403) throw new Error(`expected 403 without a valid key: ${where}`);
    } else if (r.key === 'other' && res.statusCode < 400 && (r.env !== 'other_env' || res.body.includes(id))) {
      throw new Error(`another account got a ${res.statusCode} on ours: ${where}`);
    }
  }

  let ops: { method: string; path: string }[] = [];
  beforeAll(async () => {
    c = await startTestServer(SERVER_FLAGS);
    const { SYSTEM_ACTOR } = await import('../src/control/index.js');
    key = (await c.server.control.accounts.create(SYSTEM_ACTOR, ENV)).apiKey;
    otherKey = (await c.server.control.accounts.create(SYSTEM_ACTOR, 'other_env')).apiKey;
    const token = (
      await c.app.inject({
        method: 'POST',
        url: '/identity/token',
        payload: `grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=${encodeURIComponent(key)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).json<{ access_token: string }>().access_token;
    vpcId = (await c.call('POST', '/v1/vpcs', { token, body: { name: 'fz-vpc' } })).json<{ id: string }>().id;
    await c.call('POST', '/v1/subnets', { token, body: { vpc: { id: vpcId }, ipv4_cidr_block: '10.240.0.0/24' } });
    const paths = (c.app.swagger() as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
    ops = Object.entries(paths)
      .filter(([p]) => p.startsWith('/cloudca/v1/'))
      .flatMap(([p, m]) => Object.keys(m).map((method) => ({ method: method.toUpperCase(), path: p.slice('/cloudca/v1'.length) })));
  });
  afterAll(async () => {
    await c?.close();
  });

  it('reads the five cloud.ca routes from the running app', () => {
    expect(ops.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'DELETE /services/{service_code}/{environment_name}/sitetositevpns/{id}',
      'GET /services/{service_code}/{environment_name}/sitetositevpns',
      'GET /services/{service_code}/{environment_name}/sitetositevpns/{id}',
      'POST /services/{service_code}/{environment_name}/sitetositevpns',
      'POST /services/{service_code}/{environment_name}/sitetositevpns/{id}',
    ]);
  });

  it('answers random requests without a 5xx, in the cloud.ca envelope; no key is 403, another account never gets a 2xx', async () => {
    const failures: string[] = [];
    const extra = [
      { method: 'PUT', path: '/services/{service_code}/{environment_name}/sitetositevpns/{id}' },
      { method: 'PATCH', path: '/services/{service_code}/{environment_name}/sitetositevpns' },
      { method: 'GET', path: '/services/{service_code}/{environment_name}/nothing' },
    ];
    for (const op of [...ops, ...extra]) {
      const details = await fc.check(fc.asyncProperty(reqArb(op), send), fcParams(RUNS_PER_ROUTE * 2) as fc.Parameters<[CcaReq]>);
      if (details.failed) failures.push(`── ${op.method} ${op.path}\n${fc.defaultReportMessage(details)}`);
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 120_000);
});
