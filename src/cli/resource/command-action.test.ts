import { describe, expect, it } from 'vitest';
import { UsageError } from './api-client.js';
import { boolFlag, intFlag, jsonFlag } from './command-action.js';
import { columns, keyValues, Output } from './output-format.js';

describe('flag values', () => {
  it('JSON flags take JSON and the relaxed form seed 001 prints', () => {
    expect(jsonFlag('--x', '[{"type":"key_id","value":"MTIzNA=="}]')).toEqual([{ type: 'key_id', value: 'MTIzNA==' }]);
    expect(jsonFlag('--x', '[{type:ipv4_address,value:2.2.2.2},{type:fqdn,value:sadsadasd.com}]')).toEqual([
      { type: 'ipv4_address', value: '2.2.2.2' },
      { type: 'fqdn', value: 'sadsadasd.com' },
    ]);
    expect(jsonFlag('--x', '{n: 5, ok: true, s: two words}')).toEqual({ n: 5, ok: true, s: 'two words' });
    expect(() => jsonFlag('--x', '[{')).toThrow(UsageError);
    expect(() => jsonFlag('--x', '@/nonexistent/file.json')).toThrow(/cannot read/);
  });

  it('booleans and integers are checked, with the flag named', () => {
    expect([boolFlag('--a', 'true'), boolFlag('--a', 'FALSE'), boolFlag('--a', undefined)]).toEqual([true, false, undefined]);
    expect(() => boolFlag('--admin-state-up', 'yes')).toThrow(/--admin-state-up: 'yes' is not true or false/);
    expect(intFlag('--n', '33')).toBe(33);
    expect(() => intFlag('--n', '3.5')).toThrow(/not a whole number/);
  });
});

describe('output', () => {
  it('--output takes JSON in any case and nothing else', () => {
    expect(new Output({ output: 'JSON' }).json).toBe(true);
    expect(new Output({ output: 'json' }).json).toBe(true);
    expect(new Output({}).json).toBe(false);
    expect(() => new Output({ output: 'yaml' })).toThrow(UsageError);
  });

  it('tables align their columns and show missing values as -', () => {
    expect(
      keyValues([
        ['ID', 'a'],
        ['Long name', undefined],
      ]),
    ).toBe('ID          a\nLong name   -');
    expect(
      columns(
        ['ID', 'Name'],
        [
          ['1', 'gw'],
          ['22', null],
        ],
      ),
    ).toBe('ID   Name\n1    gw\n22   -');
  });
});
