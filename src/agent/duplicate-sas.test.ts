import { describe, expect, it } from 'vitest';
import type { ViciNamedSection } from '../dataplane/vici/index.js';
import { duplicateIkeSas } from './duplicate-sas.js';

const sa = (name: string, uniqueid: number, ispi: string, rspi: string, state = 'ESTABLISHED'): ViciNamedSection => ({
  name,
  value: { uniqueid: String(uniqueid), state, 'initiator-spi': ispi, 'responder-spi': rspi },
});

describe('duplicateIkeSas', () => {
  it('closes none while each conn has one established IKE_SA', () => {
    expect(duplicateIkeSas([sa('cw-a', 1, 'aa', 'bb'), sa('cw-b', 2, '01', '02'), sa('cw-a', 3, 'ff', 'ff', 'CONNECTING')])).toEqual([]);
  });

  it('keeps the one with the largest initiator SPI, then responder SPI, and closes the rest', () => {
    const sas = [sa('cw-a', 1, '00000000000000ff', '1'), sa('cw-a', 2, '0f00000000000000', '1'), sa('cw-a', 3, '0f00000000000000', '2')];
    expect(duplicateIkeSas(sas).sort()).toEqual([1, 2]);
  });

  it('picks the same SA on both ends: the order of the list does not matter', () => {
    const a = sa('cw-a', 7, 'c3d2', '9a01');
    const b = sa('cw-a', 8, '1be0', 'ffff');
    expect(duplicateIkeSas([a, b])).toEqual([8]);
    expect(duplicateIkeSas([b, a])).toEqual([8]);
  });
});
