import { describe, expect, it } from 'vitest';
import { SaPeers } from './sa-peers.js';

describe('SaPeers', () => {
  it('learns an IKE_SA’s peer from the lines charon logs for it', () => {
    const p = new SaPeers();
    p.note('3', 'received packet: from 203.0.113.7[500] to 198.51.100.2[500] (464 bytes)');
    p.note('4', 'sending packet: from 198.51.100.2[500] to 203.0.113.8[4500] (80 bytes)');
    p.note('5', '203.0.113.9 is initiating an IKE_SA');
    p.note('6', '203.0.113.10 is initiating a Main Mode IKE_SA');
    p.note('7', 'received proposals unacceptable');
    expect(['3', '4', '5', '6', '7'].map((id) => p.of(id))).toEqual(['203.0.113.7', '203.0.113.8', '203.0.113.9', '203.0.113.10', undefined]);
  });

  it('ignores lines of no IKE_SA', () => {
    const p = new SaPeers();
    p.note('', 'received packet: from 203.0.113.7[500] to 198.51.100.2[500] (464 bytes)');
    expect(p.of('')).toBeUndefined();
  });

  it('forgets the oldest IKE_SAs first', () => {
    const p = new SaPeers();
    for (let i = 0; i < 1100; i++) p.note(String(i), `received packet: from 203.0.113.1[500] to 198.51.100.2[500] (1 bytes)`);
    expect(p.of('0')).toBeUndefined();
    expect(p.of('1099')).toBe('203.0.113.1');
  });
});
