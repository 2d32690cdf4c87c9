import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId, parseId, toHex32 } from './ids.js';

describe('ids', () => {
  it('newId is a lowercase dashed UUIDv4', () => {
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.toBe(id);
  });

  it('parseId accepts dashed and undashed UUIDs in any case', () => {
    const id = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    expect(parseId(id)).toBe(id);
    expect(parseId(id.toUpperCase())).toBe(id);
    expect(parseId(toHex32(id))).toBe(id);
    expect(parseId(toHex32(id).toUpperCase())).toBe(id);
  });

  it.each([
    '',
    'not-an-id',
    '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4',
    '0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4dd',
    '0a1b2c3d-4e5f4a6b-8c7d-9e0f1a2b3c4d',
    'g0000000-0000-4000-8000-000000000000',
  ])('parseId refuses %j', (text) => {
    expect(parseId(text)).toBeUndefined();
  });

  it('parseId refuses non-strings', () => {
    expect(parseId(42)).toBeUndefined();
    expect(parseId(undefined)).toBeUndefined();
  });

  it('property: toHex32 and parseId are inverse on UUIDs', () => {
    fc.assert(
      fc.property(fc.uuid(), (u) => {
        expect(toHex32(u)).toMatch(/^[0-9a-f]{32}$/);
        expect(parseId(toHex32(u))).toBe(u);
        expect(parseId(u)).toBe(u);
      }),
    );
  });
});
