import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { IbmHttpError } from './ibm-errors.js';
import { OLDEST_VERSION, VERSION_LIFECYCLE_ONLY, VERSION_LOCAL_PEER, checkVersion } from './ibm-version.js';
import { ibmError } from './ibm-error-expect.js';

const NOW = new Date('2026-06-02T12:00:00Z');

/** checkVersion reads only request.query. */
const req = (query: Record<string, unknown> | undefined): FastifyRequest => ({ query }) as unknown as FastifyRequest;

function expectIbm(query: Record<string, unknown> | undefined, code: string, name: string, value?: string): IbmHttpError {
  const e = ibmError(() => checkVersion(req(query), NOW));
  expect(e.status).toBe(400);
  expect(e.error.code).toBe(code);
  expect(e.error.target?.type).toBe('parameter');
  expect(e.error.target?.name).toBe(name);
  if (value !== undefined) expect(e.error.target?.value).toBe(value);
  return e;
}

describe('checkVersion', () => {
  it('returns a valid version date', () => {
    expect(checkVersion(req({ version: '2024-04-30' }), NOW)).toBe('2024-04-30');
    expect(checkVersion(req({ version: '2024-02-29' }), NOW)).toBe('2024-02-29');
  });

  it('accepts the oldest version and today', () => {
    expect(checkVersion(req({ version: OLDEST_VERSION }), NOW)).toBe('2019-11-05');
    expect(checkVersion(req({ version: '2026-06-02' }), NOW)).toBe('2026-06-02');
  });

  it('allows one day of slack for clients ahead of UTC', () => {
    expect(checkVersion(req({ version: '2026-06-03' }), NOW)).toBe('2026-06-03');
    expect(checkVersion(req({ version: '2026-06-03' }), new Date('2026-06-02T23:59:59Z'))).toBe('2026-06-03');
  });

  it('uses the first value of a repeated parameter', () => {
    expect(checkVersion(req({ version: ['2024-04-30', 'garbage'] }), NOW)).toBe('2024-04-30');
  });

  it('requires version (invalid_version)', () => {
    const e = expectIbm({}, 'invalid_version', 'version');
    expect(e.error.target).not.toHaveProperty('value');
    expectIbm({ version: '' }, 'invalid_version', 'version');
    expectIbm(undefined, 'invalid_version', 'version');
    expectIbm({ generation: '2' }, 'invalid_version', 'version');
  });

  it.each([
    '2024-4-30',
    '20240430',
    '2024/04/30',
    ' 2024-04-30',
    '2024-04-30T00:00:00Z',
    'yesterday',
    '2024-13-01',
    '2024-00-10',
    '2023-02-29',
    '2024-04-31',
    '2024-04-00',
  ])('refuses %j as not a date (invalid_version, echoing the value)', (version) => {
    expectIbm({ version }, 'invalid_version', 'version', version);
  });

  it('refuses a version more than a day in the future (invalid_version)', () => {
    const e = expectIbm({ version: '2026-06-04' }, 'invalid_version', 'version', '2026-06-04');
    expect(e.error.message).toMatch(/future/);
    expectIbm({ version: '2099-01-01' }, 'invalid_version', 'version');
  });

  it('refuses a version before the beta (invalid_version_range)', () => {
    expectIbm({ version: '2019-11-04' }, 'invalid_version_range', 'version', '2019-11-04');
    expectIbm({ version: '2000-01-01' }, 'invalid_version_range', 'version');
  });

  it('accepts generation 2, as text, number or repeated', () => {
    expect(checkVersion(req({ version: '2024-04-30', generation: '2' }), NOW)).toBe('2024-04-30');
    expect(checkVersion(req({ version: '2024-04-30', generation: 2 }), NOW)).toBe('2024-04-30');
    expect(checkVersion(req({ version: '2024-04-30', generation: ['2'] }), NOW)).toBe('2024-04-30');
  });

  it.each(['1', '3', '', 'two', 1])('refuses generation %j (invalid_generation)', (generation) => {
    expectIbm({ version: '2024-04-30', generation }, 'invalid_generation', 'generation', String(generation));
  });

  it('checks version before generation', () => {
    expectIbm({ version: 'bad', generation: '1' }, 'invalid_version', 'version');
  });

  it('the version milestones are ordered', () => {
    expect(OLDEST_VERSION < VERSION_LIFECYCLE_ONLY).toBe(true);
    expect(VERSION_LIFECYCLE_ONLY < VERSION_LOCAL_PEER).toBe(true);
  });
});
