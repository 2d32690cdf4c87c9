import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalUri,
  formatSdkDate,
  parseHuaweiAuthorization,
  parseSdkDate,
  sameSignature,
  signHuawei,
  type HuaweiSignable,
} from './huawei-signature.js';

// Fact sheet §B11: inputs and signatures computed by the Huawei Node SDK's own signer.
const SK = 'exampleSecretKey0000000000000000000000001';
const PROJECT = '0123456789abcdef0123456789abcdef';
const DATE = '20261206T000000Z';
const headers = { 'content-type': 'application/json', host: '127.0.0.1:8080', 'x-project-id': PROJECT, 'x-sdk-date': DATE };
const signedHeaders = ['content-type', 'host', 'x-project-id', 'x-sdk-date'];
const BODY =
  '{"vpn_connection":{"vgw_id":"b32d91a4-0000-4000-8000-e907174eb11d","vgw_ip":"0c464dad-0000-4000-8000-c22bb0eb0bde","cgw_id":"5247ae10-0000-4000-8000-dd36659a7f5d","peer_subnets":["192.168.44.0/24"],"psk":"abcd****"}}';

const list: HuaweiSignable = {
  method: 'GET',
  path: `/v5/${PROJECT}/customer-gateways`,
  query: 'limit=1&marker=2026-12-06T00:00:00.123Z',
  headers,
  signedHeaders,
  body: undefined,
  date: DATE,
};
const create: HuaweiSignable = {
  method: 'POST',
  path: `/v5/${PROJECT}/vpn-connection`,
  query: '',
  headers,
  signedHeaders,
  body: Buffer.from(BODY),
  date: DATE,
};

describe('signHuawei (SDK-HMAC-SHA256, §B11 vectors)', () => {
  it('signs the GET vector exactly', () => {
    expect(signHuawei(list, SK)).toBe('83a5673ab496f3f5da3765243b19743c147680422592bfae95660523e9cb189b');
  });

  it('signs the POST vector exactly', () => {
    expect(signHuawei(create, SK)).toBe('fa612dc16baf58df36d08779103afec05d9508443d8e465a8debc5140f1f45a7');
  });

  it('signs the same whatever the order of the query and of the signed names, encoded or not', () => {
    const same = { ...list, query: 'marker=2026-12-06T00%3A00%3A00.123Z&limit=1', signedHeaders: [...signedHeaders].reverse() };
    expect(signHuawei(same, SK)).toBe(signHuawei(list, SK));
    expect(signHuawei({ ...list, path: `${list.path}/` }, SK)).toBe(signHuawei(list, SK));
  });

  it('changes with a tampered body, a tampered signed header, the method, the path, the query or the key', () => {
    const good = signHuawei(create, SK);
    expect(signHuawei({ ...create, body: Buffer.from(BODY.replace('192.168.44.0', '192.168.45.0')) }, SK)).not.toBe(good);
    expect(signHuawei({ ...create, body: undefined }, SK)).not.toBe(good);
    expect(signHuawei({ ...create, headers: { ...headers, 'x-project-id': 'f'.repeat(32) } }, SK)).not.toBe(good);
    expect(signHuawei({ ...create, headers: { ...headers, host: '127.0.0.1:8081' } }, SK)).not.toBe(good);
    expect(signHuawei({ ...create, method: 'PUT' }, SK)).not.toBe(good);
    expect(signHuawei({ ...create, path: `/v5/${PROJECT}/vpn-connections` }, SK)).not.toBe(good);
    expect(signHuawei({ ...list, query: 'limit=2&marker=2026-12-06T00:00:00.123Z' }, SK)).not.toBe(signHuawei(list, SK));
    expect(signHuawei(create, `${SK.slice(0, -1)}2`)).not.toBe(good);
  });

  it('does not sign headers left out of SignedHeaders', () => {
    expect(signHuawei({ ...list, headers: { ...headers, 'user-agent': 'other', accept: '*/*' } }, SK)).toBe(signHuawei(list, SK));
  });

  it('a stale date changes the string to sign', () => {
    const stale = '20261205T234400Z';
    expect(signHuawei({ ...list, date: stale, headers: { ...headers, 'x-sdk-date': stale } }, SK)).not.toBe(signHuawei(list, SK));
  });
});

describe('canonical parts', () => {
  it('encodes path segments and always ends the URI with /', () => {
    expect(canonicalUri('/v5/p/customer-gateways')).toBe('/v5/p/customer-gateways/');
    expect(canonicalUri('/v5/p/a%20b')).toBe('/v5/p/a%20b/');
    expect(canonicalUri("/v5/p/a!b'(c)*")).toBe('/v5/p/a%21b%27%28c%29%2A/');
  });

  it('sorts and re-encodes the query, repeated keys by value', () => {
    expect(canonicalQuery('limit=1&marker=2026-12-06T00:00:00.123Z')).toBe('limit=1&marker=2026-12-06T00%3A00%3A00.123Z');
    expect(canonicalQuery('b=2&a=z&a=y&c')).toBe('a=y&a=z&b=2&c=');
    expect(canonicalQuery('')).toBe('');
  });
});

describe('parseHuaweiAuthorization', () => {
  const sig = 'a'.repeat(64);
  it('reads the SDK header', () => {
    expect(
      parseHuaweiAuthorization(`SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=${sig}`),
    ).toEqual({
      access: 'HPUAEXAMPLEAK0000001',
      signedHeaders,
      signature: sig,
    });
  });

  it.each([
    '',
    'Bearer abc.def.ghi',
    `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host`,
    `SDK-HMAC-SHA256 Access=AK, Signature=${sig}`,
    `SDK-HMAC-SHA256 SignedHeaders=host, Signature=${sig}`,
    `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig.slice(1)}`,
    `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, Signature=${sig}`,
    `SDK-HMAC-SHA1 Access=AK, SignedHeaders=host, Signature=${sig}`,
    `SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=${sig}`,
  ])('refuses a malformed header: %s', (h) => {
    expect(parseHuaweiAuthorization(h)).toBeUndefined();
  });
});

describe('X-Sdk-Date', () => {
  it('parses and formats UTC basic ISO dates', () => {
    expect(parseSdkDate(DATE)).toBe(Date.UTC(2026, 11, 6));
    expect(formatSdkDate(Date.UTC(2026, 11, 6, 1, 2, 3, 456))).toBe('20261206T010203Z');
  });

  it.each(['2026-12-06T00:00:00Z', '20261206T000000', '20261306T000000Z', '20260230T000000Z', '20261206T250000Z', 'yesterday'])('refuses %s', (d) => {
    expect(parseSdkDate(d)).toBeUndefined();
  });

  it('compares signatures in constant time, case-insensitively', () => {
    expect(sameSignature('ab'.repeat(32), 'AB'.repeat(32))).toBe(true);
    expect(sameSignature('ab'.repeat(32), 'ab'.repeat(31))).toBe(false);
  });
});
