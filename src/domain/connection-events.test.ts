import { describe, expect, it } from 'vitest';
import { CONNECTION_EVENT_TYPES, causeOfActor, eventMessage } from './connection-events.js';

describe('connection events', () => {
  it('every type has a message that reads its details', () => {
    for (const t of CONNECTION_EVENT_TYPES) expect(eventMessage(t, {})).toMatch(/\.$|:/);
    expect(eventMessage('configuration_changed', { fields: ['name', 'psk'] })).toBe('The configuration changed: name, psk.');
    expect(eventMessage('member_failover', { member: 2, role: 'active' })).toBe('Gateway member 2 became active.');
    expect(eventMessage('status_reason_raised', { code: 'x', message: { not: 'text' } })).not.toContain('[object Object]');
  });

  it('a cause names the user and the dialect, else what it knows', () => {
    expect(causeOfActor({ accountId: 'a', isAdmin: false, name: 'alice', via: 'neutron' })).toBe('user alice via neutron');
    expect(causeOfActor({ accountId: 'a', isAdmin: true })).toBe('an administrator');
    expect(causeOfActor({ accountId: 'a', isAdmin: false, via: 'ibm' })).toBe('account a via ibm');
  });
});
