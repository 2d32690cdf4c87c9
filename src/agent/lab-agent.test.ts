import { describe, expect, it } from 'vitest';
import { statusDelayMs } from './lab-agent.js';

describe('statusDelayMs', () => {
  it('waits 100 ms after a cheap refresh (or none yet), and 3 times the last one after a costly one', () => {
    expect(statusDelayMs(undefined)).toBe(100);
    expect(statusDelayMs(20)).toBe(100);
    expect(statusDelayMs(80)).toBe(240);
    expect(statusDelayMs(400.4)).toBe(1201);
  });
});
