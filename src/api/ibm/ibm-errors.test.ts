import { describe, expect, it } from 'vitest';
import { DOMAIN_ERRORS, DomainError, inUse, invalidField, notFound, type DomainErrorCode } from '../../domain/errors.js';
import { httpStatus } from '../http-status.js';
import { IbmHttpError, ibmInvalid, toIbmError, wireName } from './ibm-errors.js';

describe('wireName', () => {
  it('maps domain field names to IBM wire names', () => {
    expect(wireName('peerCidrs')).toBe('peer.cidrs');
    expect(wireName('dpd.intervalSeconds')).toBe('dead_peer_detection.interval');
    expect(wireName('lifetimeSeconds')).toBe('key_lifetime');
    expect(wireName('ipsecPolicy')).toBe('ipsec_policy');
  });
  it('falls back to snake_case', () => {
    expect(wireName('distributeTraffic')).toBe('distribute_traffic');
    expect(wireName('peer.asn')).toBe('peer.asn');
    expect(wireName('tunnels[1]')).toBe('tunnels[1]');
  });
});

describe('ibmInvalid', () => {
  it('defaults to a 400 invalid_value on a field', () => {
    const e = ibmInvalid('psk', 'bad');
    expect(e).toBeInstanceOf(IbmHttpError);
    expect(e.status).toBe(400);
    expect(e.error).toEqual({ code: 'invalid_value', message: 'bad', target: { type: 'field', name: 'psk' } });
  });
  it('takes a code, target type and status', () => {
    const e = ibmInvalid('id', 'gone', 'vpn_gateway_service_connection_not_found', 'parameter', 404);
    expect(e.status).toBe(404);
    expect(e.error.target).toEqual({ type: 'parameter', name: 'id' });
  });
});

describe('toIbmError', () => {
  it.each(Object.keys(DOMAIN_ERRORS) as DomainErrorCode[])('renders DomainError %s with the status of its kind', (code) => {
    const r = toIbmError(new DomainError(code));
    expect(r.status).toBe(httpStatus(DOMAIN_ERRORS[code].kind, 'ibm'));
    expect(r.error.code).toBe(code);
    expect(r.error).not.toHaveProperty('target');
  });

  it('renders a field target under its wire name, keeping the value', () => {
    const r = toIbmError(invalidField('dpd.timeoutSeconds', 'bad', 0));
    expect(r.error.target).toEqual({ type: 'field', name: 'dead_peer_detection.timeout', value: 0 });
  });

  it('keeps parameter and header names as they are', () => {
    const r = toIbmError(new DomainError('precondition_failed', undefined, { type: 'header', name: 'If-Match' }));
    expect(r).toMatchObject({ status: 412, error: { target: { type: 'header', name: 'If-Match' } } });
  });

  it('names the object of not_found and in_use errors as IBM does, and answers 400 for a quota', () => {
    expect(toIbmError(notFound('connection', 'x')).error.code).toBe('vpn_gateway_connection_not_found');
    expect(toIbmError(notFound('vpn_gateway', 'x'))).toMatchObject({
      status: 404,
      error: { code: 'vpn_gateway_not_found', message: "VPN gateway 'x' was not found." },
    });
    expect(toIbmError(inUse('ike_policy', 'x', 'used'))).toMatchObject({ status: 409, error: { code: 'ike_policy_in_use' } });
    expect(toIbmError(new DomainError('over_quota')).status).toBe(400);
    expect(toIbmError(new DomainError('storage_full')).status).toBe(507);
  });

  it('passes an IbmHttpError through', () => {
    const e = new IbmHttpError(401, { code: 'not_authorized', message: 'no' });
    expect(toIbmError(e)).toEqual({ status: 401, error: { code: 'not_authorized', message: 'no' } });
  });

  it('maps unknown framework client errors to bad_request with their status', () => {
    const fe = Object.assign(new Error('nope'), { statusCode: 405, code: 'FST_ERR_SOMETHING' });
    expect(toIbmError(fe)).toEqual({ status: 405, error: { code: 'bad_request', message: 'nope' } });
  });

  it('maps framework JSON errors to invalid_json', () => {
    const fe = Object.assign(new Error('bad'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(toIbmError(fe).error.code).toBe('invalid_json');
  });

  it('hides anything else behind a 500 internal_error', () => {
    const r = toIbmError(new TypeError('secret detail'));
    expect(r.status).toBe(500);
    expect(r.error.code).toBe('internal_error');
    expect(r.error.message).not.toContain('secret');
  });
});
