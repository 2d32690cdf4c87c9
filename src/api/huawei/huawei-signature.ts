import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Huawei Cloud's AK/SK request signing (SDK-HMAC-SHA256), as the SDKs sign by default (fact sheet §B11).
 * Pure functions: the canonical request, the signature, the Authorization header and X-Sdk-Date parsed.
 * huawei-auth.ts checks a request with them; nothing here knows Fastify or the control plane.
 */
export const HUAWEI_ALGORITHM = 'SDK-HMAC-SHA256';

/** How far X-Sdk-Date may be from the server's clock (the SDK sets none; 15 minutes is usual). */
export const HUAWEI_MAX_SKEW_MS = 15 * 60_000;

/** What one request signs. Header names are lower case (as Node gives them); values as received. */
export interface HuaweiSignable {
  readonly method: string;
  /** The request path as sent, without the query (percent-encoded or not: it is decoded first). */
  readonly path: string;
  /** The query string as sent, without `?` (decoded, re-encoded and sorted here). */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The signed header names, lower case, in any order. */
  readonly signedHeaders: readonly string[];
  /** The raw body bytes; undefined or empty: no body. */
  readonly body: Buffer | string | undefined;
  /** The X-Sdk-Date value, `YYYYMMDDTHHmmssZ`. */
  readonly date: string;
}

/** Percent-encoding that keeps only `A-Za-z0-9-._~`, as the SDKs' `urlEncode`. */
export function huaweiEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray '%': the SDK would have encoded it; sign it as it is (it then fails to match)
  }
}

/** Each path segment decoded then encoded; a trailing `/` always. */
export function canonicalUri(path: string): string {
  const uri = path
    .split('/')
    .map((s) => huaweiEncode(decode(s)))
    .join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** `key=value` pairs encoded, sorted by key, then by value for a repeated key. */
export function canonicalQuery(query: string): string {
  const pairs = [...new URLSearchParams(query)].map(([k, v]) => [huaweiEncode(k), huaweiEncode(v)] as const);
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

function headerValue(headers: HuaweiSignable['headers'], name: string): string {
  const v = Object.hasOwn(headers, name) ? headers[name] : undefined; // never `constructor` or `__proto__` from the prototype
  return v === undefined ? '' : typeof v === 'string' ? v : v.join(',');
}

/** The six lines the SDK hashes: method, URI, query, headers block, signed names, payload hash. */
export function canonicalRequest(r: HuaweiSignable): string {
  const names = [...new Set(r.signedHeaders.map((n) => n.toLowerCase()))].sort();
  const headers = names.map((n) => `${n}:${headerValue(r.headers, n)}\n`).join('');
  return [r.method.toUpperCase(), canonicalUri(r.path), canonicalQuery(r.query), headers, names.join(';'), sha256Hex(r.body ?? '')].join('\n');
}

/** hex(HMAC-SHA256(secret, "SDK-HMAC-SHA256\n<date>\n<sha256(canonical request)>")). */
export function signHuawei(r: HuaweiSignable, secret: string): string {
  const toSign = `${HUAWEI_ALGORITHM}\n${r.date}\n${sha256Hex(canonicalRequest(r))}`;
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface HuaweiAuthorization {
  readonly access: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTH_HEADER = new RegExp(
  `^\\s*${HUAWEI_ALGORITHM}\\s+Access=([^,\\s]{1,128})\\s*,\\s*SignedHeaders=([a-z0-9!#$%&'*+.^_\`|~-]+(?:;[a-z0-9!#$%&'*+.^_\`|~-]+)*)\\s*,\\s*Signature=([0-9a-fA-F]{64})\\s*$`,
  'i',
);

/** `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=<64 hex>`; undefined when it is not that. */
export function parseHuaweiAuthorization(header: string): HuaweiAuthorization | undefined {
  const m = AUTH_HEADER.exec(header);
  if (!m) return undefined;
  return { access: m[1]!, signedHeaders: m[2]!.toLowerCase().split(';'), signature: m[3]!.toLowerCase() };
}

/** `YYYYMMDDTHHmmssZ` (UTC) → epoch ms; undefined when malformed or not a real date. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}

/** An X-Sdk-Date for `ms` (clients and tests). */
export function formatSdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
